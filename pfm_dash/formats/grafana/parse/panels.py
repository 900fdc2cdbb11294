"""Panels: one table row per panel kind, naming the JSON paths the DSL types and where.

A :class:`Spec` reads one JSON path into one model field. Where the path is absent the field
gets Grafana's default from :mod:`.defaults` (not the DSL's house default), so the panel
re-generates as Grafana showed it. What no spec takes stays in the panel's ``extra``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pfm_dash.formats.grafana.parse import fields as read
from pfm_dash.formats.grafana.parse.datasources import is_prometheus
from pfm_dash.formats.grafana.parse.defaults import panel_default
from pfm_dash.formats.grafana.parse.node import Node
from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    GenericPanel,
    Legend,
    Panel,
    Stat,
    StateTimeline,
    Table,
    TimeSeries,
)
from pfm_dash.model.query import Query
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
)

# A panel must have a title in the DSL; an untitled one gets this, and its "" stays in extra.
UNTITLED = "(untitled)"


@dataclass(frozen=True)
class Spec:
    """JSON ``path`` (relative to the panel) read into model field ``name``."""

    path: str
    name: str
    read: Callable[[Any], Any]


@dataclass(frozen=True)
class Composite:
    """A field built from several paths (a legend, the alert states)."""

    name: str
    read: Callable[[Node, str], Any]


Field = Spec | Composite

_NO_DEFAULT: Any = object()


def _default(kind: str, path: str) -> Any:
    try:
        return panel_default(kind, path)
    except KeyError:
        return _NO_DEFAULT


def _single_calc(raw: Any) -> Reduce:
    if not isinstance(raw, list) or len(raw) != 1:
        raise ValueError(raw)
    return Reduce(raw[0])


def _calcs(raw: Any) -> tuple[Reduce, ...]:
    if not isinstance(raw, list):
        raise ValueError(raw)
    return tuple(Reduce(c) for c in raw)


def _title(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw


def _show_value(raw: Any) -> bool:
    return {"auto": True, "never": False}[raw]


def _legend(node: Node, kind: str) -> Legend:
    base = "options.legend"
    if node.peek(f"{base}.displayMode") == "hidden":
        raise ValueError("hidden")  # schema 37 rewrites it; left raw if it is still here
    show = node.take_typed(
        f"{base}.showLegend", read.boolean, _default(kind, f"{base}.showLegend"), ""
    )
    mode = node.take_typed(
        f"{base}.displayMode",
        read.enum(LegendMode),
        LegendMode(_default(kind, f"{base}.displayMode")),
        "",
    )
    placement = node.take_typed(
        f"{base}.placement",
        read.enum(LegendPlacement),
        LegendPlacement(_default(kind, f"{base}.placement")),
        "",
    )
    calcs: tuple[Reduce, ...] = node.take_typed(f"{base}.calcs", _calcs, (), "")
    if not show:
        if mode is not LegendMode.LIST:  # the generator writes "list" for a hidden legend
            node.data.setdefault("options", {}).setdefault("legend", {})["displayMode"] = mode.value
        mode = LegendMode.HIDDEN
    return Legend(mode=mode, placement=placement, calcs=calcs)


def _states(node: Node, kind: str) -> tuple[AlertState, ...]:
    states = []
    for state in AlertState:
        path = f"options.stateFilter.{state.value}"
        if node.take_typed(path, read.boolean, bool(_default(kind, path)), ""):
            states.append(state)
    return tuple(states)


_REDUCE = Spec("options.reduceOptions.calcs", "reduce", _single_calc)
_ORIENTATION = Spec("options.orientation", "orientation", read.enum(Orientation))
_LEGEND = Composite("legend", _legend)

KINDS: dict[str, tuple[type[Panel], tuple[Field, ...]]] = {
    "timeseries": (
        TimeSeries,
        (
            _LEGEND,
            Spec("options.tooltip.mode", "tooltip", read.enum(TooltipMode)),
            Spec("fieldConfig.defaults.custom.stacking.mode", "stacking", read.enum(Stacking)),
            Spec("fieldConfig.defaults.custom.fillOpacity", "fill_opacity", read.integer),
            Spec("fieldConfig.defaults.custom.lineWidth", "line_width", read.integer),
        ),
    ),
    "stat": (
        Stat,
        (
            _REDUCE,
            _ORIENTATION,
            Spec("options.colorMode", "stat_color", read.enum(StatColorMode)),
            Spec("options.graphMode", "graph", read.enum(GraphMode)),
            Spec("options.textMode", "text", read.enum(TextMode)),
            Spec("fieldConfig.defaults.noValue", "no_value", read.text),
        ),
    ),
    "gauge": (
        Gauge,
        (
            _REDUCE,
            Spec("options.showThresholdMarkers", "show_threshold_markers", read.boolean),
            Spec("options.showThresholdLabels", "show_threshold_labels", read.boolean),
        ),
    ),
    "bargauge": (
        BarGauge,
        (
            _REDUCE,
            _ORIENTATION,
            Spec("options.displayMode", "mode", read.enum(BarGaugeMode)),
            Spec("options.showUnfilled", "show_unfilled", read.boolean),
        ),
    ),
    "table": (Table, (Spec("options.showHeader", "show_header", read.boolean),)),
    "state-timeline": (
        StateTimeline,
        (
            _LEGEND,
            Spec("options.showValue", "show_values", _show_value),
            Spec("options.mergeValues", "merge_values", read.boolean),
            Spec("options.rowHeight", "row_height", read.number),
        ),
    ),
    "alertlist": (
        AlertList,
        (
            Spec("options.viewMode", "view", read.enum(AlertListView)),
            Composite("states", _states),
            Spec("options.maxItems", "max_items", read.integer),
            Spec("options.sortOrder", "sort", read.enum(AlertListSort)),
            Spec("options.alertName", "alert_name", read.text),
            Spec("options.alertInstanceLabelFilter", "label_filter", read.text),
            Spec("options.dashboardAlerts", "dashboard_alerts_only", read.boolean),
            Spec("options.groupMode", "group_mode", read.text),
        ),
    ),
}

# What every kind shares (fieldConfig.defaults holds the standard field options).
COMMON: tuple[Field, ...] = (
    Spec("description", "description", read.text),
    Spec("transparent", "transparent", read.boolean),
    Spec("links", "links", read.links),
    Spec("fieldConfig.defaults.unit", "unit", read.unit),
    Spec("fieldConfig.defaults.decimals", "decimals", read.integer),
    Spec("fieldConfig.defaults.min", "min", read.number),
    Spec("fieldConfig.defaults.max", "max", read.number),
    Spec("fieldConfig.defaults.thresholds", "thresholds", read.thresholds),
    Spec("fieldConfig.defaults.color.mode", "color_mode", read.enum(ColorMode)),
    Spec("fieldConfig.defaults.mappings", "mappings", read.mappings),
    Spec("fieldConfig.overrides", "overrides", read.overrides),
)
# The alert list shows alerts, not values: the DSL refuses value options on it.
_NOT_ON_ALERTLIST = frozenset(
    {"unit", "decimals", "min", "max", "thresholds", "color_mode", "mappings", "overrides"}
)


def _apply(
    node: Node, kind: str, spec: Field, kwargs: dict[str, Any], defaults: bool = True
) -> None:
    if isinstance(spec, Composite):
        with contextlib.suppress(ValueError):
            kwargs[spec.name] = spec.read(node, kind)
        return
    default = _default(kind, spec.path) if defaults else _NO_DEFAULT
    if node.has(spec.path):
        value = node.take_typed(spec.path, spec.read, _NO_DEFAULT, spec.name)
        if value is not _NO_DEFAULT:
            kwargs[spec.name] = value
            return
    if default is not _NO_DEFAULT:
        with contextlib.suppress(ValueError):
            kwargs[spec.name] = spec.read(default)


def _query(target: Any, index: int, panel: Node) -> Query:
    """One Prometheus target; a query to another datasource (Loki, a mixed panel's) is not
    PromQL, so it is a ValueError and the panel's targets stay raw."""
    if not isinstance(target, dict):
        raise ValueError(target)
    own = target.get("datasource")
    if "datasource" in target and not is_prometheus(own):
        raise ValueError(target)
    if "datasource" not in target and panel.has("datasource"):
        raise ValueError(target)  # the panel's datasource is not Prometheus (it was kept)
    node = Node(target, f"{panel.path}.targets[{index}]", panel.source)
    expr = node.take("expr")
    if not isinstance(expr, str) or not expr.strip():
        raise ValueError(target)
    kwargs: dict[str, Any] = {"expr": expr}
    for path, name, reader in (
        ("legendFormat", "legend", read.text),
        ("instant", "instant", read.boolean),
        ("interval", "interval", read.text),
        ("hide", "hide", read.boolean),
    ):
        if node.has(path):
            value = node.take_typed(path, reader, _NO_DEFAULT, name)
            if value is not _NO_DEFAULT:
                kwargs[name] = value
    ref = node.peek("refId")
    if isinstance(ref, str) and ref:
        try:
            Query(expr=expr, ref_id=ref)
        except Exception:
            pass  # an id the DSL refuses stays raw in extra
        else:
            kwargs["ref_id"] = node.take("refId")
    if is_prometheus(node.peek("datasource", None)):
        node.take("datasource")
    return Query(**kwargs, extra=node.rest())


def _queries(node: Node) -> tuple[Query, ...]:
    """The panel's targets as queries; any target the DSL cannot hold keeps them all raw."""
    targets = node.peek("targets")
    if not isinstance(targets, list):
        return ()
    try:
        queries = tuple(_query(t, i, node) for i, t in enumerate(targets))
    except ValueError:
        return ()
    node.take("targets")
    return queries


def panel(node: Node, kind: str) -> Panel:
    """One (non-row) panel; ``type`` and ``gridPos`` are read by the caller."""
    kwargs: dict[str, Any] = {}
    title = node.take_typed("title", _title, UNTITLED, "title")
    kwargs["title"] = title
    panel_id = node.peek("id")
    if isinstance(panel_id, int) and not isinstance(panel_id, bool) and panel_id >= 1:
        kwargs["id"] = node.take("id")
    if is_prometheus(node.peek("datasource", None)) and node.has("datasource"):
        node.take("datasource")
    cls, specs = KINDS.get(kind, (GenericPanel, ()))
    for spec in COMMON:
        if cls is AlertList and isinstance(spec, Spec) and spec.name in _NOT_ON_ALERTLIST:
            continue
        # A generic panel gets only what it declares (the generator writes nothing else), so
        # an absent key stays absent: each plugin has its own defaults, applied by Grafana.
        _apply(node, kind, spec, kwargs, defaults=cls is not GenericPanel)
    for spec in specs:
        _apply(node, kind, spec, kwargs)
    if cls is not AlertList:
        kwargs["queries"] = _queries(node)
    if cls is GenericPanel:
        kwargs["type"] = kind
        options = node.take("options", {})
        defaults = node.take("fieldConfig.defaults", {})
        if isinstance(options, dict):
            kwargs["options"] = options
        else:
            node.data["options"] = options
        if isinstance(defaults, dict):
            kwargs["field_config"] = defaults
        else:
            node.data.setdefault("fieldConfig", {})["defaults"] = defaults
    return cls(**kwargs, extra=node.rest())
