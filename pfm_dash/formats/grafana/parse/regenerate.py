"""Applying :mod:`.reconcile` to a whole dashboard: each object's difference into its ``extra``.

Objects are matched as the round-trip proof matches them: panels and rows by id, targets by
position in their panel (queries keep the targets' order), variables by name, overrides and
links by position when their count is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import defaults as grafana
from pfm_dash.formats.grafana.parse.datasources import SHARING_KEYS, is_prometheus
from pfm_dash.formats.grafana.parse.node import json_copy
from pfm_dash.formats.grafana.parse.reconcile import Patcher, merge
from pfm_dash.model.dashboard import Dashboard, Row, Variable
from pfm_dash.model.panels import Link, Panel

_DASHBOARD_SKIP = frozenset(
    {"panels", "schemaVersion", "id", "version", "iteration", *SHARING_KEYS}
)


def _flat(data: Mapping[str, Any]) -> dict[Any, Mapping[str, Any]]:
    out: dict[Any, Mapping[str, Any]] = {}
    for panel in data.get("panels") or []:
        if isinstance(panel, Mapping):
            out.setdefault(panel.get("id"), panel)
            for child in panel.get("panels") or []:
                if isinstance(child, Mapping):
                    out.setdefault(child.get("id"), child)
    return out


def _pop(data: dict[str, Any], dotted: str) -> Any:
    parts = dotted.split(".")
    holder: Any = data
    for part in parts[:-1]:
        holder = holder.get(part) if isinstance(holder, dict) else None
    if isinstance(holder, dict):
        return holder.pop(parts[-1], None)
    return None


def _datasource_skip(original: Mapping[str, Any]) -> frozenset[str]:
    """A Prometheus reference is normalised to the variable: not a difference to keep."""
    if "datasource" not in original or is_prometheus(original["datasource"]):
        return frozenset({"datasource"})
    return frozenset()


class _Reconciler:
    def __init__(self, original: Mapping[str, Any], generated: Mapping[str, Any]) -> None:
        self.patcher = Patcher()
        self.original = _flat(original)
        self.generated = _flat(generated)

    def links(
        self, path: str, links: tuple[Link, ...], before: Any, after: Any
    ) -> tuple[Link, ...] | None:
        if not isinstance(before, list) or not isinstance(after, list):
            return None
        if len(before) != len(links) or len(after) != len(links):
            return None
        out = []
        for i, (link, a, b) in enumerate(zip(links, before, after, strict=True)):
            patch = self.patcher.patch(f"{path}[{i}]", a, b, grafana.LINK)
            out.append(replace(link, extra=merge(link.extra, patch)) if patch else link)
        return tuple(out)

    def panel(self, panel: Panel) -> Panel:
        if panel.id not in self.original or panel.id not in self.generated:
            return panel
        before = json_copy(dict(self.original[panel.id]))
        after = json_copy(dict(self.generated[panel.id]))
        path = f"$.panels[id={panel.id}]"
        kind = str(before.get("type"))
        table = {**grafana.COMMON_PANEL, **grafana.PANEL.get(kind, {})}
        changes: dict[str, Any] = {}
        skip = {"panels"} | _datasource_skip(before)
        if panel.queries:
            skip.add("targets")
            changes["queries"] = self._queries(
                path, panel, before.get("targets"), after.get("targets")
            )
        if panel.links:
            links = self.links(
                f"{path}.links", tuple(panel.links), before.get("links"), after.get("links")
            )
            if links is not None:
                skip.add("links")
                changes["links"] = links
        if panel.overrides:
            b = _pop(before, "fieldConfig.overrides")
            a = _pop(after, "fieldConfig.overrides")
            overrides = self._overrides(path, panel, b, a)
            if overrides is None:
                _put(before, "fieldConfig.overrides", b)
                _put(after, "fieldConfig.overrides", a)
            else:
                changes["overrides"] = overrides
        patch = self.patcher.patch(path, before, after, table, frozenset(skip))
        if patch:
            changes["extra"] = merge(panel.extra, patch)
        return replace(panel, **changes) if changes else panel

    def _queries(self, path: str, panel: Panel, before: Any, after: Any) -> Any:
        if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
            return panel.queries
        out = []
        for i, (query, a, b) in enumerate(zip(panel.queries, before, after, strict=True)):
            skip = set(_datasource_skip(a))
            if "refId" not in a:
                skip.add("refId")  # Grafana assigns the same letter on load (ensureQueryIds)
            patch = self.patcher.patch(
                f"{path}.targets[{i}]", a, b, grafana.target_defaults(a), frozenset(skip)
            )
            out.append(replace(query, extra=merge(query.extra, patch)) if patch else query)
        return tuple(out)

    def _overrides(self, path: str, panel: Panel, before: Any, after: Any) -> Any:
        if not isinstance(before, list) or not isinstance(after, list):
            return None
        if not (len(before) == len(after) == len(panel.overrides)):
            return None
        out = []
        for i, (item, a, b) in enumerate(zip(panel.overrides, before, after, strict=True)):
            patch = self.patcher.patch(f"{path}.fieldConfig.overrides[{i}]", a, b, {})
            out.append(replace(item, extra=merge(item.extra, patch)) if patch else item)
        return tuple(out)

    def row(self, row: Row) -> Row:
        panels = [self.panel(p) for p in row.panels]
        changes: dict[str, Any] = {}
        if panels != list(row.panels):
            changes["panels"] = panels
        if row.id in self.original and row.id in self.generated:
            before, after = self.original[row.id], self.generated[row.id]
            patch = self.patcher.patch(
                f"$.panels[id={row.id}]",
                before,
                after,
                grafana.ROW,
                frozenset({"panels"}) | _datasource_skip(before),
            )
            if patch:
                changes["extra"] = merge(row.extra, patch)
        return replace(row, **changes) if changes else row

    def variables(self, board: Dashboard, before: Any, after: Any) -> list[Variable]:
        by_name_before = {v.get("name"): v for v in before if isinstance(v, Mapping)}
        by_name_after = {v.get("name"): v for v in after if isinstance(v, Mapping)}
        out = []
        for variable in board.variables:
            a, b = by_name_before.get(variable.name), by_name_after.get(variable.name)
            if a is None or b is None:
                out.append(variable)
                continue
            kind = str(a.get("type"))
            table = {**grafana.VARIABLE, **grafana.VARIABLE_KIND.get(kind, {})}
            patch = self.patcher.patch(
                f"$.templating.list[{variable.name}]", a, b, table, _datasource_skip(a)
            )
            out.append(replace(variable, extra=merge(variable.extra, patch)) if patch else variable)
        return out


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    if value is None:
        return
    parts = dotted.split(".")
    holder = data
    for part in parts[:-1]:
        holder = holder.setdefault(part, {})
    holder[parts[-1]] = value


def _items(board: Dashboard) -> Iterator[Panel | Row]:
    yield from board.panels


def reconcile(
    board: Dashboard, original: Mapping[str, Any], *, typed_variables: bool
) -> tuple[Dashboard, list[str]]:
    """``board`` with every difference from ``original`` kept in ``extra``; the paths kept."""
    generated = compile_dashboard(board).model
    rec = _Reconciler(original, generated)
    items: list[Panel | Row] = [
        rec.row(item) if isinstance(item, Row) else rec.panel(item) for item in _items(board)
    ]
    changes: dict[str, Any] = {"panels": items}
    before = {k: v for k, v in original.items() if k not in _DASHBOARD_SKIP}
    after = {k: v for k, v in generated.items() if k not in _DASHBOARD_SKIP}
    if typed_variables:
        list_before = _pop(before := json_copy(before), "templating.list") or []
        list_after = _pop(after := json_copy(after), "templating.list") or []
        changes["variables"] = rec.variables(board, list_before, list_after)
    if board.links:
        links = rec.links("$.links", tuple(board.links), before.get("links"), after.get("links"))
        if links is not None:
            changes["links"] = links
            before, after = dict(before), dict(after)
            before.pop("links", None)
            after.pop("links", None)
    patch = rec.patcher.patch("$", before, after, grafana.DASHBOARD)
    version, written = original.get("schemaVersion"), generated.get("schemaVersion")
    if isinstance(version, int) and isinstance(written, int) and version > written:
        patch["schemaVersion"] = version  # already migrated further than we write: keep it
        rec.patcher.kept.append("$.schemaVersion")
    if patch:
        changes["extra"] = merge(board.extra, patch)
    return replace(board, **changes), rec.patcher.kept
