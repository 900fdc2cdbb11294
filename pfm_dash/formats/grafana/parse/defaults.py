"""What Grafana uses where a dashboard's JSON leaves a key out: one table, in one place.

The parser sets a typed field to this value when the key is absent, so a re-generated
dashboard shows what the original showed (the DSL's own house defaults differ: a new
``TimeSeries`` fills at 10%, Grafana's default is 0). The round-trip proof uses the same
table to accept keys the generator adds: an added key must hold Grafana's default.

Sources (grafana/grafana unless noted; see /work/shared/reference/grafana-dashboard-model.md):
- panels: ``public/app/features/dashboard/state/PanelModel.ts`` (``defaults``: transparent,
  links, transformations, options, fieldConfig) and npm ``@grafana/schema``
  ``raw/dashboard/x/types.gen`` (``defaultPanel``, ``defaultFieldConfig``);
- per panel kind: ``@grafana/schema`` ``raw/composable/<kind>/panelcfg`` (``defaultOptions``,
  ``defaultFieldConfig``), ``public/app/plugins/panel/timeseries/config.ts``
  (``defaultGraphConfig``), ``public/app/plugins/panel/stat/common.ts``
  (``addStandardDataReduceOptions``), ``public/app/plugins/panel/alertlist/module.tsx``;
- standard field config: ``public/app/core/components/OptionsUI/registry.tsx`` (colour mode
  per plugin: ``FieldColorModeId``; thresholds ``getAllStandardFieldConfigs``);
- dashboard: ``public/app/features/dashboard/state/DashboardModel.ts`` (constructor);
- variables: ``public/app/features/variables/<type>/reducer.ts`` (``initialState``);
- links: ``@grafana/schema`` ``defaultDashboardLink`` and the link editor's ``newLink``.
"""

from __future__ import annotations

import copy
from typing import Any

from pfm_dash.formats.grafana.dashboard import BUILTIN_ANNOTATION

# The threshold base step is -Infinity in memory and null in JSON.
BASE_THRESHOLDS: dict[str, Any] = {
    "mode": "absolute",
    "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}],
}

# Every panel kind (PanelModel.defaults; @grafana/schema defaultPanel).
COMMON_PANEL: dict[str, Any] = {
    "title": "",
    "description": "",
    "links": [],
    "transparent": False,
    "transformations": [],
    "fieldConfig.overrides": [],
    "fieldConfig.defaults.mappings": [],
    "fieldConfig.defaults.links": [],
    "fieldConfig.defaults.thresholds": BASE_THRESHOLDS,
    "fieldConfig.defaults.thresholds.mode": "absolute",
    "fieldConfig.defaults.color.mode": "thresholds",
    "repeatDirection": "h",
    # PanelModel's constructor fills gridPos from its defaults (defaultsDeep).
    "gridPos.x": 0,
    "gridPos.y": 0,
    "gridPos.w": 6,
    "gridPos.h": 3,
}

_LEGEND: dict[str, Any] = {
    "options.legend.showLegend": True,
    "options.legend.displayMode": "list",
    "options.legend.placement": "bottom",
    "options.legend.calcs": [],
}

_REDUCE: dict[str, Any] = {
    "options.reduceOptions.values": False,
    "options.reduceOptions.calcs": ["lastNotNull"],
    "options.reduceOptions.fields": "",
    "options.orientation": "auto",
}

# Per panel kind, paths relative to the panel.
PANEL: dict[str, dict[str, Any]] = {
    "timeseries": {
        **_LEGEND,
        "options.tooltip.mode": "single",
        "options.tooltip.sort": "none",
        "fieldConfig.defaults.color.mode": "palette-classic",
        "fieldConfig.defaults.custom.drawStyle": "line",
        "fieldConfig.defaults.custom.lineInterpolation": "linear",
        "fieldConfig.defaults.custom.lineWidth": 1,
        "fieldConfig.defaults.custom.fillOpacity": 0,
        "fieldConfig.defaults.custom.gradientMode": "none",
        "fieldConfig.defaults.custom.barAlignment": 0,
        "fieldConfig.defaults.custom.barWidthFactor": 0.6,
        "fieldConfig.defaults.custom.stacking.mode": "none",
        "fieldConfig.defaults.custom.stacking.group": "A",
        "fieldConfig.defaults.custom.axisGridShow": True,
        "fieldConfig.defaults.custom.axisCenteredZero": False,
        "fieldConfig.defaults.custom.axisBorderShow": False,
        "fieldConfig.defaults.custom.axisPlacement": "auto",
        "fieldConfig.defaults.custom.axisColorMode": "text",
        "fieldConfig.defaults.custom.axisLabel": "",
        "fieldConfig.defaults.custom.scaleDistribution.type": "linear",
        "fieldConfig.defaults.custom.hideFrom.legend": False,
        "fieldConfig.defaults.custom.hideFrom.tooltip": False,
        "fieldConfig.defaults.custom.hideFrom.viz": False,
        "fieldConfig.defaults.custom.spanNulls": False,
        "fieldConfig.defaults.custom.insertNulls": False,
        "fieldConfig.defaults.custom.showPoints": "auto",
        "fieldConfig.defaults.custom.pointSize": 5,
        "fieldConfig.defaults.custom.thresholdsStyle.mode": "off",
    },
    "stat": {
        **_REDUCE,
        "options.colorMode": "value",
        "options.graphMode": "area",
        "options.justifyMode": "auto",
        "options.textMode": "auto",
        "options.wideLayout": True,
        "options.showPercentChange": False,
        "options.percentChangeColorMode": "standard",
        # No noValue: the stat shows "No data" (packages/grafana-data field display).
        "fieldConfig.defaults.noValue": "No data",
    },
    "gauge": {
        **_REDUCE,
        "options.showThresholdLabels": False,
        "options.showThresholdMarkers": True,
        "options.minVizWidth": 75,
        "options.minVizHeight": 75,
        "options.sizing": "auto",
    },
    "bargauge": {
        **_REDUCE,
        **_LEGEND,
        "options.displayMode": "gradient",
        "options.valueMode": "color",
        "options.namePlacement": "auto",
        "options.showUnfilled": True,
        "options.sizing": "auto",
        "options.minVizWidth": 8,
        "options.minVizHeight": 16,
        "options.maxVizHeight": 300,
    },
    "table": {
        "options.cellHeight": "sm",
        "options.frameIndex": 0,
        "options.showHeader": True,
        "options.showTypeIcons": False,
        "options.sortBy": [],
        "options.footer.show": False,
        "options.footer.reducer": [],
        "options.footer.fields": "",
        "options.footer.countRows": False,
        "fieldConfig.defaults.custom.align": "auto",
        "fieldConfig.defaults.custom.inspect": False,
        "fieldConfig.defaults.custom.cellOptions.type": "auto",
    },
    "state-timeline": {
        **_LEGEND,
        # public/app/plugins/panel/state-timeline/module.tsx: the colour by value by default.
        "fieldConfig.defaults.color.mode": "continuous-GrYlRd",
        "options.showValue": "auto",
        "options.rowHeight": 0.9,
        "options.mergeValues": True,
        "options.alignValue": "left",
        "options.perPage": 20,
        "options.tooltip.mode": "single",
        "options.tooltip.sort": "none",
        "fieldConfig.defaults.custom.lineWidth": 0,
        "fieldConfig.defaults.custom.fillOpacity": 70,
    },
    "alertlist": {
        "options.viewMode": "list",
        "options.groupMode": "default",
        "options.groupBy": [],
        "options.maxItems": 20,
        "options.sortOrder": 1,
        "options.dashboardAlerts": False,
        "options.alertName": "",
        "options.alertInstanceLabelFilter": "",
        "options.stateFilter.firing": True,
        "options.stateFilter.pending": True,
        "options.stateFilter.recovering": True,
        "options.stateFilter.noData": False,
        "options.stateFilter.normal": False,
        "options.stateFilter.error": True,
    },
}

ROW: dict[str, Any] = {"collapsed": False, "panels": [], "gridPos.x": 0, "gridPos.y": 0}

# Prometheus target (dataquery.cue; legendFormat/interval/hide as Grafana treats them absent).
TARGET: dict[str, Any] = {
    "legendFormat": "",
    "interval": "",
    "hide": False,
    "instant": False,
    "exemplar": False,
    "format": "time_series",
}


def target_defaults(target: Any) -> dict[str, Any]:
    """TARGET plus the two defaults that depend on the query itself.

    The Prometheus query editor opens a query that has an expression in code mode
    (``getDefaultEditorMode``, public/app/plugins/datasource/prometheus/querybuilder/state.ts),
    and a query that is not instant runs as a range query (``getQueryWithDefaults``, same file).
    """
    expr = target.get("expr") if isinstance(target, dict) else None
    instant = target.get("instant") if isinstance(target, dict) else None
    return {**TARGET, "editorMode": "code" if expr else "builder", "range": instant is not True}


DASHBOARD: dict[str, Any] = {
    "description": "",
    "tags": [],
    "timezone": "",
    "weekStart": "",
    "editable": True,
    "graphTooltip": 0,
    "time.from": "now-6h",
    "time.to": "now",
    "timepicker": {},
    "fiscalYearStartMonth": 0,
    "liveNow": False,
    "refresh": "",
    "links": [],
    "templating.list": [],
    # DashboardModel.addBuiltInAnnotationQuery inserts this on every load when it is missing.
    "annotations.list": [copy.deepcopy(BUILTIN_ANNOTATION)],
}

# Shared by every variable (@grafana/schema defaultVariableModel, variables/*/reducer.ts).
VARIABLE: dict[str, Any] = {
    "label": "",
    "description": "",
    "hide": 0,
    "skipUrlSync": False,
    "current": {},
    "options": [],
    "multi": False,
    "includeAll": False,
    "regex": "",
}

VARIABLE_KIND: dict[str, dict[str, Any]] = {
    "query": {"sort": 0, "refresh": 1, "definition": "", "allValue": None},
    "datasource": {"refresh": 1, "sort": 0},
    "custom": {"allValue": None, "sort": 0},
    "interval": {"auto": False, "auto_count": 30, "auto_min": "10s", "refresh": 2, "sort": 0},
}

# Dashboard links: @grafana/schema defaultDashboardLink, plus icon/tooltip/url as the link
# editor creates a link (``newLink`` in
# public/app/features/dashboard/components/LinksSettings/LinkSettingsEdit.tsx).
LINK: dict[str, Any] = {
    "title": "",
    "asDropdown": False,
    "includeVars": False,
    "keepTime": False,
    "tags": [],
    "targetBlank": False,
    "icon": "external link",
    "tooltip": "",
    "url": "",
}


def panel_default(kind: str, dotted: str) -> Any:
    """Grafana's default for ``dotted`` in a panel of ``kind`` (KeyError when it has none)."""
    table = PANEL.get(kind, {})
    if dotted in table:
        return table[dotted]
    return COMMON_PANEL[dotted]


def variable_default(kind: str, key: str) -> Any:
    table = VARIABLE_KIND.get(kind, {})
    return table[key] if key in table else VARIABLE[key]
