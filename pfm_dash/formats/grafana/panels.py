"""Panels and rows: grafanalib shells, modernised, with their targets and position."""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterator
from typing import Any

import grafanalib.core as G

from pfm_dash.formats.grafana.fields import alert_list_options, field_options, links_json
from pfm_dash.formats.grafana.overrides import overrides_json
from pfm_dash.formats.grafana.shell import datasource_ref, merge, shell_json
from pfm_dash.formats.grafana.values import mappings_json, thresholds_json
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.layout import Placed
from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    GenericPanel,
    Panel,
    Stat,
    StateTimeline,
    Table,
    TimeSeries,
)
from pfm_dash.model.query import Query
from pfm_dash.model.units import unit_id

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


def _ref_ids() -> Iterator[str]:
    """A, B, ..., Z, AA, AB, ...: the names Grafana gives queries."""
    yield from _FIRST_REF_IDS
    letters = string.ascii_uppercase
    for size in itertools.count(2):
        for combo in itertools.product(letters, repeat=size):
            yield "".join(combo)


_FIRST_REF_IDS = tuple(string.ascii_uppercase)


def _targets(panel: Panel, dashboard: Dashboard) -> list[G.Target]:
    """grafanalib targets with ref ids A, B, ... where the query gives none."""
    letters = _ref_ids()
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


def _generic_fields(panel: GenericPanel) -> tuple[dict[str, Any], dict[str, Any]]:
    """A generic panel's options and defaults: only what it declares, raw JSON last."""
    defaults: dict[str, Any] = {}
    if panel.color_mode is not None:
        defaults["color"] = {"mode": panel.color_mode.value}
    if panel.mappings:
        defaults["mappings"] = mappings_json(panel.mappings)
    if panel.thresholds is not None:
        defaults["thresholds"] = thresholds_json(panel.thresholds)
    if panel.unit is not None:
        defaults["unit"] = unit_id(panel.unit)
    for key in ("decimals", "min", "max"):
        if getattr(panel, key) is not None:
            defaults[key] = getattr(panel, key)
    return merge({}, panel.options), merge(defaults, panel.field_config)


_GRAFANALIB_KIND: dict[type[Panel], Any] = {
    TimeSeries: G.TimeSeries,
    Stat: G.Stat,
    Gauge: G.GaugePanel,
    BarGauge: G.BarGauge,
    Table: G.Table,
    StateTimeline: G.StateTimeline,
}


def panel_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
    panel = placed.panel
    assert panel is not None
    box = placed.box
    grid = G.GridPos(h=box.h, w=box.w, x=box.x, y=box.y)
    if isinstance(panel, GenericPanel):
        data = {"id": placed.id, "title": panel.title, "type": panel.type}
        data["gridPos"] = {"h": box.h, "w": box.w, "x": box.x, "y": box.y}
        options, defaults = _generic_fields(panel)
        data["options"] = options
        data["fieldConfig"] = {"defaults": defaults, "overrides": overrides_json(panel.overrides)}
        data["targets"] = [_modern_target(t.to_json_data()) for t in _targets(panel, dashboard)]
    elif isinstance(panel, AlertList):
        shell = G.AlertList(title=panel.title, id=placed.id, gridPos=grid)
        data = shell_json(shell, _ALERTLIST_LEGACY_KEYS)
        data["options"] = alert_list_options(panel)
        data["fieldConfig"] = {"defaults": {}, "overrides": []}
        data["targets"] = []
    else:
        shell = _GRAFANALIB_KIND[type(panel)](
            title=panel.title, id=placed.id, gridPos=grid, targets=_targets(panel, dashboard)
        )
        data = shell_json(shell, (*_REPLACED_PANEL_KEYS, "targets"))
        options, defaults = field_options(panel)
        data["options"] = options
        data["fieldConfig"] = {"defaults": defaults, "overrides": overrides_json(panel.overrides)}
        # A Target's JSON holds only scalars and our datasource dict: no resolving needed.
        data["targets"] = [
            merge(_modern_target(t.to_json_data()), q.extra)
            for t, q in zip(shell.targets, panel.queries, strict=True)
        ]
    # grafanalib's datasource is a name string or null; Grafana 8.3+ stores a {type, uid} ref.
    data["datasource"] = datasource_ref(dashboard)
    data["description"] = panel.description
    data["links"] = links_json(panel.links)
    data["transparent"] = panel.transparent
    if not data.get("transformations"):
        data.pop("transformations", None)
    return merge(data, panel.extra)


def row_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
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
    data["panels"] = [panel_json(child, dashboard) for child in placed.children]
    return merge(data, row.extra)
