"""Old dashboards (schemaVersion < 36) upgraded as Grafana upgrades them when it loads them.

Follows ``DashboardMigrator.updateSchema`` (grafana/grafana
public/app/features/dashboard/state/DashboardMigrator.ts; the Go port in
apps/dashboard/pkg/migration/schemaversion/vNN.go) for what real dashboards use, plus the
automatic panel migrations of ``PanelModel.restoreModel`` / ``getPanelPluginToMigrateTo.ts``
(graph, singlestat, the Angular table, text2, heatmap-new). Each step returns what it
changed, in words, for the import report; what a step does not read stays in the JSON (and
so in ``extra``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pfm_dash.formats.grafana.parse.legacy_graph import graph_to_timeseries
from pfm_dash.formats.grafana.parse.legacy_rows import rows_to_panels
from pfm_dash.formats.grafana.parse.legacy_singlestat import old_mappings, singlestat_to_stat
from pfm_dash.formats.grafana.parse.legacy_table import angular_table_to_table, is_angular_table

TARGET_SCHEMA = 36


def all_panels(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Top-level panels and the panels inside rows (every panel step applies to both)."""
    for panel in data.get("panels") or []:
        if isinstance(panel, dict):
            yield panel
            for child in panel.get("panels") or []:
                if isinstance(child, dict):
                    yield child


def _name(panel: dict[str, Any]) -> str:
    return f"panel {panel.get('id', '?')} {str(panel.get('title', ''))!r}"


def _step14(data: dict[str, Any]) -> list[str]:
    """``sharedCrosshair`` becomes ``graphTooltip`` (v14.go)."""
    if "sharedCrosshair" not in data:
        return []
    shared = data.pop("sharedCrosshair")
    data["graphTooltip"] = 1 if shared else 0
    return ["sharedCrosshair -> graphTooltip"]


def _step16(data: dict[str, Any]) -> list[str]:
    count = rows_to_panels(data)
    return [f"{count} top-level rows -> row panels on the grid"] if count else []


def _step27_28(data: dict[str, Any]) -> list[str]:
    """Repeat leftovers go (27); variable tag keys go (28)."""
    notes: list[str] = []
    panels = data.get("panels")
    if isinstance(panels, list):
        kept = [p for p in panels if not (isinstance(p, dict) and p.get("repeatPanelId"))]
        if len(kept) != len(panels):
            notes.append(f"{len(panels) - len(kept)} repeated panel copies removed")
            data["panels"] = kept
    for variable in _variables(data):
        removed = [k for k in ("tags", "tagsQuery", "tagValuesQuery", "useTags") if k in variable]
        for key in removed:
            del variable[key]
        if removed:
            notes.append(f"variable {variable.get('name')!r}: tag options removed")
    return notes


def _step29(data: dict[str, Any]) -> list[str]:
    """Query variables refresh on load at least, and keep no saved options (v29.go)."""
    notes: list[str] = []
    for variable in _variables(data):
        if variable.get("type") != "query":
            continue
        if variable.get("refresh") not in (1, 2):
            variable["refresh"] = 1
            notes.append(f"variable {variable.get('name')!r}: refresh -> on load")
        if variable.get("options"):
            variable["options"] = []
    return notes


def _step30(data: dict[str, Any]) -> list[str]:
    """Old value mappings ``{type: 1|2, ...}`` become typed mappings (v30.go)."""
    notes: list[str] = []
    for panel in all_panels(data):
        defaults = (panel.get("fieldConfig") or {}).get("defaults")
        if not isinstance(defaults, dict):
            continue
        mappings = defaults.get("mappings")
        if not isinstance(mappings, list) or not mappings:
            continue
        old = [m for m in mappings if isinstance(m, dict) and m.get("type") in (1, 2)]
        if not old:
            continue
        new = [m for m in mappings if m not in old]
        values = [m for m in old if m.get("type") == 1]
        ranges = [m for m in old if m.get("type") == 2]
        defaults["mappings"] = old_mappings(values, ranges) + new
        notes.append(f"{_name(panel)}: value mappings upgraded")
    return notes


def _step37(data: dict[str, Any]) -> list[str]:
    """A hidden legend becomes ``showLegend: false`` with the list display (v37.go)."""
    for panel in all_panels(data):
        legend = (panel.get("options") or {}).get("legend")
        if not isinstance(legend, dict):
            continue
        if legend.get("displayMode") == "hidden" or legend.get("showLegend") is False:
            legend["displayMode"] = "list"
            legend["showLegend"] = False
        else:
            legend["showLegend"] = True
    return []


def _panel_types(data: dict[str, Any], schema: int) -> list[str]:
    """Angular and renamed panel kinds (``autoMigrateAngular``, getPanelPluginToMigrateTo.ts)."""
    notes: list[str] = []
    for panel in all_panels(data):
        kind = panel.get("type")
        if is_angular_table(panel, schema):
            angular_table_to_table(panel)
            notes.append(f"{_name(panel)}: Angular {kind} -> table")
        elif kind == "graph":
            graph_to_timeseries(panel)
            notes.append(f"{_name(panel)}: graph -> timeseries")
        elif kind in ("singlestat", "grafana-singlestat-panel"):
            singlestat_to_stat(panel)
            notes.append(f"{_name(panel)}: {kind} -> stat")
        elif kind == "text2":  # v26.go
            panel["type"] = "text"
            (panel.get("options") or {}).pop("angular", None)
            notes.append(f"{_name(panel)}: text2 -> text")
        elif kind == "heatmap-new":
            panel["type"] = "heatmap"
            notes.append(f"{_name(panel)}: heatmap-new -> heatmap")
    return notes


def _step40_41(data: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    if "refresh" in data and not isinstance(data["refresh"], str):
        data["refresh"] = ""  # v40.go: old dashboards stored false
        notes.append("refresh -> ''")
    timepicker = data.get("timepicker")
    if isinstance(timepicker, dict) and "time_options" in timepicker:
        del timepicker["time_options"]  # v41.go
    return notes


def _variables(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    templating = data.get("templating")
    if isinstance(templating, dict):
        for variable in templating.get("list") or []:
            if isinstance(variable, dict):
                yield variable


# (schema version the step brings a dashboard to, the step), in Grafana's order.
_STEPS: tuple[tuple[int, Callable[[dict[str, Any]], list[str]]], ...] = (
    (14, _step14),
    (16, _step16),
    (28, _step27_28),
    (29, _step29),
    (30, _step30),
    (37, _step37),
    (41, _step40_41),
)


def upgrade(data: dict[str, Any]) -> list[str]:
    """Upgrade ``data`` in place to at least schema 36; what was upgraded, in words.

    Schema steps run only for dashboards older than 36 (and older than the step); the
    panel-kind migrations run for any version, as Grafana runs them on every load.
    """
    version = data.get("schemaVersion")
    old = version if isinstance(version, int) and not isinstance(version, bool) else 0
    notes: list[str] = []
    for to, step in _STEPS:
        # A dashboard at 36 or later is left as it is (the round trip keeps every key); an
        # older one gets every step past its version, the later ones included.
        if old < TARGET_SCHEMA and old < to:
            notes.extend(step(data))
    notes.extend(_panel_types(data, old))
    if old < TARGET_SCHEMA:
        notes.insert(0, f"schemaVersion {old} -> {TARGET_SCHEMA}")
        data["schemaVersion"] = TARGET_SCHEMA
    return notes
