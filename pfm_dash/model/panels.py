"""Panels: what a dashboard shows, each kind with only the options Grafana gives it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail, freeze
from pfm_dash.model.overrides import Override
from pfm_dash.model.query import Query
from pfm_dash.model.units import CustomUnit
from pfm_dash.model.values import (
    Mapping_,
    NullMap,
    RangeMap,
    Step,
    Thresholds,
    ValueMap,
    check_color,
)
from pfm_dash.model.vocab import (
    AlertListSort,
    AlertListView,
    AlertState,
    BarGaugeMode,
    ColorMode,
    GraphMode,
    LegendMode,
    LegendPlacement,
    Orientation,
    Reduce,
    Stacking,
    StatColorMode,
    TextMode,
    TooltipMode,
    Unit,
    Width,
)
from pfm_dash.records import field


@declaration
class Link:
    """A link shown on a panel or dashboard."""

    title: str
    url: str
    new_tab: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


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
    """What every panel kind shares. ``extra`` is raw JSON merged last, for what we don't model.

    ``id`` is kept as given (an imported panel keeps its own); left out, the layout derives a
    stable one from the title (see :mod:`pfm_dash.model.layout`).
    """

    title: str
    queries: Sequence[Query] = ()
    description: str = ""
    unit: Unit | CustomUnit | None = None
    decimals: int | None = None
    min: float | None = None
    max: float | None = None
    thresholds: Thresholds | None = None
    color_mode: ColorMode | None = None
    mappings: Sequence[Mapping_] = ()
    overrides: Sequence[Override] = ()
    links: Sequence[Link] = ()
    width: int = Width.HALF
    height: int = 8
    pos: GridPos | None = None
    transparent: bool = False
    ignore: Sequence[Ignore] = ()
    id: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        for name in ("queries", "mappings", "overrides", "links", "ignore"):
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
        if self.id is not None and self.id < 1:
            raise fail(
                self.location,
                f"panel {self.title!r} has id {self.id}; Grafana replaces ids below 1",
                "use a positive id, or leave id= out for a stable one",
            )
        for m in self.mappings:
            if m.color is not None:
                check_color(m.color, self.location)


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
        if self.overrides:
            raise fail(self.location, "an alert list has no field overrides", "remove overrides=")


@declaration
class GenericPanel(Panel):
    """Any other panel kind (heatmap, text, piechart, histogram, logs, status-history, plugins).

    ``type`` is Grafana's panel type id; ``options`` is the panel's ``options`` and
    ``field_config`` its ``fieldConfig.defaults``, both raw JSON. The typed fields shared by
    every panel (unit, thresholds, mappings, overrides, queries...) still apply.
    """

    type: str
    options: Mapping[str, Any] = field(default_factory=dict)
    field_config: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Panel.__post_init__(self)
        if not self.type.strip() or self.type == "row":
            raise fail(
                self.location,
                f"panel {self.title!r} has type {self.type!r}",
                'give Grafana\'s panel type id, e.g. type="heatmap"; rows are Row(...)',
            )


__all__ = [
    "AlertList",
    "BarGauge",
    "Gauge",
    "GenericPanel",
    "GridPos",
    "Ignore",
    "Legend",
    "Link",
    "Mapping_",
    "NullMap",
    "Panel",
    "RangeMap",
    "Stat",
    "StateTimeline",
    "Step",
    "Table",
    "Thresholds",
    "TimeSeries",
    "ValueMap",
]
