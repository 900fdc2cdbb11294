"""Dashboards compared as declarations: panels, their grid places, queries and options.

Dashboards are matched by uid (a new title is a rename). Panels are matched by their declared
``id`` when both sides have one, else by title; rows by title. Grid positions come from the
same layout the build uses (:mod:`pfm_dash.model.layout`), so "moved" means moved in Grafana.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.layout import Box, layout
from pfm_dash.model.panels import Panel
from pfm_dash.model.query import Query
from pfm_dash.review.changes import Change, Section
from pfm_dash.review.fields import compare_fields, plain, value_change

# Compared on their own terms below, not as plain fields.
_PANEL_SKIP = frozenset({"title", "queries", "width", "height", "pos", "id"})
_DASHBOARD_SKIP = frozenset({"uid", "title", "panels", "variables"})


@dataclass(frozen=True)
class _Slot:
    """A panel or row where the layout put it, and the row it sits in."""

    item: Panel | Row
    box: Box
    row: str


def _slots(dashboard: Dashboard) -> tuple[list[_Slot], list[_Slot]]:
    """(panels, rows) of a dashboard with their grid boxes, in declaration order."""
    panels: list[_Slot] = []
    rows: list[_Slot] = []
    row = ""
    for placed in layout(dashboard):
        if placed.row is not None:
            row = placed.row.title
            rows.append(_Slot(placed.row, placed.box, ""))
            panels.extend(_Slot(c.panel, c.box, row) for c in placed.children if c.panel)
        elif placed.panel is not None:
            panels.append(_Slot(placed.panel, placed.box, row))
    return panels, rows


def _declared_id(item: Panel | Row) -> Any:
    return getattr(item, "id", None)


def _match(before: list[_Slot], after: list[_Slot]) -> list[tuple[_Slot | None, _Slot | None]]:
    """Pairs by declared id where both have one, then by title; the rest stand alone."""
    pairs: list[tuple[_Slot | None, _Slot | None]] = []
    left = list(before)
    for new in after:
        found = next(
            (
                old
                for old in left
                if _declared_id(new.item) is not None
                and _declared_id(old.item) == _declared_id(new.item)
            ),
            None,
        ) or next((old for old in left if old.item.title == new.item.title), None)
        if found is not None:
            left.remove(found)
        pairs.append((found, new))
    pairs.extend((old, None) for old in left)
    return pairs


def _kind(item: object) -> str:
    return type(item).__name__


def _panel_subject(item: Panel | Row) -> str:
    return f"{'row' if isinstance(item, Row) else 'panel'} {item.title!r}"


def _box(box: Box) -> dict[str, int]:
    return {"x": box.x, "y": box.y, "w": box.w, "h": box.h}


REFLOW = "reflowed around the panels that changed"


def _grid(subject: str, old: _Slot, new: _Slot, reflowed: bool) -> list[Change]:
    """Moves, resizes and row changes; a move caused only by others says so in its note."""
    out: list[Change] = []
    a, b = old.box, new.box
    if (a.x, a.y) != (b.x, b.y):
        note = REFLOW if reflowed and _pos(old) == _pos(new) else ""
        out.append(Change("moved", subject, "position", _box(a), _box(b), note=note))
    if (a.w, a.h) != (b.w, b.h):
        out.append(Change("resized", subject, "size", _box(a), _box(b)))
    if old.row != new.row:
        out.append(Change("moved", subject, "row", old.row or None, new.row or None))
    return out


def _ref(query: Query, index: int) -> str:
    return query.ref_id or chr(ord("A") + index)


def compare_queries(subject: str, before: Sequence[Query], after: Sequence[Query]) -> list[Change]:
    """Queries matched by ref id (A, B, ... when not given); the expression as a word diff."""
    old = {_ref(q, i): q for i, q in enumerate(before)}
    new = {_ref(q, i): q for i, q in enumerate(after)}
    out: list[Change] = []
    for ref in sorted(set(old) | set(new)):
        what = f"{subject} query {ref}"
        if ref not in old:
            out.append(Change("added", what, "query", None, plain(new[ref])))
        elif ref not in new:
            out.append(Change("removed", what, "query", plain(old[ref]), None))
        else:
            out.extend(compare_fields(what, old[ref], new[ref], skip={"ref_id"}))
    return out


def _pos(slot: _Slot) -> Any:
    return getattr(slot.item, "pos", None)


def compare_panel(old: _Slot, new: _Slot, reflowed: bool = False) -> list[Change]:
    """One matched panel or row; ``reflowed`` when its order among the kept ones is unchanged."""
    subject = _panel_subject(new.item)
    out: list[Change] = []
    if old.item.title != new.item.title:
        out.append(Change("renamed", subject, "title", old.item.title, new.item.title))
    if _kind(old.item) != _kind(new.item):
        out.append(Change("changed", subject, "kind", _kind(old.item), _kind(new.item)))
    out.extend(_grid(subject, old, new, reflowed))
    if isinstance(old.item, Panel) and isinstance(new.item, Panel):
        out.extend(compare_queries(subject, old.item.queries, new.item.queries))
    skip = _PANEL_SKIP | ({"panels"} if isinstance(new.item, Row) else set())
    out.extend(compare_fields(subject, old.item, new.item, skip=skip))
    return out


def _in_order(ranks: list[int]) -> set[int]:
    """Indexes of a longest increasing run of ``ranks``: the panels that kept their order.

    The others are the ones the author moved; everything else only reflowed around them.
    """
    tails: list[int] = []  # index into ranks of the smallest tail of each run length
    tail_ranks: list[int] = []
    parent: list[int] = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        lo = bisect_left(tail_ranks, rank)
        parent[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
            tail_ranks.append(rank)
        else:
            tails[lo], tail_ranks[lo] = i, rank
    keep: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


def _items(before: list[_Slot], after: list[_Slot]) -> list[Change]:
    out: list[Change] = []
    pairs = _match(before, after)
    old_rank = {id(slot): i for i, slot in enumerate(before)}
    kept = [(o, n) for o, n in pairs if o is not None and n is not None]
    in_order = _in_order([old_rank[id(o)] for o, _ in kept])
    reflowed = {id(n) for i, (_, n) in enumerate(kept) if i in in_order}
    for old, new in pairs:
        if old is None and new is not None:
            out.append(
                Change("added", _panel_subject(new.item), _kind(new.item), None, _box(new.box))
            )
        elif new is None and old is not None:
            out.append(
                Change("removed", _panel_subject(old.item), _kind(old.item), _box(old.box), None)
            )
        elif old is not None and new is not None:
            same_row = old.row == new.row
            out.extend(compare_panel(old, new, reflowed=same_row and id(new) in reflowed))
    return out


def _variables(before: Dashboard, after: Dashboard) -> list[Change]:
    old = {v.name: v for v in before.variables}
    new = {v.name: v for v in after.variables}
    out: list[Change] = []
    for name in [*new, *(n for n in old if n not in new)]:
        subject = f"variable ${name}"
        if name not in old:
            out.append(Change("added", subject, _kind(new[name]), None, plain(new[name])))
        elif name not in new:
            out.append(Change("removed", subject, _kind(old[name]), plain(old[name]), None))
        else:
            if _kind(old[name]) != _kind(new[name]):
                out.append(Change("changed", subject, "kind", _kind(old[name]), _kind(new[name])))
            out.extend(compare_fields(subject, old[name], new[name]))
    return out


def compare_dashboard(before: Dashboard, after: Dashboard) -> Section | None:
    """What changed in one dashboard, or None when nothing did."""
    changes: list[Change] = []
    status = "changed"
    if before.title != after.title:
        status = "renamed"
        changes.append(Change("renamed", "dashboard", "title", before.title, after.title))
    changes.extend(compare_fields("dashboard", before, after, skip=_DASHBOARD_SKIP))
    changes.extend(_variables(before, after))
    old_panels, old_rows = _slots(before)
    new_panels, new_rows = _slots(after)
    changes.extend(_items(old_rows, new_rows))
    changes.extend(_items(old_panels, new_panels))
    if not changes:
        return None
    return Section("dashboard", after.uid, after.title, status, changes)


def sides(op: str, value: Any) -> tuple[Any, Any]:
    """(before, after) of something wholly added or removed."""
    return (None, value) if op == "added" else (value, None)


def _whole(dashboard: Dashboard, op: str) -> Section:
    panels, rows = _slots(dashboard)
    changes = [
        Change(op, _panel_subject(s.item), _kind(s.item), *sides(op, _box(s.box)))
        for s in [*rows, *panels]
    ]
    return Section("dashboard", dashboard.uid, dashboard.title, op, changes)


def compare_dashboards(before: Sequence[Dashboard], after: Sequence[Dashboard]) -> list[Section]:
    """One section per dashboard added, removed, renamed or changed, by uid."""
    old = {d.uid: d for d in before}
    new = {d.uid: d for d in after}
    out: list[Section] = []
    for uid in sorted(set(old) | set(new)):
        if uid not in old:
            out.append(_whole(new[uid], "added"))
        elif uid not in new:
            out.append(_whole(old[uid], "removed"))
        else:
            section = compare_dashboard(old[uid], new[uid])
            if section is not None:
                out.append(section)
    return out


__all__ = ["compare_dashboard", "compare_dashboards", "compare_queries", "value_change"]
