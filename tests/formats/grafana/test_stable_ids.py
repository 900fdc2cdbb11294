"""Inserting a panel keeps every other panel's id, so alert links already sent stay right."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pfm_dash import Dashboard, PanelLink, Query, Stat, Unit, Width
from pfm_dash.config import load_config
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.project import load_project
from tests.conftest import ROOT


def ids_by_title(board: Dashboard) -> dict[str, int]:
    out: dict[str, int] = {}

    def walk(panels: list[dict[str, Any]]) -> None:
        for panel in panels:
            out[panel["title"]] = panel["id"]
            walk(panel.get("panels", []))

    walk(compile_dashboard(board).model["panels"])
    return out


def test_a_panel_inserted_at_the_top_of_the_overview_changes_no_other_id_or_alert_link() -> None:
    project = load_project(load_config(ROOT))
    overview = next(d for d in project.dashboards if d.uid == "pfm-overview")
    new = Stat(title="Deploys Today", queries=[Query(expr="up")], unit=Unit.NONE, width=Width.FULL)
    edited = replace(overview, panels=[new, *overview.panels])

    before, after = ids_by_title(overview), ids_by_title(edited)
    assert after.pop("Deploys Today") not in before.values()
    assert after == before
    # Every panel moved down the grid, and yet keeps its id.
    assert len(before) == len(overview.all_panels()) == 11

    linked = [a for a in project.alerts if a.panel and a.panel.dashboard is overview]
    assert len(linked) >= 5
    for alert in linked:
        assert alert.panel is not None
        moved = replace(alert, panel=PanelLink(dashboard=edited, panel=alert.panel.panel))
        url = alert.rendered_annotations("https://grafana.example")["dashboard_url"]
        assert moved.rendered_annotations("https://grafana.example")["dashboard_url"] == url
        assert url.endswith(f"viewPanel={before[alert.panel.panel.title]}")
