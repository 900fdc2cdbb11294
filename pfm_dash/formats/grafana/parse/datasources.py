"""Datasource references: exported placeholders and old names, pointed at the variable.

A dashboard built by pfm-dash reads Prometheus through its datasource variable
(``${datasource}``), so every Prometheus reference an import finds becomes that: the
``${DS_PROMETHEUS}`` placeholders of a dashboard exported for sharing (DashboardExporter.ts
``makeExportable`` writes them, pkg/services/dashboardimport/utils/dash_template_evaluator.go
fills them on import), plain names and ``null`` (the default datasource) of schemas before
33/36 (``migrateDatasourceNameToRef`` in DashboardMigrator.ts). References to anything else
(Loki, the built-in Grafana datasource, mixed) are kept as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

SHARING_KEYS = ("__inputs", "__requires", "__elements")
_PLACEHOLDER = re.compile(r"\$\{(DS_[A-Za-z0-9_-]+)\}")
_VARIABLE = re.compile(r"^\$(\{[A-Za-z_]\w*(:\w+)?\}|[A-Za-z_]\w*)$")
_PROMETHEUS_TYPES = frozenset({"prometheus"})


def variable_ref(name: str) -> dict[str, str]:
    return {"type": "prometheus", "uid": f"${{{name}}}"}


def datasource_variable_name(data: dict[str, Any]) -> str | None:
    """The name of the dashboard's Prometheus datasource variable, if it has one."""
    for variable in (data.get("templating") or {}).get("list") or []:
        if (
            isinstance(variable, dict)
            and variable.get("type") == "datasource"
            and variable.get("query") in ("prometheus", None)
            and isinstance(variable.get("name"), str)
        ):
            return str(variable["name"])
    return None


def is_prometheus(ref: Any, inputs: frozenset[str] = frozenset()) -> bool:
    """Does ``ref`` (a ``{type, uid}``, a name, or null) mean the Prometheus datasource?"""
    if ref is None or ref == "default":
        return True  # Grafana's default datasource; pfm-dash dashboards read Prometheus
    if isinstance(ref, str):
        return bool(_VARIABLE.match(ref)) or ref in inputs or not ref.startswith("-- ")
    if isinstance(ref, dict):
        kind = ref.get("type")
        if kind is not None:
            return str(kind) in _PROMETHEUS_TYPES
        uid = ref.get("uid")
        if uid is None:
            return True  # {} or {uid: null}: the default datasource, as null is
        return isinstance(uid, str) and not uid.startswith("-- ") and uid != "grafana"
    return False


def _strings(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) holding a string, anywhere in the JSON."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield value, key
            else:
                yield from _strings(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield value, index
            else:
                yield from _strings(item)


def resolve_sharing(data: dict[str, Any], variable: str) -> tuple[list[str], list[str]]:
    """Drop the sharing keys and replace Prometheus ``${DS_...}`` inputs by ``${variable}``.

    Returns (upgrades, notes). Library panels in ``__elements`` are reported in the notes.
    """
    upgrades: list[str] = []
    notes: list[str] = []
    inputs = data.get("__inputs") or []
    prometheus_inputs = {
        str(i.get("name"))
        for i in inputs
        if isinstance(i, dict)
        and i.get("type") == "datasource"
        and i.get("pluginId") == "prometheus"
    }
    other_inputs = [
        str(i.get("name"))
        for i in inputs
        if isinstance(i, dict) and str(i.get("name")) not in prometheus_inputs
    ]
    elements = data.get("__elements")
    if isinstance(elements, dict) and elements:
        names = sorted(
            str(e.get("name", uid)) for uid, e in elements.items() if isinstance(e, dict)
        )
        notes.append(f"library panels in __elements are not imported: {', '.join(names)}")
    for key in SHARING_KEYS:
        data.pop(key, None)
    if prometheus_inputs:
        replaced = 0
        for container, key in list(_strings(data)):
            text = container[key]

            def sub(match: re.Match[str]) -> str:
                nonlocal replaced
                if match.group(1) not in prometheus_inputs:
                    return match.group(0)
                replaced += 1
                return f"${{{variable}}}"

            container[key] = _PLACEHOLDER.sub(sub, text)
        listed = ", ".join(f"${{{n}}}" for n in sorted(prometheus_inputs))
        upgrades.append(f"exported datasource input {listed} -> ${{{variable}}} ({replaced} uses)")
    if other_inputs:
        notes.append(
            "inputs other than the Prometheus datasource are left as placeholders: "
            + ", ".join(other_inputs)
        )
    return upgrades, notes


def refs_to_variable(data: dict[str, Any], variable: str) -> list[str]:
    """Prometheus references in panels, targets, variables and rows become ``${variable}``.

    Old names (schema < 33) and ``null`` meaning the default datasource (schema < 36) are
    Prometheus references too; a reference that is already ``{type, uid}`` of another kind
    stays. Returns what was upgraded, in words (nothing for refs already on the variable).
    """
    target = variable_ref(variable)
    changed = 0

    def point(holder: dict[str, Any], key: str = "datasource") -> None:
        nonlocal changed
        if key not in holder:
            return
        ref = holder[key]
        if isinstance(ref, dict) and str(ref.get("type")) in _PROMETHEUS_TYPES:
            uid = ref.get("uid")
            if isinstance(uid, str) and _VARIABLE.match(uid):
                return  # already a variable reference: left as the user wrote it
        untyped = (
            ref is None or isinstance(ref, str) or (isinstance(ref, dict) and "type" not in ref)
        )
        if untyped and is_prometheus(ref):
            holder[key] = dict(target)
            changed += 1

    from pfm_dash.formats.grafana.parse.migrate import all_panels

    for panel in all_panels(data):
        if panel.get("type") == "row":
            continue
        raw = panel.get("targets")
        targets: list[Any] = raw if isinstance(raw, list) else []
        has_queries = any(isinstance(t, dict) and "expr" in t for t in targets)
        if has_queries or isinstance(panel.get("datasource"), str):
            point(panel)
        for query in targets:
            if isinstance(query, dict) and "expr" in query:
                point(query)
    for item in (data.get("templating") or {}).get("list") or []:
        if isinstance(item, dict) and item.get("type") == "query":
            point(item)
    return [f"{changed} datasource names or defaults -> ${{{variable}}}"] if changed else []
