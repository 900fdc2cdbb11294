"""Which panels a change adds, changes and removes, from two loaded projects.

Panels are matched within a dashboard (same uid) by title, the n-th panel of a title with the
n-th; "changed" is declaration inequality, which ignores where the source was written, so a
panel that only moved in the file is unchanged.
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


def _keyed(panels: list[Panel]) -> dict[tuple[str, int], int]:
    seen: Counter[str] = Counter()
    out: dict[tuple[str, int], int] = {}
    for index, panel in enumerate(panels):
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
    old, new = _keyed(before), _keyed(after)
    changes = DashboardChanges()
    for key, index in new.items():
        if key not in old:
            changes.marks[index] = Mark.ADDED
        elif before[old[key]] != after[index]:
            changes.marks[index] = Mark.CHANGED
    changes.removed = [before[i] for key, i in old.items() if key not in new]
    return changes
