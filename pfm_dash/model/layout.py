"""Placing panels on Grafana's 24-column grid, and numbering them.

Panels flow left to right by width and wrap to a new line when the next one does not fit, as
Grafana lays out a dashboard a person builds. A row starts below everything above it. A
collapsed row keeps its panels inside itself (Grafana's storage format) positioned as they will
be when expanded; the next item then follows directly under the row header.
Panels with an explicit ``pos`` stay where they are, and flowing panels go around them.
Ids are stable under edits around a panel (see :mod:`pfm_dash.model.ids`).
"""

from __future__ import annotations

from pfm_dash.errors import Location
from pfm_dash.model.base import fail
from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.ids import assign_ids
from pfm_dash.model.panels import GridPos, Panel
from pfm_dash.records import record

GRID_COLUMNS = 24


@record
class Box:
    x: int
    y: int
    w: int
    h: int

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    @property
    def bottom(self) -> int:
        return self.y + self.h


@record
class Placed:
    """A panel with its id and position; a row also carries its placed children."""

    id: int
    box: Box
    panel: Panel | None = None
    row: Row | None = None
    children: tuple[Placed, ...] = ()


class _Occupied:
    """Boxes on the grid, indexed by grid line, so a new box is tested only against the boxes
    on its own lines: laying out n panels stays linear, not quadratic. A collapsed row's inner
    flow sees its parent's boxes through ``parent`` instead of copying them."""

    def __init__(self, parent: _Occupied | None = None, indexed: bool = True) -> None:
        self.parent = parent
        # Without explicit positions, flowing boxes never overlap (each line starts below
        # the tallest box of the one before, a row below everything): only the bottom is
        # kept then, which is most of the cost of laying out a small dashboard.
        self.indexed: bool = parent.indexed if parent is not None else indexed
        self._lines: dict[int, list[Box]] = {}
        self._bottom = parent.bottom if parent is not None else 0

    @property
    def bottom(self) -> int:
        return self._bottom

    def add(self, box: Box) -> None:
        if self.indexed:
            for line in range(box.y, box.bottom):
                self._lines.setdefault(line, []).append(box)
        self._bottom = max(self._bottom, box.bottom)

    def blocker(self, box: Box) -> Box | None:
        """The first box (in placing order on the first shared line) that ``box`` overlaps."""
        if not self.indexed:
            return None
        for line in range(box.y, box.bottom):
            for other in self._lines.get(line, ()):
                if other.overlaps(box):
                    return other
        return self.parent.blocker(box) if self.parent is not None else None


class _Flow:
    """The cursor of the flow, and what is already on the grid."""

    def __init__(self, occupied: _Occupied | None = None, y: int = 0) -> None:
        self.occupied = _Occupied() if occupied is None else occupied
        self.x = 0
        self.y = y
        self.line_h = 0

    @property
    def bottom(self) -> int:
        return self.occupied.bottom

    def newline(self) -> None:
        self.y += self.line_h
        self.x, self.line_h = 0, 0

    def place(self, w: int, h: int) -> Box:
        for _ in range(10_000):
            if self.x + w > GRID_COLUMNS:
                self.newline()
            box = Box(self.x, self.y, w, h)
            blocker = self.occupied.blocker(box)
            if blocker is None:
                self.occupied.add(box)
                self.x += w
                self.line_h = max(self.line_h, h)
                return box
            # Jump past the blocker on this line; wrap when nothing fits.
            self.x = blocker.x + blocker.w
            if self.x + w > GRID_COLUMNS:
                self.line_h = max(self.line_h, blocker.bottom - self.y)
        raise AssertionError("layout did not converge")  # pragma: no cover

    def start_section(self) -> int:
        """Close the current line: a row begins below everything placed so far."""
        self.y = self.bottom
        self.x, self.line_h = 0, 0
        return self.y


def _explicit(panel: Panel, pos: GridPos, occupied: list[tuple[Box, Panel]]) -> Box:
    box = Box(pos.x, pos.y, pos.w, pos.h)
    for other_box, other in occupied:
        if other_box.overlaps(box):
            raise fail(
                panel.location,
                f"panel {panel.title!r} at {pos.x},{pos.y} ({pos.w}x{pos.h}) overlaps "
                f"panel {other.title!r}",
                "move one of them, or drop pos= to let the panels flow",
            )
    occupied.append((box, panel))
    return box


def _check_rows(dashboard: Dashboard) -> None:
    """Refuse what Grafana would silently regroup: it decides row membership by position."""
    after_row = False
    for item in dashboard.panels:
        if isinstance(item, Row):
            after_row = True
            for panel in item.panels:
                if panel.pos is not None:
                    raise fail(
                        panel.location,
                        f"panel {panel.title!r} has pos= inside row {item.title!r}",
                        "let a row's panels flow by width; pos= is for panels above the first row",
                    )
        elif after_row:
            raise fail(
                item.location,
                f"panel {item.title!r} follows a row at the top level, so Grafana would put it "
                "in that row",
                "move it into the row's panels=, or above the first row",
            )


def _id_keys(dashboard: Dashboard) -> list[tuple[str, int | None, Location]]:
    """Each row and panel's id key, in the order :func:`layout` places them."""
    keys: list[tuple[str, int | None, Location]] = []
    for item in dashboard.panels:
        if isinstance(item, Row):
            keys.append((f"row:{item.title}", item.id, item.location))
            keys.extend((p.title, p.id, p.location) for p in item.panels)
        else:
            keys.append((item.title, item.id, item.location))
    return keys


# The last dashboard laid out, and its layout: validation, each alert's panel link and the
# compiler ask for the same dashboard in turn. One entry, so nothing else is kept alive.
_last: tuple[Dashboard, list[Placed]] | None = None


def layout(dashboard: Dashboard) -> list[Placed]:
    """Positions and ids for a dashboard's panels and rows, in declaration order."""
    global _last
    if _last is None or _last[0] is not dashboard:
        _last = (dashboard, _layout(dashboard))
    return list(_last[1])


def _layout(dashboard: Dashboard) -> list[Placed]:
    _check_rows(dashboard)
    ids = iter(assign_ids(_id_keys(dashboard)))
    flow = _Flow(_Occupied(indexed=any(p.pos is not None for p in dashboard.all_panels())))
    explicit: list[tuple[Box, Panel]] = []
    # Explicit positions first, so flowing panels avoid them wherever they are declared.
    for panel in dashboard.all_panels():
        if panel.pos is not None:
            flow.occupied.add(_explicit(panel, panel.pos, explicit))

    def place_panel(panel: Panel, target: _Flow) -> Placed:
        if panel.pos is not None:
            box = Box(panel.pos.x, panel.pos.y, panel.pos.w, panel.pos.h)
        else:
            box = target.place(panel.width, panel.height)
        return Placed(id=next(ids), box=box, panel=panel)

    out: list[Placed] = []
    for item in dashboard.panels:
        if isinstance(item, Panel):
            out.append(place_panel(item, flow))
            continue
        row_y = flow.start_section()
        row_box = flow.place(GRID_COLUMNS, 1)
        row_id = next(ids)
        if item.collapsed:
            # Children are laid out as if expanded, but take no space while collapsed.
            inner = _Flow(occupied=_Occupied(parent=flow.occupied), y=row_y + 1)
            children = tuple(place_panel(p, inner) for p in item.panels)
            out.append(Placed(id=row_id, box=row_box, row=item, children=children))
            flow.newline()
        else:
            flow.newline()
            out.append(Placed(id=row_id, box=row_box, row=item))
            out.extend(place_panel(p, flow) for p in item.panels)
    return out
