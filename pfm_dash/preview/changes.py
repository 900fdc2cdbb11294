"""Which panels a change adds, changes and removes, from two loaded projects.

Panels are matched within a dashboard (same uid) as ``pfm-dash diff`` matches them: by their
declared ``id`` where both sides have one (a renamed panel is changed, not removed and added),
else by title, the n-th panel of a title with the n-th. "Changed" is declaration inequality,
which ignores where the source was written, so a panel that only moved in the file is unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.panels import Panel


class Mark(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass
class DashboardChanges:
    """Marks for one dashboard: by the panel's place in ``all_panels()``, and what went away."""

    whole: Mark | None = None
    marks: dict[int, Mark] = field(default_factory=dict)
    removed: list[Panel] = field(default_factory=list)

    @property
    def count(self) -> Counter[Mark]:
        counted: Counter[Mark] = Counter(self.marks.values())
        counted[Mark.REMOVED] += len(self.removed)
        return counted


def _pairs(before: list[Panel], after: list[Panel]) -> dict[int, int]:
    """after index -> before index, by declared id first, then by (title, occurrence)."""
    pairs: dict[int, int] = {}
    old_ids = {p.id: i for i, p in enumerate(before) if p.id is not None}
    for index, panel in enumerate(after):
        if panel.id is not None and panel.id in old_ids:
            pairs[index] = old_ids[panel.id]
    taken = set(pairs.values())
    old_keys = _keyed([(i, p) for i, p in enumerate(before) if i not in taken])
    new_keys = _keyed([(i, p) for i, p in enumerate(after) if i not in pairs])
    for key, index in new_keys.items():
        if key in old_keys:
            pairs[index] = old_keys[key]
    return pairs


def _keyed(panels: list[tuple[int, Panel]]) -> dict[tuple[str, int], int]:
    seen: Counter[str] = Counter()
    out: dict[tuple[str, int], int] = {}
    for index, panel in panels:
        out[(panel.title, seen[panel.title])] = index
        seen[panel.title] += 1
    return out


def compare(base: Dashboard | None, head: Dashboard | None) -> DashboardChanges:
    """Marks for ``head`` against ``base``; either may be missing (added or removed)."""
    if base is None:
        assert head is not None
        return DashboardChanges(
            whole=Mark.ADDED, marks=dict.fromkeys(range(len(head.all_panels())), Mark.ADDED)
        )
    if head is None:
        return DashboardChanges(whole=Mark.REMOVED, removed=base.all_panels())
    before, after = base.all_panels(), head.all_panels()
    pairs = _pairs(before, after)
    changes = DashboardChanges()
    for index, panel in enumerate(after):
        if index not in pairs:
            changes.marks[index] = Mark.ADDED
        elif before[pairs[index]] != panel:
            changes.marks[index] = Mark.CHANGED
    kept = set(pairs.values())
    changes.removed = [p for i, p in enumerate(before) if i not in kept]
    return changes
