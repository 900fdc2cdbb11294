"""A dashboard as a Python module: what ``pfm-dash import`` writes into ``dashboards/``.

One module per dashboard, as a person would write it: the folder, then one variable per panel
named from its title, then the dashboard listing them (rows inline). Panels flow by ``width=``
wherever the flow layout (:mod:`pfm_dash.model.layout`) puts them exactly where the original
grid had them; ``pos=`` stays only on the panels it cannot place so.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pfm_dash.errors import DeclarationError
from pfm_dash.formats.python.source import (
    Imports,
    Names,
    assignment,
    declaration,
    module,
    render,
)
from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.layout import Placed, layout
from pfm_dash.model.panels import Panel

__all__ = ["dashboard_module", "flowing"]

_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Panel)}
_DEFAULT_SIZE: tuple[int, int] = (_DEFAULTS["width"], _DEFAULTS["height"])
DASHBOARD_NAME = "dashboard"
SHARED_FROM = 3  # panels repeating a setting before it becomes one constant
FOLDER_NAME = "folder"


def dashboard_module(board: Dashboard, *, source: str = "") -> str:
    """The module declaring ``board``; ``source`` (a file or URL) is named in its docstring."""
    board = flowing(board)
    imports = Imports()
    names = Names([DASHBOARD_NAME, FOLDER_NAME])
    refs: dict[int, str] = {}
    statements: list[str] = []
    if board.folder is not None:
        refs[id(board.folder)] = FOLDER_NAME
        statements.append(assignment(FOLDER_NAME, declaration(board.folder, imports)))
    statements.extend(_shared_settings(board, imports, names, refs))
    for panel in board.all_panels():
        name = names.make(panel.title, "panel")
        statements.append(assignment(name, declaration(panel, imports, refs)))
        refs[id(panel)] = name
    statements.append(assignment(DASHBOARD_NAME, declaration(board, imports, refs)))
    doc = f"{board.title}."
    if source:
        doc += f"\n\nImported by pfm-dash import from {source}."
    return module(doc, imports, statements)


def _shared_settings(
    board: Dashboard, imports: Imports, names: Names, refs: dict[int, str]
) -> list[str]:
    """One constant for each setting several panels repeat (``THRESHOLDS = Thresholds(...)``).

    A setting is a declaration held directly by a panel field (thresholds, legend, ...); equal
    ones, by their source text, become one constant that the panels name, as a person would
    write it once. ``pos`` is a panel's own and never shared.
    """
    seen: dict[str, list[Any]] = {}
    scratch = Imports()  # what a candidate needs is imported only if it is shared
    for panel in board.all_panels():
        for field in dataclasses.fields(panel):
            current = getattr(panel, field.name)
            if not field.init or field.name in ("pos", "location"):
                continue
            if not dataclasses.is_dataclass(current) or isinstance(current, type):
                continue
            node = declaration(current, scratch)
            if node.args:  # all defaults: nothing worth a name
                seen.setdefault(render(node), []).append(current)
    statements: list[str] = []
    for objects in seen.values():
        if len(objects) < SHARED_FROM:
            continue
        name = names.make(type(objects[0]).__name__, "setting").upper()
        names.reserve(name)
        statements.append(assignment(name, declaration(objects[0], imports)))
        refs.update((id(obj), name) for obj in objects)
    return statements


def flowing(board: Dashboard) -> Dashboard:
    """``board`` with ``pos=`` replaced by ``width=``/``height=`` wherever that lays out the same.

    All panels at once first (the common case: a dashboard someone built in the UI); failing
    that, one panel at a time, in order, keeping each change that leaves every box in place.
    """
    pinned = [p for p in board.all_panels() if p.pos is not None]
    if not pinned:
        return board
    target = _boxes(board)
    if target is None:
        return board
    freed = {id(p): _unpinned(p) for p in pinned}
    candidate = _replace_panels(board, freed)
    if _boxes(candidate) == target:
        return candidate
    kept: dict[int, Panel] = {}
    for panel in pinned:
        trial = {**kept, id(panel): freed[id(panel)]}
        if _boxes(_replace_panels(board, trial)) == target:
            kept = trial
    # A panel that keeps pos= says nothing else about its size: pos wins in the layout.
    for panel in pinned:
        if id(panel) not in kept and (panel.width, panel.height) != _DEFAULT_SIZE:
            kept[id(panel)] = dataclasses.replace(
                panel, width=_DEFAULT_SIZE[0], height=_DEFAULT_SIZE[1]
            )
    return _replace_panels(board, kept) if kept else board


def _unpinned(panel: Panel) -> Panel:
    pos = panel.pos
    assert pos is not None
    return dataclasses.replace(panel, pos=None, width=pos.w, height=pos.h)


def _replace_panels(board: Dashboard, new: dict[int, Panel]) -> Dashboard:
    items: list[Panel | Row] = []
    for item in board.panels:
        if isinstance(item, Row):
            children = [new.get(id(p), p) for p in item.panels]
            items.append(dataclasses.replace(item, panels=children) if children else item)
        else:
            items.append(new.get(id(item), item))
    return dataclasses.replace(board, panels=items)


def _boxes(board: Dashboard) -> list[Any] | None:
    """Every panel's and row's box, in order; None when the layout refuses the dashboard."""
    try:
        placed = layout(board)
    except DeclarationError:
        return None
    out: list[Any] = []

    def walk(items: tuple[Placed, ...] | list[Placed]) -> None:
        for item in items:
            out.append(item.box)
            walk(item.children)

    walk(placed)
    return out
