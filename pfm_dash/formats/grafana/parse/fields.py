"""Readers for typed values: JSON in, DSL value out, ``ValueError`` when the JSON does not
fit the type (the caller then keeps the raw JSON in ``extra``, so nothing is lost)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar

from pfm_dash.formats.grafana.parse.node import is_number
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
from pfm_dash.model.panels import Link
from pfm_dash.model.units import CustomUnit, Unit, unit_from_id
from pfm_dash.model.values import Mapping_, NullMap, RangeMap, Step, Thresholds, ValueMap
from pfm_dash.model.vocab import AxisPlacement, Color, ColorMode, FieldType, ThresholdMode

E = TypeVar("E", bound=Enum)


def enum(kind: type[E]) -> Callable[[Any], E]:
    """A reader for one enum: Grafana's string (or int) to the member, ValueError otherwise."""
    return lambda raw: kind(raw)


def boolean(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(raw)
    return raw


def text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(raw)
    return raw


def integer(raw: Any) -> int:
    if not is_number(raw) or int(raw) != raw:
        raise ValueError(raw)
    return int(raw)


def number(raw: Any) -> float:
    if not is_number(raw):
        raise ValueError(raw)
    return raw  # type: ignore[no-any-return]  # an int stays an int, as Grafana wrote it


def unit(raw: Any) -> Unit | CustomUnit:
    if not isinstance(raw, str) or not raw:
        raise ValueError(raw)
    return unit_from_id(raw)


def color(raw: Any) -> Color | str:
    """A palette name or a hex code: what the DSL accepts (rgba() and shades stay raw)."""
    if isinstance(raw, str):
        try:
            return Color(raw)
        except ValueError:
            if raw.startswith("#"):
                return raw
    raise ValueError(raw)


def thresholds(raw: Any) -> Thresholds:
    if not isinstance(raw, Mapping) or set(raw) - {"mode", "steps"}:
        raise ValueError(raw)
    steps = []
    for step in raw.get("steps") or []:
        if not isinstance(step, Mapping) or set(step) != {"color", "value"}:
            raise ValueError(step)
        value = step["value"]
        if value is not None and not is_number(value):
            raise ValueError(step)
        steps.append(Step(color=color(step["color"]), value=value))
    mode = ThresholdMode(raw.get("mode", "absolute"))
    try:
        return Thresholds(steps=steps, mode=mode)
    except Exception as exc:  # a DeclarationError: unsorted or no base step
        raise ValueError(raw) from exc


def _result(raw: Any) -> tuple[int, str, Color | str | None]:
    """(index, text, colour) of a mapping result as the generator writes it, else ValueError."""
    if not isinstance(raw, Mapping) or set(raw) - {"text", "color", "index"}:
        raise ValueError(raw)
    index, label, tint = raw.get("index"), raw.get("text", ""), raw.get("color")
    if not isinstance(index, int) or isinstance(index, bool) or not isinstance(label, str):
        raise ValueError(raw)
    return index, label, None if tint is None else color(tint)


def _mapping(item: Any) -> list[tuple[int, Mapping_]]:
    """One Grafana mapping entry (a value entry holds several values) as DSL mappings."""
    if not isinstance(item, Mapping) or set(item) != {"type", "options"}:
        raise ValueError(item)
    kind, options = item["type"], item["options"]
    if not isinstance(options, Mapping):
        raise ValueError(item)
    if kind == "value":
        out: list[tuple[int, Mapping_]] = []
        for value, result in options.items():
            index, label, tint = _result(result)
            out.append((index, ValueMap(value=value, text=label, color=tint)))
        return out
    if kind == "range" and set(options) == {"from", "to", "result"}:
        index, label, tint = _result(options["result"])
        low, high = options["from"], options["to"]
        if not all(v is None or is_number(v) for v in (low, high)):
            raise ValueError(item)
        return [(index, RangeMap(low=low, high=high, text=label, color=tint))]
    if kind == "special" and set(options) == {"match", "result"} and options["match"] == "null":
        index, label, tint = _result(options["result"])
        return [(index, NullMap(text=label, color=tint))]
    raise ValueError(item)  # regex, NaN, booleans, empty: kept raw


def mappings(raw: Any) -> tuple[Mapping_, ...]:
    """Value, range and null mappings, in their ``index`` order; anything else (regex, nan,
    icons, an order the generator would not write back) is a ValueError."""
    if not isinstance(raw, list):
        raise ValueError(raw)
    found = [pair for item in raw for pair in _mapping(item)]
    if sorted(i for i, _ in found) != list(range(len(found))):
        raise ValueError(raw)
    return tuple(m for _, m in sorted(found, key=lambda pair: pair[0]))


def links(raw: Any) -> tuple[Link, ...]:
    """Panel or dashboard links: title, url and new tab typed, the rest in each link's extra."""
    if not isinstance(raw, list):
        raise ValueError(raw)
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise ValueError(item)
        rest = dict(item)
        title, url = rest.pop("title", ""), rest.pop("url", "")
        new_tab = rest.pop("targetBlank", False)
        if not isinstance(title, str) or not isinstance(url, str) or not isinstance(new_tab, bool):
            raise ValueError(item)
        out.append(Link(title=title, url=url, new_tab=new_tab, extra=rest))
    return tuple(out)


# --- overrides -------------------------------------------------------------------------------

_MATCHERS: dict[str, Callable[[Any], Matcher]] = {
    "byName": lambda o: ByName(name=text(o)),
    "byFrameRefID": lambda o: ByRefId(ref_id=text(o)),
    "byRegexp": lambda o: ByRegex(pattern=text(o)),
    "byType": lambda o: ByType(type=FieldType(o)),
}


def matcher(raw: Any) -> Matcher:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise ValueError(raw)
    if set(raw) <= {"id", "options"} and raw["id"] in _MATCHERS and "options" in raw:
        try:
            return _MATCHERS[raw["id"]](raw["options"])
        except ValueError:
            pass
    if set(raw) - {"id", "options"}:
        raise ValueError(raw)
    return ByMatcher(id=raw["id"], options=raw.get("options"))


def _color_property(value: Any) -> SetColor:
    if not isinstance(value, Mapping) or set(value) - {"mode", "fixedColor"}:
        raise ValueError(value)
    mode = ColorMode(str(value.get("mode")))
    fixed = value.get("fixedColor")
    if mode is ColorMode.FIXED and fixed is None:
        raise ValueError(value)
    return SetColor(color=None if fixed is None else color(fixed), mode=mode)


_PROPERTIES: dict[str, Callable[[Any], Property]] = {
    "unit": lambda v: SetUnit(unit=unit(v)),
    "color": _color_property,
    "custom.axisPlacement": lambda v: SetAxisPlacement(placement=AxisPlacement(v)),
    "custom.width": lambda v: SetWidth(width=integer(v)),
    "displayName": lambda v: SetDisplayName(name=text(v)),
    "min": lambda v: SetMin(value=number(v)),
    "max": lambda v: SetMax(value=number(v)),
    "decimals": lambda v: SetDecimals(decimals=integer(v)),
    "thresholds": lambda v: SetThresholds(thresholds=thresholds(v)),
    "mappings": lambda v: SetMappings(mappings=mappings(v)),
}


def prop(raw: Any) -> Property:
    if (
        not isinstance(raw, Mapping)
        or not isinstance(raw.get("id"), str)
        or set(raw) - {"id", "value"}
    ):
        raise ValueError(raw)
    reader = _PROPERTIES.get(raw["id"])
    if reader is not None and "value" in raw:
        try:
            return reader(raw["value"])
        except ValueError:
            pass
    return SetProperty(id=raw["id"], value=raw.get("value"))


def override(raw: Any) -> Override:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("properties", []), list):
        raise ValueError(raw)
    rest = {k: v for k, v in raw.items() if k not in ("matcher", "properties")}
    return Override(
        matcher=matcher(raw.get("matcher")),
        properties=[prop(p) for p in raw.get("properties", [])],
        extra=rest,
    )


def overrides(raw: Any) -> tuple[Override, ...]:
    if not isinstance(raw, list):
        raise ValueError(raw)
    return tuple(override(item) for item in raw)
