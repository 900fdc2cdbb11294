"""A whole dashboard: sharing inputs resolved, old schema upgraded, then typed.

Order (each step's module says whose behaviour it follows):
1. ``structure``: refuse what is not a dashboard, panels without a type, duplicate ids;
2. ``datasources``: exported ``${DS_...}`` inputs and old names point at the variable;
3. ``migrate``: schema < 36 upgraded as Grafana's DashboardMigrator does on load;
4. typed parsing: ``variables``, ``panels``, rows (collapsed rows hold their panels, an
   expanded row owns the panels below it up to the next row, as ``getRowPanels`` decides);
5. layout: ``pos=`` only for panels the flow would put elsewhere;
6. ``reconcile``: what the generator would write differently is kept in ``extra``;
7. ``prune``: what it would write the same anyway leaves ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pfm_dash.errors import UNKNOWN
from pfm_dash.formats.grafana.parse import fields as read
from pfm_dash.formats.grafana.parse.datasources import (
    datasource_variable_name,
    refs_to_variable,
    resolve_sharing,
)
from pfm_dash.formats.grafana.parse.defaults import COMMON_PANEL, DASHBOARD
from pfm_dash.formats.grafana.parse.errors import DashboardJsonError
from pfm_dash.formats.grafana.parse.layout import place
from pfm_dash.formats.grafana.parse.migrate import all_panels, upgrade
from pfm_dash.formats.grafana.parse.node import Node, json_copy
from pfm_dash.formats.grafana.parse.panels import UNTITLED, panel
from pfm_dash.formats.grafana.parse.structure import check_dashboard
from pfm_dash.formats.grafana.parse.variables import variable
from pfm_dash.model.base import check_duration
from pfm_dash.model.dashboard import UID, Dashboard, Folder, Row, TimeRange
from pfm_dash.model.dashboard import Variable as VariableModel
from pfm_dash.model.panels import GridPos, Link, Panel
from pfm_dash.model.vocab import GraphTooltip

# The Grafana instance's bookkeeping, not what the dashboard shows (docs/import.md).
_DROPPED = ("id", "version", "iteration", "schemaVersion")
_MISSING: Any = object()


@dataclass
class ParsedDashboard:
    """A dashboard read from Grafana JSON, with what the import did to it."""

    dashboard: Dashboard
    source: str
    upgrades: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # JSON paths the typed fields could not say, kept in ``extra`` by the reconcile step.
    kept: list[str] = field(default_factory=list)
    # Where each panel stood in the input (id -> gridPos), for layout decisions downstream.
    grid: dict[int, GridPos] = field(default_factory=dict)


@dataclass
class _Context:
    source: str
    upgrades: list[str]
    notes: list[str]
    grid: dict[int, Any] = field(default_factory=dict)


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", title.strip().lower()).strip("-")
    return (slug or "dashboard")[:40]


def _uid(node: Node, ctx: _Context, title: str) -> str:
    uid = node.peek("uid")
    if uid is None or uid == "":
        node.take("uid")
        made = _slug(title)
        ctx.upgrades.append(f"no uid: {made!r} made from the title")
        return made
    if not isinstance(uid, str) or not UID.match(uid):
        raise DashboardJsonError(
            ctx.source,
            "$.uid",
            f"invalid dashboard uid {uid!r}",
            "use 1 to 40 characters of letters, digits, '-' and '_' (Grafana's rule)",
        )
    return str(node.take("uid"))


def _refresh(raw: Any) -> str | None:
    if raw in ("", None, False):
        return None
    if not isinstance(raw, str):
        raise ValueError(raw)
    check_duration(raw, "refresh", UNKNOWN)
    return raw


def _parse_refresh(node: Node) -> str | None:
    raw = node.peek("refresh", _MISSING)
    if raw is _MISSING:
        return None
    try:
        value = _refresh(raw)
    except Exception:
        return None  # an interval the DSL refuses: kept raw in extra
    node.take("refresh")
    return value


def _variables(node: Node, ctx: _Context) -> tuple[list[VariableModel], bool]:
    """Typed variables; when one is of a kind the DSL lacks, the whole list stays raw."""
    raw = node.peek("templating.list")
    if raw is None:
        return [], False
    if not isinstance(raw, list):
        raise DashboardJsonError(ctx.source, "$.templating.list", "variables are not a list")
    typed: list[VariableModel] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise DashboardJsonError(
                ctx.source, f"$.templating.list[{index}]", "variable is not a JSON object"
            )
        parsed = variable(Node(item, f"$.templating.list[{index}]", ctx.source))
        if parsed is None:
            ctx.notes.append(
                f"variable {item.get('name')!r} ({item.get('type')}) has no DSL type: "
                "the variables are kept as raw JSON in the dashboard's extra"
            )
            return [], False
        typed.append(parsed)
    node.take("templating.list")
    return typed, True


def _panel_list(node: Node, ctx: _Context) -> list[Panel | Row]:
    """Panels and rows in Grafana's order (by y, then x); rows own what follows them."""
    raw = node.take("panels") or []
    indexed = list(enumerate(raw))
    # DashboardModel.sortPanelsByGridPos: membership of expanded rows follows from it.
    indexed.sort(key=lambda pair: _yx(pair[1]))
    items: list[Panel | Row] = []
    current_row: dict[str, Any] | None = None
    row_panels: list[Panel] = []

    def close_row() -> None:
        nonlocal current_row
        if current_row is not None:
            items.append(_row(current_row, row_panels, ctx))
        current_row = None

    for index, item in indexed:
        path = f"$.panels[{index}]"
        if "libraryPanel" in item and not item.get("type"):
            ctx.notes.append(
                f"{path}: library panel {item['libraryPanel'].get('name')!r} is not imported "
                "(its model lives in Grafana's library, not in this file)"
            )
            continue
        if item.get("type") == "row":
            close_row()
            current_row = dict(item, __path=path)
            row_panels = []
            if item.get("collapsed"):
                row_panels = [
                    _panel(child, f"{path}.panels[{j}]", ctx)
                    for j, child in enumerate(item.get("panels") or [])
                    if not _library(child, f"{path}.panels[{j}]", ctx)
                ]
            continue
        parsed = _panel(item, path, ctx)
        if current_row is None:
            items.append(parsed)
        else:
            row_panels.append(parsed)
    close_row()
    return items


def _library(item: Mapping[str, Any], path: str, ctx: _Context) -> bool:
    if "libraryPanel" in item and not item.get("type"):
        ctx.notes.append(
            f"{path}: library panel {item['libraryPanel'].get('name')!r} is not imported"
        )
        return True
    return False


def _yx(item: Any) -> tuple[float, float]:
    pos = item.get("gridPos") if isinstance(item, Mapping) else None
    if not isinstance(pos, Mapping):
        return (0, 0)
    y, x = pos.get("y", 0), pos.get("x", 0)
    return (y if isinstance(y, int | float) else 0, x if isinstance(x, int | float) else 0)


def _grid(item: Mapping[str, Any]) -> GridPos | None:
    pos = item.get("gridPos")
    if not isinstance(pos, Mapping) or set(pos) - {"x", "y", "w", "h"}:
        return None
    try:
        return GridPos(x=pos["x"], y=pos["y"], w=pos["w"], h=pos["h"])
    except Exception:
        return None


def _panel(item: Mapping[str, Any], path: str, ctx: _Context) -> Panel:
    node = Node(item, path, ctx.source)
    kind = str(node.take("type"))
    grid = _grid(item)
    # Without a usable gridPos, PanelModel's default size (defaults.py: 6 wide, 3 high).
    size: dict[str, Any] = {"width": COMMON_PANEL["gridPos.w"], "height": COMMON_PANEL["gridPos.h"]}
    if grid is not None:
        node.take("gridPos")
        size = {"width": grid.w, "height": grid.h}
    parsed = panel(node, kind)
    parsed = replace(parsed, **size)
    if grid is not None and parsed.id is not None:
        ctx.grid[parsed.id] = grid
    return parsed


def _row(item: dict[str, Any], panels: list[Panel], ctx: _Context) -> Row:
    path = item.pop("__path")
    node = Node(item, path, ctx.source)
    node.take("type")
    title = node.take_typed("title", _row_title, UNTITLED, "title")
    collapsed = node.take_typed("collapsed", read.boolean, False, "collapsed")
    kwargs: dict[str, Any] = {}
    row_id = node.peek("id")
    if isinstance(row_id, int) and not isinstance(row_id, bool) and row_id >= 1:
        kwargs["id"] = node.take("id")
    if collapsed or not node.peek("panels"):
        node.take("panels")
    grid = _grid(item)
    if grid is not None:
        node.take("gridPos")
        if row_id is not None:
            ctx.grid[row_id] = grid
    return Row(title=title, panels=panels, collapsed=collapsed, **kwargs, extra=node.rest())


def _row_title(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw


def _folder(meta: Any) -> Folder | None:
    if not isinstance(meta, Mapping):
        return None
    uid, title = meta.get("folderUid"), meta.get("folderTitle")
    if isinstance(uid, str) and uid and isinstance(title, str) and title.strip():
        try:
            return Folder(uid=uid, title=title)
        except Exception:
            return None
    return None


def _dashboard_fields(node: Node, ctx: _Context) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    title = node.take_typed("title", _row_title, UNTITLED, "title")
    kwargs["title"] = title
    kwargs["uid"] = _uid(node, ctx, title if title != UNTITLED else "")
    no_tags: tuple[str, ...] = ()
    kwargs["tags"] = node.take_typed("tags", _strings, no_tags, "tags")
    kwargs["description"] = node.take_typed("description", read.text, "", "description")
    no_links: tuple[Link, ...] = ()
    kwargs["links"] = node.take_typed("links", read.links, no_links, "links")
    kwargs["refresh"] = _parse_refresh(node)
    kwargs["timezone"] = node.take_typed("timezone", read.text, DASHBOARD["timezone"], "timezone")
    kwargs["graph_tooltip"] = node.take_typed(
        "graphTooltip", read.enum(GraphTooltip), GraphTooltip(DASHBOARD["graphTooltip"]), ""
    )
    kwargs["editable"] = node.take_typed("editable", read.boolean, DASHBOARD["editable"], "")
    start = node.take_typed("time.from", read.text, DASHBOARD["time.from"], "")
    end = node.take_typed("time.to", read.text, DASHBOARD["time.to"], "")
    kwargs["time"] = TimeRange(start=start, end=end)
    return kwargs


def _strings(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise ValueError(raw)
    return tuple(raw)


def _datasource_variable_json(name: str) -> dict[str, Any]:
    """The datasource variable a dashboard without one gains (Grafana's defaults for the rest)."""
    return {"type": "datasource", "name": name, "query": "prometheus"}


def _reads_prometheus(data: Mapping[str, Any]) -> bool:
    """Does any panel or query variable read Prometheus (so needs the variable)?"""
    for item in all_panels(dict(data)):
        if item.get("type") != "row" and item.get("targets"):
            return True
    variables = (data.get("templating") or {}).get("list") or []
    return any(isinstance(v, Mapping) and v.get("type") == "query" for v in variables)


def parse_dashboard(data: Mapping[str, Any], *, source: str) -> ParsedDashboard:
    """Grafana dashboard JSON (a file's, an export's or the HTTP API's) into the model."""
    folder = None
    if isinstance(data, Mapping) and isinstance(data.get("dashboard"), Mapping) and "meta" in data:
        folder = _folder(data.get("meta"))
        data = data["dashboard"]  # GET /api/dashboards/uid/<uid> wraps the model
    check_dashboard(data, source)
    work: dict[str, Any] = json_copy(dict(data))
    ctx = _Context(source=source, upgrades=[], notes=[])
    ds_name = datasource_variable_name(work)
    name = ds_name or "datasource"
    upgrades, notes = resolve_sharing(work, name)
    ctx.upgrades.extend(upgrades)
    ctx.notes.extend(notes)
    ctx.upgrades.extend(upgrade(work))
    ctx.upgrades.extend(refs_to_variable(work, name))
    if ds_name is None and _reads_prometheus(work):
        templating = work.get("templating")
        if not isinstance(templating, dict):
            templating = work["templating"] = {}
        if not isinstance(templating.get("list"), list):
            templating["list"] = []
        templating["list"].insert(0, _datasource_variable_json(name))
        ctx.upgrades.append(f"datasource variable ${name} added for the Prometheus references")
    upgraded = json_copy(work)
    node = Node(work, "$", source)
    for key in _DROPPED:
        node.take(key)
    kwargs = _dashboard_fields(node, ctx)
    variables, typed = _variables(node, ctx)
    panels = _panel_list(node, ctx)
    board = Dashboard(
        **kwargs,
        panels=panels,
        variables=variables,
        folder=folder,
        extra=node.rest(),
    )
    board = place(board, ctx.grid)
    from pfm_dash.formats.grafana.parse.prune import prune
    from pfm_dash.formats.grafana.parse.regenerate import reconcile

    board, kept = reconcile(board, upgraded, typed_variables=typed)
    board = prune(board)
    return ParsedDashboard(
        dashboard=board,
        source=source,
        upgrades=ctx.upgrades,
        notes=ctx.notes,
        kept=kept,
        grid=dict(ctx.grid),
    )
