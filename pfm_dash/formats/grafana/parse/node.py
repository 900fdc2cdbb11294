"""A cursor over one JSON object: typed reads that remember their JSON path, and the rest.

Parsing takes every key the DSL models out of a copy of the object (``take``); what is left
(``rest``) becomes the object's ``extra``, so nothing the DSL does not model is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pfm_dash.formats.grafana.parse.errors import DashboardJsonError

T = TypeVar("T")
_MISSING: Any = object()


def json_copy(value: Any) -> Any:
    """A deep copy of plain JSON (dicts, lists, scalars): several times faster than deepcopy,
    which an import of many dashboards spends most of its time in otherwise."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    if isinstance(value, Mapping):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [json_copy(v) for v in value]
    return value


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Node:
    """One JSON object being parsed: ``source`` file, ``path`` inside it, a copy to take from."""

    def __init__(self, data: Mapping[str, Any], path: str, source: str) -> None:
        self.data: dict[str, Any] = json_copy(data)
        self.path = path
        self.source = source

    def fail(self, message: str, key: str | None = None, hint: str = "") -> DashboardJsonError:
        where = self.path if key is None else f"{self.path}.{key}"
        return DashboardJsonError(self.source, where, message, hint)

    def has(self, dotted: str) -> bool:
        return self._get(dotted) is not _MISSING

    def peek(self, dotted: str, default: Any = None) -> Any:
        """A value without taking it (it stays in ``rest``)."""
        value = self._get(dotted)
        return default if value is _MISSING else value

    def _get(self, dotted: str) -> Any:
        value: Any = self.data
        for part in dotted.split("."):
            if not isinstance(value, dict) or part not in value:
                return _MISSING
            value = value[part]
        return value

    def take(self, dotted: str, default: Any = None) -> Any:
        """Remove ``a.b.c`` from the copy and return it (``default`` when absent).

        Objects emptied by the removal go too, so ``rest`` holds only what was not modelled.
        """
        parts = dotted.split(".")
        chain: list[dict[str, Any]] = [self.data]
        for part in parts[:-1]:
            nxt = chain[-1].get(part)
            if not isinstance(nxt, dict):
                return default
            chain.append(nxt)
        if parts[-1] not in chain[-1]:
            return default
        value = chain[-1].pop(parts[-1])
        for depth in range(len(parts) - 1, 0, -1):
            if chain[depth]:
                break
            del chain[depth - 1][parts[depth - 1]]
        return value

    def take_typed(
        self,
        dotted: str,
        convert: Callable[[Any], T],
        default: T,
        what: str,
    ) -> T:
        """``take`` and convert; a value of the wrong shape is kept in ``rest`` untouched,
        so an odd dashboard still comes through unchanged (the default is used for the field).
        """
        raw = self._get(dotted)
        if raw is _MISSING:
            return default
        try:
            value = convert(raw)
        except (ValueError, TypeError, KeyError):
            return default
        self.take(dotted)
        return value

    def rest(self) -> dict[str, Any]:
        return self.data
