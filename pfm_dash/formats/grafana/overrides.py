"""Field overrides as Grafana stores them: ``{"matcher": {id, options}, "properties": [...]}``.

Matcher ids are Grafana's ``FieldMatcherID`` (grafana/grafana packages/grafana-data/src/
transformations/matchers/ids.ts); properties are ``DynamicConfigValue`` ``{id, value}`` pairs
(packages/grafana-data/src/types/fieldOverrides.ts) whose ids are the field config paths
(``unit``, ``custom.axisPlacement``...). One table per concern, keyed by the model's class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pfm_dash.formats.grafana.common import merge
from pfm_dash.formats.grafana.values import color_json, mappings_json, thresholds_json
from pfm_dash.model.overrides import (
    ByMatcher,
    ByName,
    ByRefId,
    ByRegex,
    ByType,
    Matcher,
    Override,
    Property,
    SetAxisPlacement,
    SetColor,
    SetDecimals,
    SetDisplayName,
    SetMappings,
    SetMax,
    SetMin,
    SetProperty,
    SetThresholds,
    SetUnit,
    SetWidth,
)
from pfm_dash.model.units import unit_id

_MATCHERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    ByName: lambda m: {"id": "byName", "options": m.name},
    ByRefId: lambda m: {"id": "byFrameRefID", "options": m.ref_id},
    ByRegex: lambda m: {"id": "byRegexp", "options": m.pattern},
    ByType: lambda m: {"id": "byType", "options": m.type.value},
    ByMatcher: lambda m: {"id": m.id, "options": m.options},
}


def _color(p: SetColor) -> Any:
    value: dict[str, Any] = {"mode": p.mode.value}
    if p.color is not None:
        value["fixedColor"] = color_json(p.color)
    return value


# Each typed property: (Grafana's property id, its value).
_PROPERTIES: dict[type, Callable[[Any], tuple[str, Any]]] = {
    SetUnit: lambda p: ("unit", unit_id(p.unit)),
    SetColor: lambda p: ("color", _color(p)),
    SetAxisPlacement: lambda p: ("custom.axisPlacement", p.placement.value),
    SetWidth: lambda p: ("custom.width", p.width),
    SetDisplayName: lambda p: ("displayName", p.name),
    SetMin: lambda p: ("min", p.value),
    SetMax: lambda p: ("max", p.value),
    SetDecimals: lambda p: ("decimals", p.decimals),
    SetThresholds: lambda p: ("thresholds", thresholds_json(p.thresholds)),
    SetMappings: lambda p: ("mappings", mappings_json(p.mappings)),
    SetProperty: lambda p: (p.id, p.value),
}


def matcher_json(matcher: Matcher) -> dict[str, Any]:
    return _MATCHERS[type(matcher)](matcher)


def property_json(prop: Property) -> dict[str, Any]:
    key, value = _PROPERTIES[type(prop)](prop)
    return {"id": key, "value": value}


def overrides_json(overrides: Iterable[Override]) -> list[dict[str, Any]]:
    """``fieldConfig.overrides`` for a panel's typed overrides, each with its ``extra`` last."""
    return [
        merge(
            {
                "matcher": matcher_json(o.matcher),
                "properties": [property_json(p) for p in o.properties],
            },
            o.extra,
        )
        for o in overrides
    ]
