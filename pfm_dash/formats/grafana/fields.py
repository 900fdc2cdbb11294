"""Field config and options: what Grafana 10+ stores for each panel kind.

grafanalib writes Grafana 5-7 shapes here (``fieldOptions``, ``noValue: "none"``, the pre-7.5
alert list); these functions write the current ones, and the panel module drops grafanalib's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pfm_dash.formats.grafana.shell import merge
from pfm_dash.formats.grafana.values import mappings_json, thresholds_json
from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    Legend,
    Link,
    Panel,
    Stat,
    StateTimeline,
    Table,
    TimeSeries,
)
from pfm_dash.model.units import unit_id
from pfm_dash.model.vocab import ColorMode, LegendMode


def links_json(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [
        merge({"title": link.title, "url": link.url, "targetBlank": link.new_tab}, link.extra)
        for link in links
    ]


def _defaults(panel: Panel, color: ColorMode) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "color": {"mode": (panel.color_mode or color).value},
        "mappings": mappings_json(panel.mappings),
        "thresholds": thresholds_json(panel.thresholds),
    }
    if panel.unit is not None:
        defaults["unit"] = unit_id(panel.unit)
    for key in ("decimals", "min", "max"):
        if getattr(panel, key) is not None:
            defaults[key] = getattr(panel, key)
    return defaults


def _legend(legend: Legend) -> dict[str, Any]:
    hidden = legend.mode is LegendMode.HIDDEN
    return {
        "calcs": [c.value for c in legend.calcs],
        "displayMode": LegendMode.LIST.value if hidden else legend.mode.value,
        "placement": legend.placement.value,
        "showLegend": not hidden,
    }


def _reduce(calc: Any) -> dict[str, Any]:
    return {"calcs": [calc.value], "fields": "", "values": False}


def field_options(panel: Panel) -> tuple[dict[str, Any], dict[str, Any]]:
    """(options, fieldConfig.defaults) as Grafana 10+ stores them for each panel kind."""
    options: dict[str, Any]
    defaults: dict[str, Any]
    if isinstance(panel, TimeSeries):
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
    if isinstance(panel, Stat):
        defaults = _defaults(panel, ColorMode.THRESHOLDS)
        # grafanalib sets noValue "none", which shows the word "none" when there is no data.
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
    if isinstance(panel, Gauge):
        options = {
            "orientation": "auto",
            "reduceOptions": _reduce(panel.reduce),
            "showThresholdLabels": panel.show_threshold_labels,
            "showThresholdMarkers": panel.show_threshold_markers,
        }
        return options, _defaults(panel, ColorMode.THRESHOLDS)
    if isinstance(panel, BarGauge):
        # grafanalib writes the pre-7 "fieldOptions" block; Grafana 7+ reads reduceOptions.
        options = {
            "displayMode": panel.mode.value,
            "namePlacement": "auto",
            "orientation": panel.orientation.value,
            "reduceOptions": _reduce(panel.reduce),
            "showUnfilled": panel.show_unfilled,
            "valueMode": "color",
        }
        return options, _defaults(panel, ColorMode.THRESHOLDS)
    if isinstance(panel, Table):
        defaults = _defaults(panel, ColorMode.THRESHOLDS)
        defaults["custom"] = {"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False}
        options = {
            "cellHeight": "sm",
            "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False},
            "showHeader": panel.show_header,
        }
        return options, defaults
    if isinstance(panel, StateTimeline):
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
    raise TypeError(f"unsupported panel kind {type(panel).__name__}")  # pragma: no cover


def alert_list_options(panel: AlertList) -> dict[str, Any]:
    """Grafana 8+ (unified alerting) alert list options; grafanalib only knows the pre-7.5 ones
    (``show``, ``limit``, ``stateFilter`` as a list, ``onlyAlertsOnDashboard``)."""
    states = {s.value for s in panel.states}
    return {
        "alertInstanceLabelFilter": panel.label_filter,
        "alertName": panel.alert_name,
        "dashboardAlerts": panel.dashboard_alerts_only,
        "groupBy": [],
        "groupMode": panel.group_mode,
        "maxItems": panel.max_items,
        "sortOrder": int(panel.sort),
        "stateFilter": {
            name: name in states for name in ("error", "firing", "noData", "normal", "pending")
        },
        "viewMode": panel.view.value,
    }
