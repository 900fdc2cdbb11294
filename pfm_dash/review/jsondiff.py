"""Two dashboard JSON documents compared path by path, panels matched by id, then title.

Used where one side exists only as JSON: what is live in Grafana (``diff --grafana-url``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pfm_dash.review.changes import Change, word_diff

_GRID = ("x", "y", "w", "h")


def paths(old: Any, new: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(dotted path, old, new) for each leaf or list that differs; dicts recurse."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            yield from paths(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from paths(a, b, f"{prefix}[{i}]")
    else:
        yield prefix, old, new


def _panels(dashboard: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for panel in dashboard.get("panels") or []:
        if isinstance(panel, Mapping):
            out.append(panel)
            out.extend(p for p in panel.get("panels") or [] if isinstance(p, Mapping))
    return out


def _subject(panel: Mapping[str, Any]) -> str:
    kind = "row" if panel.get("type") == "row" else "panel"
    return f"{kind} {str(panel.get('title', ''))!r}"


def _grid(panel: Mapping[str, Any]) -> dict[str, Any]:
    pos = panel.get("gridPos") or {}
    return {k: pos.get(k) for k in _GRID}


def _change(subject: str, path: str, old: Any, new: Any) -> Change:
    op = "added" if old is None else "removed" if new is None else "changed"
    words = word_diff(old, new) if isinstance(old, str) and isinstance(new, str) else ()
    return Change(op, subject, path, old, new, words if " " in f"{old}{new}" else ())


def _panel_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    subject = _subject(new)
    out: list[Change] = []
    a, b = _grid(old), _grid(new)
    if (a["x"], a["y"]) != (b["x"], b["y"]):
        out.append(Change("moved", subject, "position", a, b))
    if (a["w"], a["h"]) != (b["w"], b["h"]):
        out.append(Change("resized", subject, "size", a, b))
    skip = {"gridPos", "panels"}
    inner_old = {k: v for k, v in old.items() if k not in skip}
    inner_new = {k: v for k, v in new.items() if k not in skip}
    out.extend(_change(subject, p, x, y) for p, x, y in paths(inner_old, inner_new))
    return out


def dashboard_changes(live: Mapping[str, Any], desired: Mapping[str, Any]) -> list[Change]:
    """What pushing ``desired`` would change in ``live``, one change per JSON path."""
    top_old = {k: v for k, v in live.items() if k != "panels"}
    top_new = {k: v for k, v in desired.items() if k != "panels"}
    out = [_change("dashboard", p, a, b) for p, a, b in paths(top_old, top_new)]
    left = list(_panels(live))
    for panel in _panels(desired):
        match = next((p for p in left if p.get("id") == panel.get("id")), None) or next(
            (p for p in left if p.get("title") == panel.get("title")), None
        )
        if match is None:
            out.append(Change("added", _subject(panel), str(panel.get("type")), None, _grid(panel)))
            continue
        left.remove(match)
        out.extend(_panel_changes(match, panel))
    out.extend(Change("removed", _subject(p), str(p.get("type")), _grid(p), None) for p in left)
    return out
