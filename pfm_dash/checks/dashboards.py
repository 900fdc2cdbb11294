"""Dashboard rules, checked on the compiled Grafana JSON.

The DSL already refuses empty titles, bad widths and overlapping explicit positions, but
``extra=`` merges raw JSON last and can undo any of that (an ``id``, a ``gridPos``, a
``datasource``). Checking what Grafana will actually receive catches both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pfm_dash.checks import Finding, finding
from pfm_dash.model.layout import Placed, layout
from pfm_dash.model.panels import AlertList, Panel

if TYPE_CHECKING:
    from pfm_dash.model.dashboard import Dashboard
    from pfm_dash.project import Project

_NO_UNIT_KINDS = {"row", "alertlist", "text", "news", "dashlist"}


def _pairs(
    placed: list[Placed], models: list[dict[str, Any]]
) -> Iterator[tuple[Panel | None, dict[str, Any]]]:
    """(declared panel or None for rows, its JSON), rows' children included."""
    for item, model in zip(placed, models, strict=False):
        yield item.panel, model
        for child, child_model in zip(item.children, model.get("panels", []), strict=False):
            yield child.panel, child_model


def _box(model: dict[str, Any]) -> tuple[int, int, int, int] | None:
    pos = model.get("gridPos")
    if not isinstance(pos, dict):
        return None
    try:
        return int(pos["x"]), int(pos["y"]), int(pos["w"]), int(pos["h"])
    except (KeyError, TypeError, ValueError):
        return None


Box = tuple[int, int, int, int]


class _Grid:
    """The boxes placed so far, indexed by grid row, so each overlap test looks only at the
    boxes sharing a row with the new one: linear in the panel count, not quadratic."""

    def __init__(self) -> None:
        self._rows: dict[int, list[tuple[int, Box, str]]] = {}
        self._count = 0

    def place(self, box: Box, name: str) -> list[tuple[Box, str]]:
        """Add ``box``; return the earlier boxes it overlaps, each once, in placing order."""
        x, y, w, h = box
        hits: dict[int, tuple[Box, str]] = {}
        for row in range(y, y + h):
            for index, other, other_name in self._rows.get(row, ()):
                if x < other[0] + other[2] and other[0] < x + w:
                    hits[index] = (other, other_name)
        for row in range(y, y + h):
            self._rows.setdefault(row, []).append((self._count, box, name))
        self._count += 1
        return [hits[i] for i in sorted(hits)]


def check_dashboard(dashboard: Dashboard) -> list[Finding]:
    from pfm_dash.formats.grafana import compile_dashboard

    model = compile_dashboard(dashboard).model
    out: list[Finding] = []
    where = dashboard.location
    if not str(model.get("title", "")).strip():
        out.append(finding("panel-title", where, f"dashboard {dashboard.uid}", "empty title"))
    ds_var = dashboard.datasource_variable
    declared = {v.name for v in dashboard.variables}
    expected = f"${{{ds_var}}}"
    seen_ids: dict[Any, str] = {}
    grid = _Grid()
    pairs = list(_pairs(layout(dashboard), list(model.get("panels", []))))
    on_grid = {id(p) for p, _ in _top(pairs) if p is not None}
    for panel, data in pairs:
        location = panel.location if panel is not None else where
        title = str(data.get("title", ""))
        obj = f"panel {title!r}" if data.get("type") != "row" else f"row {title!r}"
        ignores = tuple(panel.ignore) if panel is not None else ()

        def report(
            rule: str, message: str, loc: Any = location, o: str = obj, ig: Any = ignores
        ) -> None:
            out.append(finding(rule, loc, o, message, ignores=ig))

        if data.get("id") in seen_ids:
            report("panel-id-unique", f"id {data.get('id')} is also {seen_ids[data.get('id')]}")
        seen_ids.setdefault(data.get("id"), obj)
        if not title.strip():
            report("panel-title", "empty title")
        box = _box(data)
        in_collapsed_row = panel is not None and id(panel) not in on_grid
        if box is not None and not in_collapsed_row:
            for other_box, other in grid.place(box, obj):
                report("panel-overlap", f"gridPos {box} overlaps {other} at {other_box}")
        kind = str(data.get("type", ""))
        if kind in _NO_UNIT_KINDS or isinstance(panel, AlertList):
            continue
        unit = data.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if not unit:
            report("panel-unit", "no unit (say Unit.NONE if it has none)")
        sources = [data.get("datasource")] + [t.get("datasource") for t in data.get("targets", [])]
        for source in sources:
            uid = source.get("uid") if isinstance(source, dict) else source
            if uid != expected or ds_var not in declared:
                report(
                    "query-datasource",
                    f"datasource {uid!r} is not the variable {expected}"
                    + ("" if ds_var in declared else f" (no ${ds_var} is declared)"),
                )
                break
    return out


def _top(pairs: list[tuple[Panel | None, dict[str, Any]]]) -> Iterator[tuple[Panel | None, Any]]:
    """Pairs that sit on the grid itself (not inside a collapsed row)."""
    nested = {id(child) for _, data in pairs for child in data.get("panels", [])}
    return ((p, d) for p, d in pairs if id(d) not in nested)


def check(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for dashboard in project.dashboards:
        out.extend(check_dashboard(dashboard))
    return out
