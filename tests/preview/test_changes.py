from __future__ import annotations

from pfm_dash import Dashboard, Stat, Unit
from pfm_dash.preview.changes import Mark, compare


def board(*titles: str, unit: Unit | None = None) -> Dashboard:
    return Dashboard(uid="d", title="D", panels=[Stat(title=t, unit=unit) for t in titles])


def test_equal_declarations_written_elsewhere_are_unchanged() -> None:
    assert compare(board("A", "B"), board("A", "B")).marks == {}


def test_added_changed_removed() -> None:
    changes = compare(board("A", "B"), board("A", "C", unit=Unit.PERCENT))
    assert changes.marks == {0: Mark.CHANGED, 1: Mark.ADDED}
    assert [p.title for p in changes.removed] == ["B"]


def test_whole_dashboards() -> None:
    assert compare(None, board("A")).whole is Mark.ADDED
    gone = compare(board("A"), None)
    assert gone.whole is Mark.REMOVED and gone.count[Mark.REMOVED] == 1


def test_a_declared_id_makes_a_rename_a_change() -> None:
    before = Dashboard(uid="d", title="D", panels=[Stat(title="Old", id=7), Stat(title="B")])
    after = Dashboard(uid="d", title="D", panels=[Stat(title="New", id=7), Stat(title="B")])
    changes = compare(before, after)
    assert changes.marks == {0: Mark.CHANGED} and changes.removed == []
