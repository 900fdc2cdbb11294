"""From a loaded project to the bytes of every file under build/, as a stream.

Each format module knows one output format; this module puts each file where
:mod:`pfm_dash.buildpaths` says (the one place that decides build/'s layout) and keeps the
byte-level conventions: sorted keys, 2-space indent and a trailing newline for JSON, UTF-8.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import orjson

from pfm_dash import buildpaths as paths
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.project import Project


def dashboard_bytes(model: dict[str, Any]) -> bytes:
    """Byte-identical to ``json.dumps(model, indent=2, sort_keys=True, ensure_ascii=False)``
    plus a newline, at a tenth of the cost."""
    return orjson.dumps(model, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


# Below this many dashboards, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
WINDOW = 128
# Declarations per pool of workers: the workers are forked afresh for each chunk and see only
# its declarations, so a stream of dashboards is never held whole, here or in a worker (a fork
# costs ~10 ms a chunk).
CHUNK = 1024

# The dashboards a forked worker compiles, inherited from the parent (never pickled: pickling
# a dashboard costs as much as compiling it).
_BOARDS: Sequence[Dashboard] = ()


def _dashboard_file(board: Dashboard) -> tuple[str, bytes]:
    from pfm_dash.formats.grafana import compile_dashboard

    compiled = compile_dashboard(board)
    return paths.dashboard_file(compiled.uid), dashboard_bytes(compiled.model)


def _compile_nth(index: int) -> tuple[str, bytes]:
    return _dashboard_file(_BOARDS[index])


def dashboard_files(
    dashboards: Iterable[Dashboard], jobs: int | None = None
) -> Iterator[tuple[str, bytes]]:
    """Each dashboard's file, in order, compiled on every core when there are many.

    Declarations are taken from ``dashboards`` a chunk at a time and each JSON file is yielded
    as soon as it is ready, so memory stays flat however many dashboards stream through.
    """
    global _BOARDS
    jobs = jobs or os.cpu_count() or 1
    boards = iter(dashboards)
    chunk = list(islice(boards, CHUNK))
    if jobs == 1 or len(chunk) < PARALLEL_FROM or os.name != "posix":
        yield from map(_dashboard_file, chunk)
        yield from map(_dashboard_file, boards)
        return
    import multiprocessing  # here, not at the top: a build of a few dashboards never needs it

    import pfm_dash.formats.grafana  # noqa: F401  (imported once, before the forks)

    context = multiprocessing.get_context("fork")
    while chunk:
        _BOARDS = chunk
        try:
            with context.Pool(jobs) as pool:
                # In windows, so results waiting to be written stay bounded.
                for start in range(0, len(chunk), WINDOW):
                    window = range(start, min(start + WINDOW, len(chunk)))
                    yield from pool.imap(_compile_nth, window, chunksize=8)
        finally:
            _BOARDS = ()
        chunk = list(islice(boards, CHUNK))


def artifacts(project: Project) -> Iterator[tuple[str, bytes]]:
    """(path relative to build/, bytes) for every generated file, dashboards streamed."""
    from pfm_dash.formats import prometheus, provisioning

    yield from dashboard_files(project.dashboards)
    settings = project.config.settings.grafana
    yield (
        paths.DASHBOARD_PROVIDER,
        provisioning.dashboards_provider(project.dashboards, settings).encode(),
    )
    yield (
        paths.DATASOURCE,
        provisioning.prometheus_datasource(settings).encode(),
    )
    for rel, text in prometheus.rule_files(project.groups, settings.url).items():
        yield rel, text.encode()  # rel: paths.rules_file / paths.tests_file
    from pfm_dash.formats.prometheus.scrape import prometheus_yml

    scrape = prometheus_yml(project.catalogs, project.config.raw)
    if scrape is not None:
        yield paths.PROMETHEUS_CONFIG, scrape.encode()
    if project.teams:
        from pfm_dash.formats import alertmanager

        yield (
            paths.ALERTMANAGER_CONFIG,
            alertmanager.alertmanager_yml(
                project.teams, alertmanager.settings_from(project.config)
            ).encode(),
        )
