"""Dashboard variables: grafanalib's Template, with its pre-7 fields dropped."""

from __future__ import annotations

from typing import Any

import grafanalib.core as G

from pfm_dash.formats.grafana.shell import datasource_ref, merge, to_json
from pfm_dash.model.dashboard import (
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    IntervalVariable,
    QueryVariable,
    Variable,
)


def _current(value: str) -> dict[str, Any]:
    return {"selected": True, "text": value, "value": value} if value else {}


def variable_json(variable: Variable, dashboard: Dashboard) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": variable.name,
        "label": variable.label or variable.name,
        "hide": 2 if variable.hide else 0,
        "skipUrlSync": False,
    }
    if isinstance(variable, DatasourceVariable):
        template = G.Template(name=variable.name, query="prometheus", type="datasource")
        extra: dict[str, Any] = {
            "current": _current(variable.default),
            "regex": variable.regex,
            "includeAll": False,
            "multi": False,
            "options": [],
            "refresh": 1,
        }
    elif isinstance(variable, QueryVariable):
        template = G.Template(name=variable.name, query=variable.query, type="query")
        extra = {
            "datasource": datasource_ref(dashboard),
            "definition": variable.query,
            "query": {"query": variable.query, "refId": "PrometheusVariableQueryEditor"},
            "current": _current(variable.default),
            "includeAll": variable.include_all,
            "multi": variable.multi,
            "options": [],
            "refresh": int(variable.refresh),
            "regex": variable.regex,
            "sort": int(variable.sort),
        }
    elif isinstance(variable, CustomVariable):
        template = G.Template(name=variable.name, query=",".join(variable.options), type="custom")
        default = variable.default or variable.options[0]
        extra = {
            "current": _current(default),
            "includeAll": variable.include_all,
            "multi": variable.multi,
            "options": [
                {"selected": o == default, "text": o, "value": o} for o in variable.options
            ],
        }
    elif isinstance(variable, IntervalVariable):
        template = G.Template(
            name=variable.name, query=",".join(variable.intervals), type="interval"
        )
        default = variable.default or variable.intervals[0]
        extra = {
            "auto": variable.auto,
            "auto_count": 30,
            "auto_min": "10s",
            "current": _current(default),
            "options": [
                {"selected": i == default, "text": i, "value": i} for i in variable.intervals
            ],
            "refresh": 2,
        }
    else:  # pragma: no cover - the model has no other kinds
        raise TypeError(type(variable).__name__)
    data: dict[str, Any] = to_json(template)
    # grafanalib's pre-7 tag fields and null datasource/regex/label are not read by Grafana.
    for key in ("useTags", "tagsQuery", "tagValuesQuery", "datasource", "allValue"):
        data.pop(key, None)
    if data.get("type") != "interval":
        for key in ("auto", "auto_count", "auto_min"):
            data.pop(key, None)
    data.update(common)
    data.update(extra)
    if isinstance(variable, QueryVariable) and variable.all_value:
        data["allValue"] = variable.all_value
    return merge(data, variable.extra)
