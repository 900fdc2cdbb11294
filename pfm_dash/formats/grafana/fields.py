"""Options and field config per panel kind: what Grafana 10+ stores for each.

One function per kind returns ``(options, fieldConfig.defaults)``; :mod:`.kinds` maps the
model's classes to them. The shapes are those Grafana's panel editors save (grafana/grafana
public/app/plugins/panel/<kind>/panelcfg.gen.ts), not grafanalib's Grafana 5-7 ones
(``fieldOptions``, ``noValue: "none"``, the pre-7.5 alert list).
"""

from __future__ import annotations

from typing import Any

from pfm_dash.formats.grafana.common import merge
from pfm_dash.formats.grafana.values import mappings_json, thresholds_json
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
from pfm_dash.model.units import unit_id
from pfm_dash.model.vocab import ColorMode, LegendMode, Reduce

Fields = tuple[dict[str, Any], dict[str, Any]]


def _numeric(panel: Panel, defaults: dict[str, Any]) -> dict[str, Any]:
    """Unit, decimals, min and max: set only where the panel declares them."""
    if panel.unit is not None:
        defaults["unit"] = unit_id(panel.unit)
    if panel.decimals is not None:
        defaults["decimals"] = panel.decimals
    if panel.min is not None:
        defaults["min"] = panel.min
    if panel.max is not None:
        defaults["max"] = panel.max
    return defaults


def _defaults(panel: Panel, color: ColorMode) -> dict[str, Any]:
    """What every value panel stores: colour mode, mappings and thresholds always."""
    defaults: dict[str, Any] = {
        "color": {"mode": (panel.color_mode or color).value},
        "mappings": mappings_json(panel.mappings),
        "thresholds": thresholds_json(panel.thresholds),
    }
    return _numeric(panel, defaults)


def _legend(legend: Legend) -> dict[str, Any]:
    hidden = legend.mode is LegendMode.HIDDEN
    return {
        "calcs": [c.value for c in legend.calcs],
        "displayMode": LegendMode.LIST.value if hidden else legend.mode.value,
        "placement": legend.placement.value,
        "showLegend": not hidden,
    }


def _reduce(calc: Reduce) -> dict[str, Any]:
    return {"calcs": [calc.value], "fields": "", "values": False}


def timeseries(panel: TimeSeries) -> Fields:
    defaults = _defaults(panel, ColorMode.PALETTE_CLASSIC)
    defaults["custom"] = {
        "drawStyle": "line",
        "fillOpacity": panel.fill_opacity,
        "gradientMode": "none",
        "lineInterpolation": "linear",
        "lineWidth": panel.line_width,
        "showPoints": "never",
        "spanNulls": False,
        "stacking": {"group": "A", "mode": panel.stacking.value},
        "thresholdsStyle": {"mode": "off"},
    }
    options = {
        "legend": _legend(panel.legend),
        "tooltip": {"mode": panel.tooltip.value, "sort": "desc"},
    }
    return options, defaults


def stat(panel: Stat) -> Fields:
    defaults = _defaults(panel, ColorMode.THRESHOLDS)
    # grafanalib wrote noValue "none", which shows the word "none" when there is no data.
    defaults["noValue"] = panel.no_value
    options = {
        "colorMode": panel.stat_color.value,
        "graphMode": panel.graph.value,
        "justifyMode": "auto",
        "orientation": panel.orientation.value,
        "reduceOptions": _reduce(panel.reduce),
        "showPercentChange": False,
        "textMode": panel.text.value,
        "wideLayout": True,
    }
    return options, defaults


def gauge(panel: Gauge) -> Fields:
    options = {
        "orientation": "auto",
        "reduceOptions": _reduce(panel.reduce),
        "showThresholdLabels": panel.show_threshold_labels,
        "showThresholdMarkers": panel.show_threshold_markers,
    }
    return options, _defaults(panel, ColorMode.THRESHOLDS)


def bar_gauge(panel: BarGauge) -> Fields:
    # reduceOptions, not the pre-7 "fieldOptions" block grafanalib wrote.
    options = {
        "displayMode": panel.mode.value,
        "namePlacement": "auto",
        "orientation": panel.orientation.value,
        "reduceOptions": _reduce(panel.reduce),
        "showUnfilled": panel.show_unfilled,
        "valueMode": "color",
    }
    return options, _defaults(panel, ColorMode.THRESHOLDS)


def table(panel: Table) -> Fields:
    defaults = _defaults(panel, ColorMode.THRESHOLDS)
    defaults["custom"] = {"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False}
    options = {
        "cellHeight": "sm",
        # No "fields": Grafana totals every numeric field then, and the schema types it as a
        # list of names (Grafana's own "" is not one).
        "footer": {"countRows": False, "reducer": ["sum"], "show": False},
        "showHeader": panel.show_header,
    }
    return options, defaults


def state_timeline(panel: StateTimeline) -> Fields:
    defaults = _defaults(panel, ColorMode.THRESHOLDS)
    defaults["custom"] = {"fillOpacity": 70, "lineWidth": 0}
    options = {
        "alignValue": "left",
        "legend": _legend(panel.legend),
        "mergeValues": panel.merge_values,
        "rowHeight": panel.row_height,
        "showValue": "auto" if panel.show_values else "never",
        "tooltip": {"mode": "single", "sort": "none"},
    }
    return options, defaults


_ALERT_STATES = ("error", "firing", "noData", "normal", "pending")


def alert_list(panel: AlertList) -> Fields:
    """Grafana 8+ (unified alerting) options; not the pre-7.5 ``show``, ``limit``,
    ``stateFilter`` list and ``onlyAlertsOnDashboard`` grafanalib wrote."""
    states = {s.value for s in panel.states}
    options = {
        "alertInstanceLabelFilter": panel.label_filter,
        "alertName": panel.alert_name,
        "dashboardAlerts": panel.dashboard_alerts_only,
        "groupBy": [],
        "groupMode": panel.group_mode,
        "maxItems": panel.max_items,
        "sortOrder": int(panel.sort),
        "stateFilter": {name: name in states for name in _ALERT_STATES},
        "viewMode": panel.view.value,
    }
    return options, {}


def generic(panel: GenericPanel) -> Fields:
    """Only what the panel declares, then its raw ``options`` and ``field_config`` over it:
    a text or plugin panel gets no value settings it never asked for."""
    defaults: dict[str, Any] = {}
    if panel.color_mode is not None:
        defaults["color"] = {"mode": panel.color_mode.value}
    if panel.mappings:
        defaults["mappings"] = mappings_json(panel.mappings)
    if panel.thresholds is not None:
        defaults["thresholds"] = thresholds_json(panel.thresholds)
    _numeric(panel, defaults)
    return merge({}, panel.options), merge(defaults, panel.field_config)
