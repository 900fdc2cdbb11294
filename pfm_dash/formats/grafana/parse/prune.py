"""The last step: ``extra`` keeps only what the generator would not write by itself.

Parsing leaves every key it does not type in ``extra``, and some of those the generator
writes anyway with the same value (a table's target ``format: "table"``, a selected
variable's ``current.selected``). They change nothing in the output, but they would show
up in an imported Python module as noise. Each is removed when the JSON generated without
any ``extra`` already holds that value at that place, so the output stays the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVar

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse.reconcile import same
from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.panels import Panel

T = TypeVar("T")
_MISSING: Any = object()


def _bare(board: Dashboard) -> Dashboard:
    """The dashboard with every ``extra`` emptied."""

    def panel(item: Panel) -> Panel:
        return replace(
            item,
            extra={},
            queries=[replace(q, extra={}) for q in item.queries],
            links=[replace(link, extra={}) for link in item.links],
            overrides=[replace(o, extra={}) for o in item.overrides],
        )

    items = [
        replace(i, extra={}, panels=[panel(p) for p in i.panels])
        if isinstance(i, Row)
        else panel(i)
        for i in board.panels
    ]
    return replace(
        board,
        extra={},
        panels=items,
        variables=[replace(v, extra={}) for v in board.variables],
        links=[replace(link, extra={}) for link in board.links],
    )


def _without_same(extra: Mapping[str, Any], generated: Any) -> dict[str, Any]:
    """``extra`` minus the entries ``generated`` already holds with the same value."""
    out: dict[str, Any] = {}
    for key, value in extra.items():
        have = generated.get(key, _MISSING) if isinstance(generated, Mapping) else _MISSING
        if isinstance(value, Mapping) and isinstance(have, Mapping):
            inner = _without_same(value, have)
            if inner:
                out[key] = inner
        elif have is _MISSING or not same(value, have):
            out[key] = value
    return out


def _flat(data: Mapping[str, Any]) -> dict[Any, Mapping[str, Any]]:
    out: dict[Any, Mapping[str, Any]] = {}
    for item in data.get("panels") or []:
        out.setdefault(item.get("id"), item)
        for child in item.get("panels") or []:
            out.setdefault(child.get("id"), child)
    return out


def _each(objects: Any, generated: Any) -> list[Any]:
    """Objects paired with their JSON by position (lists the generator writes in order)."""
    items = list(generated) if isinstance(generated, list) else []
    if len(items) != len(objects):
        return list(objects)
    return [
        replace(o, extra=_without_same(o.extra, g)) if o.extra else o
        for o, g in zip(objects, items, strict=True)
    ]


def prune(board: Dashboard) -> Dashboard:
    """``board`` with redundant ``extra`` entries removed (the output is unchanged)."""
    data = compile_dashboard(_bare(board)).model
    panels = _flat(data)

    def panel(item: Panel) -> Panel:
        json = panels.get(item.id)
        if item.id is None or json is None:
            return item
        field_config = json.get("fieldConfig") or {}
        return replace(
            item,
            extra=_without_same(item.extra, json),
            queries=_each(item.queries, json.get("targets")),
            links=_each(item.links, json.get("links")),
            overrides=_each(item.overrides, field_config.get("overrides")),
        )

    def row(item: Row) -> Row:
        json = panels.get(item.id)
        extra = _without_same(item.extra, json) if item.id is not None and json else item.extra
        return replace(item, extra=extra, panels=[panel(p) for p in item.panels])

    variables = {v.get("name"): v for v in (data.get("templating") or {}).get("list") or []}
    return replace(
        board,
        extra=_without_same(board.extra, data),
        panels=[row(i) if isinstance(i, Row) else panel(i) for i in board.panels],
        variables=[
            replace(v, extra=_without_same(v.extra, variables.get(v.name, {})))
            for v in board.variables
        ],
        links=_each(board.links, data.get("links")),
    )
