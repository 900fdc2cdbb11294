"""Stable panel ids: explicit ones kept, the rest from titles, collisions settled by key."""

from __future__ import annotations

import pytest

from pfm_dash import Dashboard, Query, Row, Stat, Unit
from pfm_dash.errors import UNKNOWN, DeclarationError
from pfm_dash.model.ids import SPACE, assign_ids, base_id
from pfm_dash.model.layout import layout


def ids(*keys: str | tuple[str, int]) -> list[int]:
    items = [(k, None, UNKNOWN) if isinstance(k, str) else (k[0], k[1], UNKNOWN) for k in keys]
    return assign_ids(items)


def test_an_id_comes_from_the_title_alone() -> None:
    assert ids("Latency") == [base_id("Latency")]
    assert 1 <= base_id("Latency") <= SPACE
    assert ids("x", "Latency", "y")[1] == base_id("Latency")


def test_explicit_ids_are_kept_and_derived_ones_step_around_them() -> None:
    taken = base_id("Latency")
    assert ids(("Imported", taken), "Latency") == [taken, taken % SPACE + 1]


def test_same_titles_are_numbered_in_declaration_order() -> None:
    first, second = ids("Errors", "Errors")
    assert (first, second) == (base_id("Errors"), base_id("Errors#2"))


def test_a_hash_collision_is_settled_by_sorted_key_not_by_order() -> None:
    # Find two keys with the same base id (a birthday search over a small space).
    seen: dict[int, str] = {}
    for n in range(100_000):
        key = f"panel {n}"
        if base_id(key) in seen:
            a, b = sorted((seen[base_id(key)], key))
            break
        seen[base_id(key)] = key
    else:  # pragma: no cover
        pytest.fail("no collision found")
    forwards = dict(zip((a, b), ids(a, b), strict=True))
    backwards = dict(zip((b, a), ids(b, a), strict=True))
    assert forwards == backwards == {a: base_id(a), b: base_id(a) % SPACE + 1}


def test_the_top_id_wraps_to_one() -> None:
    key = "k43906"  # its base id is just below the top of the space
    start = base_id(key)
    assert start > SPACE - 20
    items = [(f"x{i}", i, UNKNOWN) for i in range(start, SPACE + 1)] + [(key, None, UNKNOWN)]
    assert assign_ids(items)[-1] == 1


def test_duplicate_explicit_ids_are_an_error_at_the_second() -> None:
    def stat(title: str, panel_id: int) -> Stat:
        return Stat(title=title, queries=[Query(expr="up")], unit=Unit.NONE, id=panel_id)

    second = stat("b", 7)
    board = Dashboard(uid="d", title="D", panels=[stat("a", 7), Row(title="R", panels=[second])])
    with pytest.raises(DeclarationError, match="panel id 7 is used twice") as info:
        layout(board)
    assert info.value.location == second.location


def test_a_renamed_panel_gets_a_new_id_unless_pinned() -> None:
    assert ids("Errors") != ids("5xx")
    assert ids(("5xx", 42)) == ids(("Errors", 42)) == [42]
