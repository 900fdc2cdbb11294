"""Dashboard variables: the kinds the DSL models, typed; the rest of each in its ``extra``.

Absent keys take Grafana's defaults (:mod:`.defaults`: the variable reducers' initial
state), not the DSL's: a query variable without ``refresh`` refreshes on load in Grafana.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from pfm_dash.formats.grafana.parse import fields as read
from pfm_dash.formats.grafana.parse.datasources import is_prometheus
from pfm_dash.formats.grafana.parse.defaults import variable_default
from pfm_dash.formats.grafana.parse.node import Node
from pfm_dash.model.dashboard import (
    CustomVariable,
    DatasourceVariable,
    IntervalVariable,
    QueryVariable,
    Variable,
)
from pfm_dash.model.vocab import VariableRefresh, VariableSort

_MISSING: Any = object()


def _hide(raw: Any) -> bool:
    return {0: False, 2: True}[raw]


def _current(node: Node) -> str:
    """The selected value, when it is one plain string (``{text: v, value: v}``)."""
    current = node.peek("current")
    if isinstance(current, dict) and current:
        text, value = current.get("text"), current.get("value")
        if isinstance(value, str) and value and text == value:
            node.take("current.text")
            node.take("current.value")
            return value
    return ""


def _csv(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return tuple(part.strip() for part in raw.split(","))


def _query_text(raw: Any) -> str:
    """A Prometheus variable query: a string, or the editor's ``{query, refId}`` object."""
    if isinstance(raw, dict) and isinstance(raw.get("query"), str) and raw["query"]:
        return str(raw["query"])
    if isinstance(raw, str) and raw:
        return raw
    raise ValueError(raw)


def _take(
    node: Node, kind: str, key: str, name: str, reader: Callable[[Any], Any], out: dict[str, Any]
) -> None:
    """Typed ``key`` into ``out[name]``, or Grafana's default for it when absent."""
    if node.has(key):
        value = node.take_typed(key, reader, _MISSING, name)
        if value is not _MISSING:
            out[name] = value
            return
    try:
        default = variable_default(kind, key)
    except KeyError:
        return
    with contextlib.suppress(ValueError, KeyError, TypeError):
        out[name] = reader(default)


def _datasource(node: Node, out: dict[str, Any]) -> type[Variable] | None:
    if node.peek("query") != "prometheus":
        return None
    node.take("query")
    _take(node, "datasource", "regex", "regex", read.text, out)
    out["default"] = _current(node)
    return DatasourceVariable


def _query(node: Node, out: dict[str, Any]) -> type[Variable] | None:
    if not is_prometheus(node.peek("datasource")):
        return None
    try:
        out["query"] = _query_text(node.peek("query"))
    except ValueError:
        return None
    if isinstance(node.peek("query"), str):
        node.take("query")
    if node.has("datasource"):
        node.take("datasource")
    if node.peek("definition") == out["query"]:
        node.take("definition")
    _take(node, "query", "multi", "multi", read.boolean, out)
    _take(node, "query", "includeAll", "include_all", read.boolean, out)
    if isinstance(node.peek("allValue"), str):
        out["all_value"] = node.take("allValue")
    _take(node, "query", "regex", "regex", read.text, out)
    _take(node, "query", "refresh", "refresh", read.enum(VariableRefresh), out)
    _take(node, "query", "sort", "sort", read.enum(VariableSort), out)
    out["default"] = _current(node)
    return QueryVariable


def _custom(node: Node, out: dict[str, Any]) -> type[Variable] | None:
    try:
        out["options"] = _csv(node.peek("query"))
    except ValueError:
        return None
    node.take("query")
    _take(node, "custom", "multi", "multi", read.boolean, out)
    _take(node, "custom", "includeAll", "include_all", read.boolean, out)
    out["default"] = _current(node)
    return CustomVariable


def _interval(node: Node, out: dict[str, Any]) -> type[Variable] | None:
    try:
        out["intervals"] = _csv(node.peek("query"))
        IntervalVariable(name="probe", intervals=out["intervals"])
    except Exception:
        return None
    node.take("query")
    _take(node, "interval", "auto", "auto", read.boolean, out)
    out["default"] = _current(node)
    return IntervalVariable


_KINDS: dict[str, Callable[[Node, dict[str, Any]], type[Variable] | None]] = {
    "datasource": _datasource,
    "query": _query,
    "custom": _custom,
    "interval": _interval,
}


def variable(node: Node) -> Variable | None:
    """The typed variable, or None for a kind (or a shape) the DSL does not model."""
    kind = node.peek("type")
    name = node.peek("name")
    reader = _KINDS.get(kind) if isinstance(kind, str) else None
    if reader is None or not isinstance(name, str):
        return None
    out: dict[str, Any] = {"name": name}
    try:
        Variable(name=name)
    except Exception:
        return None  # a name the DSL refuses ('__x', '1st'): keep the variable raw
    cls = reader(node, out)
    if cls is None:
        return None
    node.take("type")
    node.take("name")
    if isinstance(node.peek("label"), str):
        out["label"] = node.take("label")
    else:
        out["label"] = ""
    _take(node, kind, "hide", "hide", _hide, out)
    return cls(**out, extra=node.rest())
