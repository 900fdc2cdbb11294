"""Dashboard JSON compared path by path, panels matched by id, then title."""

from __future__ import annotations

from typing import Any

from pfm_dash.review.jsondiff import dashboard_changes, paths


def panel(pid: int, title: str, x: int = 0, unit: str = "s") -> dict[str, Any]:
    return {
        "id": pid,
        "title": title,
        "type": "timeseries",
        "gridPos": {"x": x, "y": 0, "w": 12, "h": 8},
        "fieldConfig": {"defaults": {"unit": unit}},
    }


def test_paths_recurse_into_dicts_and_equal_lists() -> None:
    assert list(paths({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}})) == [("a.b[1]", 2, 3)]
    assert list(paths({"a": [1]}, {"a": [1, 2]})) == [("a", [1], [1, 2])]


def test_panels_by_id_then_title() -> None:
    live = {"title": "T", "panels": [panel(1, "A"), panel(2, "B"), panel(3, "Gone")]}
    want = {"title": "T2", "panels": [panel(1, "A", unit="ms"), panel(9, "B", x=12)]}
    got = {(c.op, c.subject, c.field) for c in dashboard_changes(live, want)}
    assert ("changed", "dashboard", "title") in got
    assert ("changed", "panel 'A'", "fieldConfig.defaults.unit") in got
    assert ("moved", "panel 'B'", "position") in got
    assert ("changed", "panel 'B'", "id") in got
    assert ("removed", "panel 'Gone'", "timeseries") in got
