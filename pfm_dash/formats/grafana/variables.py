"""Dashboard variables (``templating.list``), one function per kind in a table.

The keys are those Grafana 10's variable editors save; none of the pre-7 tag fields
(``useTags``, ``tagsQuery``, ``tagValuesQuery``) grafanalib wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pfm_dash.formats.grafana.common import datasource_ref, merge
from pfm_dash.model.dashboard import (
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    IntervalVariable,
    QueryVariable,
    Variable,
)


def _current(value: str) -> dict[str, Any]:
    """``{"current": ...}`` for a default; nothing without one (Grafana picks the first option,
    and the schema requires both text and value when ``current`` is there)."""
    if not value:
        return {}
    return {"current": {"selected": True, "text": value, "value": value}}


def _options(values: tuple[str, ...] | list[str], default: str) -> list[dict[str, Any]]:
    return [{"selected": v == default, "text": v, "value": v} for v in values]


def _datasource(v: DatasourceVariable, _dashboard: Dashboard) -> dict[str, Any]:
    return {
        **_current(v.default),
        "includeAll": False,
        "multi": False,
        "options": [],
        "query": "prometheus",
        "refresh": 1,
        "regex": v.regex,
        "sort": 1,
        "type": "datasource",
    }


def _query(v: QueryVariable, dashboard: Dashboard) -> dict[str, Any]:
    data: dict[str, Any] = {
        **_current(v.default),
        "datasource": datasource_ref(dashboard),
        "definition": v.query,
        "includeAll": v.include_all,
        "multi": v.multi,
        "options": [],
        "query": {"query": v.query, "refId": "PrometheusVariableQueryEditor"},
        "refresh": int(v.refresh),
        "regex": v.regex,
        "sort": int(v.sort),
        "type": "query",
    }
    if v.all_value:
        data["allValue"] = v.all_value
    return data


def _custom(v: CustomVariable, _dashboard: Dashboard) -> dict[str, Any]:
    default = v.default or v.options[0]
    return {
        **_current(default),
        "includeAll": v.include_all,
        "multi": v.multi,
        "options": _options(list(v.options), default),
        "query": ",".join(v.options),
        "refresh": 1,
        "sort": 1,
        "type": "custom",
    }


def _interval(v: IntervalVariable, _dashboard: Dashboard) -> dict[str, Any]:
    default = v.default or v.intervals[0]
    return {
        "auto": v.auto,
        "auto_count": 30,
        "auto_min": "10s",
        **_current(default),
        "includeAll": False,
        "multi": False,
        "options": _options(list(v.intervals), default),
        "query": ",".join(v.intervals),
        "refresh": 2,
        "sort": 1,
        "type": "interval",
    }


_KINDS: dict[type[Variable], Callable[[Any, Dashboard], dict[str, Any]]] = {
    DatasourceVariable: _datasource,
    QueryVariable: _query,
    CustomVariable: _custom,
    IntervalVariable: _interval,
}


def variable_json(variable: Variable, dashboard: Dashboard) -> dict[str, Any]:
    kind = next(_KINDS[c] for c in type(variable).__mro__ if c in _KINDS)
    data = kind(variable, dashboard)
    data["name"] = variable.name
    data["label"] = variable.label or variable.name
    data["hide"] = 2 if variable.hide else 0
    data["skipUrlSync"] = False
    return merge(data, variable.extra)
