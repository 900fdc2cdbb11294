"""Panels flow onto Grafana's 24-column grid; rows are stored the way Grafana stores them."""

from __future__ import annotations

import pytest

from pfm_dash import Dashboard, GridPos, Query, Row, Stat, Unit, Width
from pfm_dash.errors import DeclarationError
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.model.ids import base_id
from pfm_dash.model.layout import layout


def stat(title: str, width: int = Width.HALF, height: int = 8, **kw: object) -> Stat:
    return Stat(
        title=title, queries=[Query(expr="up")], unit=Unit.NONE, width=width, height=height, **kw
    )  # type: ignore[arg-type]


def grid(panels: list[Stat | Row]) -> list[dict[str, object]]:
    model = compile_dashboard(Dashboard(uid="d", title="D", panels=panels)).model
    return model["panels"]  # type: ignore[no-any-return]


def pos(panel: dict[str, object]) -> tuple[object, ...]:
    g = panel["gridPos"]
    assert isinstance(g, dict)
    return (g["x"], g["y"], g["w"], g["h"])


def test_widths_fill_a_line_then_wrap() -> None:
    panels = grid(
        [
            stat("a", Width.THIRD),
            stat("b", Width.THIRD),
            stat("c", Width.THIRD),
            stat("d", Width.HALF),
            stat("e", Width.QUARTER),
            stat("f", Width.HALF),
        ]
    )
    assert [pos(p) for p in panels] == [
        (0, 0, 8, 8),
        (8, 0, 8, 8),
        (16, 0, 8, 8),
        (0, 8, 12, 8),
        (12, 8, 6, 8),
        (0, 16, 12, 8),  # 12 + 6 + 12 > 24: wraps
    ]


def test_wrap_goes_below_the_tallest_panel_of_the_line() -> None:
    panels = grid(
        [
            stat("tall", Width.HALF, height=10),
            stat("short", Width.HALF, height=4),
            stat("next", Width.FULL),
        ]
    )
    assert pos(panels[2]) == (0, 10, 24, 8)


def test_expanded_row_panels_follow_it_at_top_level() -> None:
    panels = grid(
        [stat("top", Width.FULL, height=4), Row(title="Details", panels=[stat("a"), stat("b")])]
    )
    assert [p["type"] for p in panels] == ["stat", "row", "stat", "stat"]
    row = panels[1]
    assert row["collapsed"] is False and row["panels"] == []
    assert pos(row) == (0, 4, 24, 1)
    assert pos(panels[2]) == (0, 5, 12, 8) and pos(panels[3]) == (12, 5, 12, 8)


def test_collapsed_row_holds_its_panels_and_takes_one_line() -> None:
    panels = grid(
        [
            Row(title="Hidden", collapsed=True, panels=[stat("a"), stat("b")]),
            Row(title="Next", panels=[stat("c")]),
        ]
    )
    assert [p["type"] for p in panels] == ["row", "row", "stat"]
    hidden, following = panels[0], panels[1]
    assert hidden["collapsed"] is True
    inner = hidden["panels"]
    assert isinstance(inner, list)
    assert [p["title"] for p in inner] == ["a", "b"]
    assert [pos(p) for p in inner] == [(0, 1, 12, 8), (12, 1, 12, 8)]
    assert pos(following) == (0, 1, 24, 1)
    assert pos(panels[2]) == (0, 2, 12, 8)


def test_ids_are_stable_and_rows_and_their_panels_have_their_own() -> None:
    declared: list[Stat | Row] = [
        stat("a"),
        Row(title="R", collapsed=True, panels=[stat("b")]),
        Row(title="S", panels=[stat("c")]),
    ]
    panels = grid(declared)
    ids = [p["id"] for p in panels] + [panels[1]["panels"][0]["id"]]  # type: ignore[index]
    assert ids == [base_id("a"), base_id("row:R"), base_id("row:S"), base_id("c"), base_id("b")]
    # Reordered, the same panels keep the same ids.
    moved = grid([declared[0], declared[2], declared[1]])  # type: ignore[list-item]
    assert {p["title"]: p["id"] for p in moved} == {p["title"]: p["id"] for p in panels}


def test_a_panel_after_a_row_must_be_in_a_row() -> None:
    late = stat("late")
    with pytest.raises(DeclarationError, match="follows a row at the top level") as info:
        layout(Dashboard(uid="d", title="D", panels=[Row(title="R", panels=[stat("a")]), late]))
    assert info.value.location == late.location


def test_explicit_position_inside_a_row_is_refused() -> None:
    pinned = stat("pinned", pos=GridPos(x=0, y=0, w=6, h=4))
    with pytest.raises(DeclarationError, match="has pos= inside row 'R'"):
        layout(Dashboard(uid="d", title="D", panels=[Row(title="R", panels=[pinned])]))


def test_flowing_panels_go_around_explicit_ones() -> None:
    fixed = stat("fixed", pos=GridPos(x=0, y=0, w=12, h=8))
    panels = grid([fixed, stat("a"), stat("b")])
    assert [pos(p) for p in panels] == [(0, 0, 12, 8), (12, 0, 12, 8), (0, 8, 12, 8)]


def test_overlapping_explicit_positions_are_an_error() -> None:
    a = stat("a", pos=GridPos(x=0, y=0, w=12, h=8))
    b = stat("b", pos=GridPos(x=11, y=7, w=4, h=4))
    with pytest.raises(DeclarationError, match="overlaps panel 'a'") as info:
        layout(Dashboard(uid="d", title="D", panels=[a, b]))
    assert info.value.location == b.location


def test_position_outside_the_grid_is_an_error() -> None:
    with pytest.raises(DeclarationError, match="24-column grid"):
        GridPos(x=20, y=0, w=6, h=4)


def test_panel_wider_than_grid_is_an_error() -> None:
    with pytest.raises(DeclarationError, match="25 columns wide"):
        stat("wide", 25)


def test_flowing_panels_are_placed_the_same_without_the_grid_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without an explicit pos= the grid is not indexed (flowing boxes never overlap): over
    random widths, heights and rows, both ways place every panel in the same box."""
    import random

    from pfm_dash.model import layout as module

    rng = random.Random(8)

    def stat(n: int) -> Stat:
        width, height = rng.randint(1, 24), rng.randint(1, 12)
        return Stat(title=f"p{n}", queries=[Query(expr="up")], width=width, height=height)

    for case in range(150):
        items: list[Stat | Row] = [stat(i) for i in range(rng.randint(0, 8))]
        for r in range(rng.randint(0, 3)):
            panels = [stat(100 * r + i + 50) for i in range(rng.randint(0, 6))]
            items.append(Row(title=f"r{r}", collapsed=rng.random() < 0.5, panels=panels))
        board = Dashboard(uid=f"u{case}", title="t", panels=items)
        light = module._layout(board)
        with monkeypatch.context() as patch:
            patch.setattr(module._Occupied, "__init__", _indexed_init(module._Occupied.__init__))
            indexed = module._layout(board)
        assert light == indexed


def _indexed_init(init: object) -> object:
    def forced(self: object, parent: object = None, indexed: bool = True) -> None:
        init(self, parent, True)  # type: ignore[operator]

    return forced
