"""Grafana target: dashboards to dashboard JSON (through grafanalib), and file provisioning.

grafanalib builds the panel and dashboard shells; its defaults are from Grafana 5-7 and are
wrong for a current Grafana, so every panel and dashboard passes through ``_modern_*`` here,
which sets what Grafana 10+ stores and drops what it no longer reads. Each fix is named in a
comment and has a test in tests/targets/test_grafana.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grafanalib.core as G

from pfm_dash.errors import Location
from pfm_dash.model.dashboard import (
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    Folder,
    IntervalVariable,
    QueryVariable,
    Variable,
)
from pfm_dash.model.layout import Placed, layout
from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    Legend,
    Link,
    Mapping_,
    NullMap,
    Panel,
    RangeMap,
    Stat,
    StateTimeline,
    Table,
    Thresholds,
    TimeSeries,
    ValueMap,
)
from pfm_dash.model.query import Query
from pfm_dash.model.vocab import ColorMode, LegendMode

if TYPE_CHECKING:
    from pfm_dash.project import Project

SCHEMA_VERSION = 39

# What grafanalib emits that Grafana no longer reads, or that it should compute itself.
_LEGACY_PANEL_KEYS = (
    "span",
    "height",
    "minSpan",
    "maxDataPoints",
    "error",
    "cacheTimeout",
    "hideTimeOverride",
    "editable",
    "repeat",
    "repeatDirection",
    "maxPerRow",
    "timeFrom",
    "timeShift",
    "interval",
    "thresholds",
    "thresholdType",
    "columns",
    "fontSize",
    "mappings",
    "color",
    "styles",
)
# Replaced wholesale by what Grafana 10+ stores, so never resolved from grafanalib's objects.
_REPLACED_PANEL_KEYS = (*_LEGACY_PANEL_KEYS, "options", "fieldConfig", "datasource")
# The pre-7.5 alert list fields grafanalib writes (Grafana 8+ reads ``options`` instead).
_ALERTLIST_LEGACY_KEYS = (
    *_REPLACED_PANEL_KEYS,
    "dashboardTags",
    "limit",
    "nameFilter",
    "onlyAlertsOnDashboard",
    "show",
    "sortOrder",
    "stateFilter",
)
_LEGACY_TARGET_KEYS = ("step", "intervalFactor", "metric", "target", "query")
_LEGACY_DASHBOARD_KEYS = (
    "rows",
    "style",
    "hideControls",
    "sharedCrosshair",
    "gnetId",
    "__inputs",
    "id",
    "version",
)


@dataclass(frozen=True)
class CompiledDashboard:
    """A dashboard ready to write or push."""

    uid: str
    title: str
    folder: Folder | None
    model: dict[str, Any]
    location: Location


_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_json(obj: Any) -> Any:
    """Resolve grafanalib objects into plain JSON values (what DashboardEncoder does, once).

    This is the hot loop of a build with many dashboards: scalars return at once.
    """
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    if kind is dict:
        return {k: to_json(v) for k, v in obj.items()}
    if kind is list or kind is tuple:
        return [to_json(v) for v in obj]
    to_data = getattr(obj, "to_json_data", None)
    return obj if to_data is None else to_json(to_data())


def shell_json(shell: Any, replaced: Iterable[str]) -> dict[str, Any]:
    """A grafanalib object's JSON without the keys we replace or drop, which are never resolved."""
    data: dict[str, Any] = shell.to_json_data()
    for key in replaced:
        data.pop(key, None)
    return {k: to_json(v) for k, v in data.items()}


def datasource_ref(dashboard: Dashboard) -> dict[str, str]:
    return {"type": "prometheus", "uid": f"${{{dashboard.datasource_variable}}}"}


# --- field config -----------------------------------------------------------------------


def _thresholds(thresholds: Thresholds | None) -> dict[str, Any]:
    if thresholds is None:
        return {"mode": "absolute", "steps": [{"color": "green", "value": None}]}
    return {
        "mode": thresholds.mode.value,
        "steps": [{"color": _color(s.color), "value": s.value} for s in thresholds.steps],
    }


def _color(color: Any) -> str:
    return str(getattr(color, "value", color))


def _result(mapping: Mapping_, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {"index": index, "text": mapping.text}
    if mapping.color is not None:
        result["color"] = _color(mapping.color)
    return result


def _mappings(mappings: Iterable[Mapping_]) -> list[dict[str, Any]]:
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


def _links(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [{"title": link.title, "url": link.url, "targetBlank": link.new_tab} for link in links]


def _defaults(panel: Panel, color: ColorMode) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "color": {"mode": (panel.color_mode or color).value},
        "mappings": _mappings(panel.mappings),
        "thresholds": _thresholds(panel.thresholds),
    }
    if panel.unit is not None:
        defaults["unit"] = panel.unit.value
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


# --- panels ------------------------------------------------------------------------------


def _targets(panel: Panel, dashboard: Dashboard) -> list[G.Target]:
    """grafanalib targets with ref ids A, B, ... where the query gives none."""
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    used = {q.ref_id for q in panel.queries if q.ref_id}
    targets = []
    for query in panel.queries:
        ref = query.ref_id or next(c for c in letters if c not in used)
        used.add(ref)
        targets.append(_target(query, ref, panel, dashboard))
    return targets


def _target(query: Query, ref: str, panel: Panel, dashboard: Dashboard) -> G.Target:
    return G.Target(
        expr=query.expr,
        legendFormat=query.legend,
        refId=ref,
        instant=query.instant,
        interval=query.interval,
        hide=query.hide,
        format="table" if isinstance(panel, Table) else "time_series",
        datasource=datasource_ref(dashboard),
    )


def _modern_target(target: dict[str, Any]) -> dict[str, Any]:
    # grafanalib: step, intervalFactor 2, metric, target and a duplicate "query": all pre-7.
    for key in _LEGACY_TARGET_KEYS:
        target.pop(key, None)
    if not target.get("interval"):
        target.pop("interval", None)
    if not target.get("hide"):
        target.pop("hide", None)
    target["datasource"] = dict(target["datasource"])
    target["editorMode"] = "code"
    target["range"] = not target["instant"]
    return target


def _options(panel: Panel) -> tuple[dict[str, Any], dict[str, Any]]:
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


def _alert_list(panel: AlertList) -> dict[str, Any]:
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


_GRAFANALIB_KIND: dict[type[Panel], Any] = {
    TimeSeries: G.TimeSeries,
    Stat: G.Stat,
    Gauge: G.GaugePanel,
    BarGauge: G.BarGauge,
    Table: G.Table,
    StateTimeline: G.StateTimeline,
}


def _panel_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
    panel = placed.panel
    assert panel is not None
    box = placed.box
    grid = G.GridPos(h=box.h, w=box.w, x=box.x, y=box.y)
    if isinstance(panel, AlertList):
        shell = G.AlertList(title=panel.title, id=placed.id, gridPos=grid)
        data = shell_json(shell, _ALERTLIST_LEGACY_KEYS)
        data["options"] = _alert_list(panel)
        data["fieldConfig"] = {"defaults": {}, "overrides": []}
        data["targets"] = []
    else:
        shell = _GRAFANALIB_KIND[type(panel)](
            title=panel.title, id=placed.id, gridPos=grid, targets=_targets(panel, dashboard)
        )
        data = shell_json(shell, (*_REPLACED_PANEL_KEYS, "targets"))
        options, defaults = _options(panel)
        data["options"] = options
        data["fieldConfig"] = {"defaults": defaults, "overrides": []}
        # A Target's JSON holds only scalars and our datasource dict: no resolving needed.
        data["targets"] = [_modern_target(t.to_json_data()) for t in shell.targets]
    # grafanalib's datasource is a name string or null; Grafana 8.3+ stores a {type, uid} ref.
    data["datasource"] = datasource_ref(dashboard)
    data["description"] = panel.description
    data["links"] = _links(panel.links)
    data["transparent"] = panel.transparent
    if not data.get("transformations"):
        data.pop("transformations", None)
    return _merge(data, panel.extra)


def _row_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
    row = placed.row
    assert row is not None
    box = placed.box
    shell = G.RowPanel(
        title=row.title,
        id=placed.id,
        gridPos=G.GridPos(h=1, w=24, x=box.x, y=box.y),
        collapsed=row.collapsed,
    )
    data = shell_json(
        shell,
        (
            *_REPLACED_PANEL_KEYS,
            "description",
            "links",
            "targets",
            "transparent",
            "transformations",
        ),
    )
    # A collapsed row stores its panels; an expanded row's panels follow it at the top level.
    data["panels"] = [_panel_json(child, dashboard) for child in placed.children]
    return data


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """The ``extra=`` escape hatch: deep-merge raw JSON over what we generated."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


# --- variables ---------------------------------------------------------------------------


def _current(value: str) -> dict[str, Any]:
    return {"selected": True, "text": value, "value": value} if value else {}


def _variable_json(variable: Variable, dashboard: Dashboard) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": variable.name,
        "label": variable.label or variable.name,
        "hide": 2 if variable.hide else 0,
        "skipUrlSync": False,
    }
    if isinstance(variable, DatasourceVariable):
        template = G.Template(name=variable.name, query="prometheus", type="datasource")
        extra: dict[str, Any] = {
            "current": _current(variable.default),
            "regex": variable.regex,
            "includeAll": False,
            "multi": False,
            "options": [],
            "refresh": 1,
        }
    elif isinstance(variable, QueryVariable):
        template = G.Template(name=variable.name, query=variable.query, type="query")
        extra = {
            "datasource": datasource_ref(dashboard),
            "definition": variable.query,
            "query": {"query": variable.query, "refId": "PrometheusVariableQueryEditor"},
            "current": _current(variable.default),
            "includeAll": variable.include_all,
            "multi": variable.multi,
            "options": [],
            "refresh": int(variable.refresh),
            "regex": variable.regex,
            "sort": int(variable.sort),
        }
    elif isinstance(variable, CustomVariable):
        template = G.Template(name=variable.name, query=",".join(variable.options), type="custom")
        default = variable.default or variable.options[0]
        extra = {
            "current": _current(default),
            "includeAll": variable.include_all,
            "multi": variable.multi,
            "options": [
                {"selected": o == default, "text": o, "value": o} for o in variable.options
            ],
        }
    elif isinstance(variable, IntervalVariable):
        template = G.Template(
            name=variable.name, query=",".join(variable.intervals), type="interval"
        )
        default = variable.default or variable.intervals[0]
        extra = {
            "auto": variable.auto,
            "auto_count": 30,
            "auto_min": "10s",
            "current": _current(default),
            "options": [
                {"selected": i == default, "text": i, "value": i} for i in variable.intervals
            ],
            "refresh": 2,
        }
    else:  # pragma: no cover - the model has no other kinds
        raise TypeError(type(variable).__name__)
    data: dict[str, Any] = to_json(template)
    # grafanalib's pre-7 tag fields and null datasource/regex/label are not read by Grafana.
    for key in ("useTags", "tagsQuery", "tagValuesQuery", "datasource", "allValue"):
        data.pop(key, None)
    if data.get("type") != "interval":
        for key in ("auto", "auto_count", "auto_min"):
            data.pop(key, None)
    data.update(common)
    data.update(extra)
    if isinstance(variable, QueryVariable) and variable.all_value:
        data["allValue"] = variable.all_value
    return data


# --- dashboards --------------------------------------------------------------------------

_BUILTIN_ANNOTATIONS = {
    "list": [
        {
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True,
            "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }
    ]
}


def _dashboard_links(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [
        {
            "asDropdown": False,
            "icon": "external link",
            "includeVars": False,
            "keepTime": True,
            "tags": [],
            "targetBlank": link.new_tab,
            "title": link.title,
            "tooltip": "",
            "type": "link",
            "url": link.url,
        }
        for link in links
    ]


def compile_dashboard(dashboard: Dashboard) -> CompiledDashboard:
    """One dashboard to its Grafana JSON model (no id or version: Grafana assigns those)."""
    panels: list[dict[str, Any]] = []
    for placed in layout(dashboard):
        if placed.row is not None:
            panels.append(_row_json(placed, dashboard))
        else:
            panels.append(_panel_json(placed, dashboard))
    shell = G.Dashboard(
        title=dashboard.title,
        uid=dashboard.uid,
        description=dashboard.description,
        tags=list(dashboard.tags),
        editable=dashboard.editable,
        graphTooltip=int(dashboard.graph_tooltip),
        timezone=dashboard.timezone,
        refresh=dashboard.refresh or "",
        time=G.Time(dashboard.time.start, dashboard.time.end),
    )
    replaced = ("panels", "annotations", "links", "templating", "timepicker")
    data = shell_json(shell, (*_LEGACY_DASHBOARD_KEYS, *replaced))
    data["schemaVersion"] = SCHEMA_VERSION  # grafanalib: 12 (Grafana 4)
    data["annotations"] = _BUILTIN_ANNOTATIONS
    data["panels"] = panels
    data["links"] = _dashboard_links(dashboard.links)
    data["templating"] = {"list": [_variable_json(v, dashboard) for v in dashboard.variables]}
    data["timepicker"] = {}
    data["fiscalYearStartMonth"] = 0
    data["weekStart"] = ""
    data["liveNow"] = False
    _merge(data, dashboard.extra)
    return CompiledDashboard(
        uid=dashboard.uid,
        title=dashboard.title,
        folder=dashboard.folder,
        model=data,
        location=dashboard.location,
    )


def compile_dashboards(project: Project) -> list[CompiledDashboard]:
    """Every dashboard of a project (a :class:`pfm_dash.project.Project`), sorted by uid."""
    return [compile_dashboard(d) for d in project.dashboards]
