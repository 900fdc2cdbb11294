"""Where imported panels go: the flow where it puts them where they were, ``pos=`` elsewhere.

The DSL lays panels out by flowing them (``width=``, ``height=``); an imported panel above the
first row keeps its place with ``pos=`` only where the flow would put it somewhere else, so the
imported Python reads as a person would write it. Panels inside rows cannot take ``pos=``
(the DSL refuses it: Grafana decides row membership by position); where their flow differs,
the reconcile step keeps their ``gridPos`` in ``extra``.
"""

from __future__ import annotations

from dataclasses import replace

from pfm_dash.errors import DeclarationError
from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.layout import Box, layout
from pfm_dash.model.panels import GridPos, Panel


def _boxes(board: Dashboard) -> dict[int, Box]:
    return {p.id: p.box for p in layout(board)}


def _with_pos(board: Dashboard, panel_id: int, pos: GridPos) -> Dashboard:
    panels: list[Panel | Row] = [
        replace(item, pos=pos) if isinstance(item, Panel) and item.id == panel_id else item
        for item in board.panels
    ]
    return replace(board, panels=panels)


def place(board: Dashboard, grid: dict[int, GridPos]) -> Dashboard:
    """``board`` with ``pos=`` set on the top-level panels the flow would misplace.

    A position the DSL refuses (it overlaps another pinned panel: Grafana would push one
    down) is left to the flow, and the reconcile step keeps the original ``gridPos``.
    """
    refused: set[int] = set()
    for _ in range(len(board.panels) + 1):
        boxes = _boxes(board)
        misplaced: list[int] = []
        for item in board.panels:
            if isinstance(item, Row):
                break
            if item.id is None or item.pos is not None or item.id in refused:
                continue
            want, got = grid.get(item.id), boxes.get(item.id)
            if want is None or got is None:
                continue
            if (got.x, got.y, got.w, got.h) != (want.x, want.y, want.w, want.h):
                misplaced.append(item.id)
        if not misplaced:
            return board
        # One at a time: pinning the first misplaced panel often puts the rest right.
        panel_id = misplaced[0]
        try:
            candidate = _with_pos(board, panel_id, grid[panel_id])
            _boxes(candidate)
        except DeclarationError:
            refused.add(panel_id)
            continue
        board = candidate
    return board
