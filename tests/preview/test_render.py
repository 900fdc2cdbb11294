"""The dashboard picture: Grafana's grid to scale, rows, titles, kinds, units, thresholds."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from pfm_dash import Color, Dashboard, GridPos, Row, Stat, Step, Thresholds, TimeSeries, Unit
from pfm_dash.model.layout import Box
from pfm_dash.preview.changes import compare
from pfm_dash.preview.render import PAD, dashboard_svg, to_pixels

NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ElementTree.fromstring(svg).iter(f"{NS}text")]


def board(*panels: object, uid: str = "d") -> Dashboard:
    return Dashboard(uid=uid, title="Board", panels=list(panels))  # type: ignore[arg-type]


def test_grid_boxes_become_grafanas_pixels() -> None:
    # 1200 px for 24 columns with 8 px gutters: a column is 42.33 px; rows are 30 px + 8 px.
    half = to_pixels(Box(12, 8, 12, 8), top=0)
    assert round(half.x - PAD, 1) == 12 * (1016 / 24 + 8)
    assert round(half.w, 1) == round(12 * 1016 / 24 + 11 * 8, 1)
    assert half.y == 8 * 38 and half.h == 8 * 30 + 7 * 8


def test_panels_show_title_kind_unit_and_threshold_colours() -> None:
    panel = TimeSeries(
        title="Latency <p95> & more",
        unit=Unit.SECONDS,
        thresholds=Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=1)]),
    )
    svg = dashboard_svg(board(panel))
    shown = texts(svg)
    assert "Latency <p95> & more" in shown and "Time series" in shown
    assert "unit: seconds (s)" in shown
    assert 'fill="#73BF69"' in svg and 'fill="#F2495C"' in svg  # Grafana's dark green and red


def test_pinned_and_flowing_panels_are_drawn_where_the_generator_puts_them() -> None:
    pinned = Stat(title="Pinned", pos=GridPos(x=12, y=0, w=12, h=4))
    flowing = Stat(title="Flowing", width=12, height=4)
    svg = dashboard_svg(board(pinned, flowing))
    rects = {r.get("x"): r.get("width") for r in ElementTree.fromstring(svg).iter(f"{NS}rect")}
    assert str(PAD) in rects  # flowing panel at column 0
    assert re.search(r'x="(6\d\d(\.\d)?)"', svg)  # pinned one at column 12, about 616 px


def test_rows_expanded_and_collapsed_with_the_collapsed_panels_drawn_below() -> None:
    svg = dashboard_svg(
        board(
            Row(title="Open", panels=[Stat(title="A")]),
            Row(title="Closed", panels=[Stat(title="B"), Stat(title="C")], collapsed=True),
        )
    )
    shown = texts(svg)
    assert "▾ Open" in shown
    assert any(t.startswith("▸ Closed") and "2 panels" in t for t in shown)
    assert {"A", "B", "C"} <= set(shown)


def test_marks_against_a_base_with_a_legend() -> None:
    base = board(Stat(title="Kept"), Stat(title="Edited"), Stat(title="Gone"))
    head = board(Stat(title="Kept"), Stat(title="Edited", unit=Unit.PERCENT), Stat(title="New"))
    changes = compare(base, head)
    svg = dashboard_svg(head, changes=changes, base=base)
    shown = texts(svg)
    assert {"ADDED", "CHANGED", "REMOVED"} <= set(shown)
    assert "added (1)" in shown and "changed (1)" in shown and "removed (1)" in shown
    assert "Gone" in shown and "Removed panels, where they were" in shown
    assert shown.count("ADDED") == 1 and shown.count("CHANGED") == 1


def test_same_declarations_draw_the_same_bytes() -> None:
    first = dashboard_svg(board(Stat(title="A"), TimeSeries(title="B")))
    second = dashboard_svg(board(Stat(title="A"), TimeSeries(title="B")))
    assert first == second
