"""From a loaded project to the bytes of every file under build/, as a stream.

Each target module knows one output format; this module only decides the layout of build/
(other tools and checks depend on it) and the byte-level conventions: sorted keys, 2-space
indent and a trailing newline for JSON, UTF-8 everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from pfm_dash.model.dashboard import Dashboard
from pfm_dash.project import Project

DASHBOARDS_DIR = "grafana/dashboards"
PROVISIONING_DIR = "grafana/provisioning"


def dashboard_bytes(model: dict[str, Any]) -> bytes:
    """Byte-identical to ``json.dumps(model, indent=2, sort_keys=True, ensure_ascii=False)``
    plus a newline, at a tenth of the cost."""
    return orjson.dumps(model, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def dashboard_files(dashboards: Iterable[Dashboard]) -> Iterator[tuple[str, bytes]]:
    from pfm_dash.targets.grafana import iter_dashboards

    for compiled in iter_dashboards(dashboards):
        yield f"{DASHBOARDS_DIR}/{compiled.uid}.json", dashboard_bytes(compiled.model)


def artifacts(project: Project) -> Iterator[tuple[str, bytes]]:
    """(path relative to build/, bytes) for every generated file, dashboards streamed."""
    from pfm_dash.targets import prometheus, provisioning

    yield from dashboard_files(project.dashboards)
    settings: dict[str, Any] = project.config.raw.get("grafana", {})
    yield (
        f"{PROVISIONING_DIR}/dashboards/pfm-dash.yml",
        provisioning.dashboards_provider(project.dashboards, settings).encode(),
    )
    yield (
        f"{PROVISIONING_DIR}/datasources/prometheus.yml",
        provisioning.prometheus_datasource(settings).encode(),
    )
    for rel, text in prometheus.rule_files(project.groups, settings.get("url", "")).items():
        yield rel, text.encode()
    if project.teams:
        from pfm_dash.targets import alertmanager

        yield alertmanager.PATH, alertmanager.alertmanager_yml(project).encode()
