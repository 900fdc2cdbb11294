"""Values as Grafana shows them: unit formatting, threshold colours and value mappings."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from pfm_dash.model.panels import NullMap, Panel, RangeMap, ValueMap
from pfm_dash.model.units import CustomUnit, unit_id
from pfm_dash.model.vocab import ThresholdMode, Unit
from pfm_dash.preview import theme

# Unit labels as Grafana's unit picker names them (packages/grafana-data/src/valueFormats/
# categories.ts), shown on a panel without data so a reviewer sees the unit.
UNIT_NAMES = {
    Unit.NONE: "none",
    Unit.SHORT: "short",
    Unit.PERCENT: "percent (0-100)",
    Unit.PERCENT_UNIT: "percent (0.0-1.0)",
    Unit.SECONDS: "seconds (s)",
    Unit.MILLISECONDS: "milliseconds (ms)",
    Unit.BYTES: "bytes (IEC)",
    Unit.DECIMAL_BYTES: "bytes (SI)",
    Unit.BYTES_PER_SECOND: "bytes/sec (SI)",
    Unit.REQUESTS_PER_SECOND: "requests/sec (rps)",
    Unit.OPS_PER_SECOND: "ops/sec (ops)",
    Unit.COUNTS_PER_SECOND: "counts/sec (cps)",
    Unit.DATETIME: "datetime ISO",
    Unit.BOOL_UP_DOWN: "on / off",
}


def unit_name(unit: Unit | CustomUnit | None) -> str:
    """How a panel without data names its unit: the picker's words, else Grafana's id."""
    if unit is None:
        return "default"
    return UNIT_NAMES.get(unit, unit_id(unit)) if isinstance(unit, Unit) else unit_id(unit)


@dataclass(frozen=True)
class Shown:
    """A value as a panel displays it: the text and the colour it takes."""

    text: str
    color: str


def _scaled(value: float, base: float, suffixes: tuple[str, ...], decimals: int | None) -> str:
    index = 0
    while abs(value) >= base and index < len(suffixes) - 1:
        value /= base
        index += 1
    return f"{_plain(value, decimals)}{suffixes[index]}"


def _plain(value: float, decimals: int | None) -> str:
    """Grafana's default precision: more decimals for small numbers, trailing zeros cut."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:.{min(digits, 4)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(
    value: float | None, unit: Unit | CustomUnit | None, decimals: int | None = None
) -> str:
    """``value`` in ``unit``, as a stat or axis label would read.

    The common units are formatted as Grafana formats them; any other shows the short-scaled
    value with Grafana's unit id after it, which is enough to review a picture.
    """
    if value is None or math.isnan(value):
        return "No data"
    d = decimals
    if isinstance(unit, CustomUnit):
        return _custom(value, unit, d)
    if unit is Unit.PERCENT:
        return f"{_plain(value, d)}%"
    if unit is Unit.PERCENT_UNIT:
        return f"{_plain(value * 100, d)}%"
    if unit is Unit.SECONDS:
        if abs(value) < 1 and value != 0:
            return f"{_plain(value * 1000, d)} ms"
        return _time(value, d)
    if unit is Unit.MILLISECONDS:
        return f"{_plain(value, d)} ms" if abs(value) < 1000 else _time(value / 1000, d)
    if unit is Unit.BYTES:
        return _scaled(value, 1024, (" B", " KiB", " MiB", " GiB", " TiB"), d)
    if unit is Unit.DECIMAL_BYTES:
        return _scaled(value, 1000, (" B", " kB", " MB", " GB", " TB"), d)
    if unit is Unit.BYTES_PER_SECOND:
        return _scaled(value, 1000, (" B/s", " kB/s", " MB/s", " GB/s"), d)
    if unit is Unit.REQUESTS_PER_SECOND:
        return f"{_short(value, d)} req/s"
    if unit is Unit.OPS_PER_SECOND:
        return f"{_short(value, d)} ops/s"
    if unit is Unit.COUNTS_PER_SECOND:
        return f"{_short(value, d)} c/s"
    if unit is Unit.DATETIME:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(value))
    if unit is Unit.BOOL_UP_DOWN:
        return "ON" if value else "OFF"
    if unit is Unit.NONE:
        return _plain(value, d)
    if unit is None or unit is Unit.SHORT:
        return _short(value, d)
    return f"{_short(value, d)} {unit.value}"


def _custom(value: float, unit: CustomUnit, decimals: int | None) -> str:
    """Grafana's custom units (valueFormats.ts getValueFormat): suffix, prefix, si, count..."""
    if unit.kind == "prefix":
        return f"{unit.text}{_plain(value, decimals)}"
    if unit.kind == "currency":
        return f"{unit.text}{_short(value, decimals)}"
    if unit.kind == "bool":
        true, _, false = unit.text.partition("/")
        return true if value else (false or "-")
    if unit.kind == "time":
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(value))
    if unit.kind in ("si", "count"):
        return f"{_short(value, decimals)} {unit.text}"
    return f"{_plain(value, decimals)} {unit.text}"


def _short(value: float, decimals: int | None) -> str:
    return _scaled(value, 1000, ("", " K", " Mil", " Bil", " Tri"), decimals)


def _time(seconds: float, decimals: int | None) -> str:
    for size, suffix in ((86400, " day"), (3600, " hour"), (60, " min")):
        if abs(seconds) >= size:
            return f"{_plain(seconds / size, decimals)}{suffix}"
    return f"{_plain(seconds, decimals)} s"


def threshold_color(panel: Panel, value: float | None) -> str:
    """The colour of the threshold step ``value`` falls in (green when none is declared)."""
    if panel.thresholds is None:
        return theme.color("green")
    steps = panel.thresholds.steps
    if value is None or math.isnan(value):
        return theme.color(steps[0].color)
    if panel.thresholds.mode is ThresholdMode.PERCENTAGE:
        low = panel.min if panel.min is not None else 0.0
        high = panel.max if panel.max is not None else 100.0
        value = (value - low) / (high - low) * 100 if high != low else 0.0
    chosen = steps[0].color
    for step in steps[1:]:
        if step.value is not None and value >= step.value:
            chosen = step.color
    return theme.color(chosen)


def show(panel: Panel, value: float | None) -> Shown:
    """Text and colour of ``value`` on ``panel``: a mapping wins over the unit and thresholds."""
    for mapping in panel.mappings:
        hit = (
            (isinstance(mapping, NullMap) and (value is None or math.isnan(value)))
            or (
                isinstance(mapping, ValueMap) and value is not None and _equal(mapping.value, value)
            )
            or (
                isinstance(mapping, RangeMap)
                and value is not None
                and (mapping.low is None or value >= mapping.low)
                and (mapping.high is None or value <= mapping.high)
            )
        )
        if hit:
            shade = theme.color(mapping.color) if mapping.color else threshold_color(panel, value)
            return Shown(mapping.text, shade)
    return Shown(format_value(value, panel.unit, panel.decimals), threshold_color(panel, value))


def _equal(mapped: str | int | float, value: float) -> bool:
    try:
        return float(mapped) == value
    except ValueError:
        return str(mapped) == _plain(value, None)
