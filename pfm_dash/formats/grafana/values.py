"""Thresholds, value mappings and colours as Grafana 10+ stores them (defaults and overrides)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pfm_dash.model.values import Mapping_, NullMap, RangeMap, Thresholds, ValueMap
from pfm_dash.model.vocab import Color


def color_json(color: Color | str) -> str:
    return color.value if isinstance(color, Color) else color


def thresholds_json(thresholds: Thresholds | None) -> dict[str, Any]:
    """Grafana's own default (a green base) when the panel declares none."""
    if thresholds is None:
        return {"mode": "absolute", "steps": [{"color": "green", "value": None}]}
    return {
        "mode": thresholds.mode.value,
        "steps": [{"color": color_json(s.color), "value": s.value} for s in thresholds.steps],
    }


def _result(mapping: Mapping_, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {"index": index, "text": mapping.text}
    if mapping.color is not None:
        result["color"] = color_json(mapping.color)
    return result


def mappings_json(mappings: Iterable[Mapping_]) -> list[dict[str, Any]]:
    """Value maps merge into one ``value`` mapping first, as Grafana's editor saves them."""
    out: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    for index, mapping in enumerate(mappings):
        if isinstance(mapping, ValueMap):
            values[str(mapping.value)] = _result(mapping, index)
        elif isinstance(mapping, RangeMap):
            result = _result(mapping, index)
            span: dict[str, Any] = {"from": mapping.low, "to": mapping.high, "result": result}
            out.append({"type": "range", "options": span})
        elif isinstance(mapping, NullMap):
            special = {"match": "null", "result": _result(mapping, index)}
            out.append({"type": "special", "options": special})
    if values:
        out.insert(0, {"type": "value", "options": values})
    return out
