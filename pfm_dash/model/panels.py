"""Panels: what a dashboard shows, each kind with only the options Grafana gives it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail, freeze
from pfm_dash.model.query import Query
from pfm_dash.model.vocab import (
    AlertListSort,
    AlertListView,
    AlertState,
    BarGaugeMode,
    Color,
    ColorMode,
    GraphMode,
    LegendMode,
    LegendPlacement,
    Orientation,
    Reduce,
    Stacking,
    StatColorMode,
    TextMode,
    ThresholdMode,
    TooltipMode,
    Unit,
    Width,
)

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def _check_color(color: Color | str, location: Location) -> None:
    if isinstance(color, Color) or (isinstance(color, str) and _HEX.match(color)):
        return
    raise fail(location, f"unknown colour {color!r}", "use a Color member or a '#rrggbb' hex code")


@declaration
class Step:
    """One threshold step: from ``value`` upwards, use ``color``. The first has no value."""

    color: Color | str
    value: float | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        _check_color(self.color, self.location)


@declaration
class Thresholds:
    steps: Sequence[Step]
    mode: ThresholdMode = ThresholdMode.ABSOLUTE
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "steps", self.steps)
        if not self.steps or self.steps[0].value is not None:
            raise fail(
                self.location,
                "thresholds must start with a base step that has no value",
                "begin with Step(color=Color.GREEN) and add Step(color=..., value=N) after it",
            )
        values = [s.value for s in self.steps[1:]]
        if any(v is None for v in values) or values != sorted(values):  # type: ignore[type-var]
            raise fail(
                self.location,
                "threshold steps after the base must have values in ascending order",
                "sort the steps by value",
            )


@declaration
class ValueMap:
    """Show ``text`` (in ``color``) where the value equals ``value``."""

    value: str | int | float
    text: str
    color: Color | str | None = None


@declaration
class RangeMap:
    """Show ``text`` (in ``color``) where the value lies in [low, high]."""

    low: float | None
    high: float | None
    text: str
    color: Color | str | None = None


@declaration
class NullMap:
    """Show ``text`` (in ``color``) where there is no value."""

    text: str
    color: Color | str | None = None


Mapping_ = ValueMap | RangeMap | NullMap


@declaration
class Link:
    """A link shown on a panel or dashboard."""

    title: str
    url: str
    new_tab: bool = False


@declaration
class GridPos:
    """An explicit position on the 24-column grid."""

    x: int
    y: int
    w: int
    h: int
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not (0 <= self.x < 24 and 1 <= self.w <= 24 and self.x + self.w <= 24):
            raise fail(
                self.location,
                f"position x={self.x}, w={self.w} does not fit Grafana's 24-column grid",
                "keep 0 <= x and x + w <= 24",
            )
        if self.y < 0 or self.h < 1:
            raise fail(self.location, "position needs y >= 0 and h >= 1")


@declaration
class Legend:
    mode: LegendMode = LegendMode.LIST
    placement: LegendPlacement = LegendPlacement.BOTTOM
    calcs: Sequence[Reduce] = ()

    def __post_init__(self) -> None:
        freeze(self, "calcs", self.calcs)


@declaration
class Ignore:
    """Suppress one ``pfm-dash check`` rule here; the reason is shown in every report."""

    rule: str
    reason: str
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise fail(self.location, f"ignore of {self.rule!r} has no reason", "say why")


@declaration
class Panel:
    """What every panel kind shares. ``extra`` is raw JSON merged last, for what we don't model."""

    title: str
    queries: Sequence[Query] = ()
    description: str = ""
    unit: Unit | None = None
    decimals: int | None = None
    min: float | None = None
    max: float | None = None
    thresholds: Thresholds | None = None
    color_mode: ColorMode | None = None
    mappings: Sequence[Mapping_] = ()
    links: Sequence[Link] = ()
    width: int = Width.HALF
    height: int = 8
    pos: GridPos | None = None
    transparent: bool = False
    ignore: Sequence[Ignore] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        for name in ("queries", "mappings", "links", "ignore"):
            freeze(self, name, getattr(self, name))
        if not isinstance(self.title, str) or not self.title.strip():
            raise fail(self.location, "panel has an empty title", "give every panel a title")
        if not (isinstance(self.width, int) and 1 <= self.width <= 24):
            raise fail(
                self.location,
                f"panel {self.title!r} is {self.width} columns wide; the grid has 24",
                "use a width from 1 to 24 (Width.FULL, HALF, THIRD, QUARTER)",
            )
        if not (isinstance(self.height, int) and self.height >= 1):
            raise fail(self.location, f"panel {self.title!r} has height {self.height}")
        for m in self.mappings:
            if m.color is not None:
                _check_color(m.color, self.location)


@declaration
class TimeSeries(Panel):
    legend: Legend = field(default_factory=Legend)
    tooltip: TooltipMode = TooltipMode.MULTI
    stacking: Stacking = Stacking.NONE
    fill_opacity: int = 10
    line_width: int = 1


@declaration
class Stat(Panel):
    reduce: Reduce = Reduce.LAST_NOT_NULL
    stat_color: StatColorMode = StatColorMode.VALUE
    graph: GraphMode = GraphMode.AREA
    text: TextMode = TextMode.AUTO
    orientation: Orientation = Orientation.AUTO
    no_value: str = "No data"


@declaration
class Gauge(Panel):
    reduce: Reduce = Reduce.LAST_NOT_NULL
    show_threshold_markers: bool = True
    show_threshold_labels: bool = False


@declaration
class BarGauge(Panel):
    reduce: Reduce = Reduce.LAST_NOT_NULL
    mode: BarGaugeMode = BarGaugeMode.GRADIENT
    orientation: Orientation = Orientation.HORIZONTAL
    show_unfilled: bool = True


@declaration
class Table(Panel):
    show_header: bool = True


@declaration
class StateTimeline(Panel):
    legend: Legend = field(default_factory=Legend)
    show_values: bool = False
    merge_values: bool = True
    row_height: float = 0.9


@declaration
class AlertList(Panel):
    """Grafana's alert list; shows alerts, so it has no queries and needs no unit."""

    view: AlertListView = AlertListView.LIST
    states: Sequence[AlertState] = (AlertState.FIRING, AlertState.PENDING)
    max_items: int = 20
    sort: AlertListSort = AlertListSort.IMPORTANCE
    alert_name: str = ""
    label_filter: str = ""
    dashboard_alerts_only: bool = False
    group_mode: str = "default"

    def __post_init__(self) -> None:
        Panel.__post_init__(self)
        freeze(self, "states", self.states)
        if self.queries:
            raise fail(self.location, "an alert list takes no queries", "remove queries=")
        # An alert list shows alerts, not values: options for values would be silently dropped.
        for name in ("unit", "decimals", "min", "max", "thresholds", "color_mode"):
            if getattr(self, name) is not None:
                raise fail(
                    self.location,
                    f"an alert list shows alerts, not values: {name}= has no effect",
                    f"remove {name}=",
                )
        if self.mappings:
            raise fail(self.location, "an alert list has no value mappings", "remove mappings=")
