"""The safety net under typed parsing: regenerate, compare, keep the difference in ``extra``.

After the typed model is built, it is compiled back to JSON and compared with the (upgraded)
input, object by object: a key whose value the generator wrote differently, or left out, is
put in that object's ``extra`` with the input's value; a key the generator added that the
input lacked is set to Grafana's default for it (:mod:`.defaults`) when the two differ. The
import therefore never changes what Grafana shows, whatever the typed fields could not say.
Each patch is listed (``ParsedDashboard.kept``), so a test can see what typing missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING: Any = object()


def same(a: Any, b: Any) -> bool:
    """JSON equality, where ``true`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class Patcher:
    """Computes ``extra`` patches; collects their JSON paths for the report."""

    def __init__(self) -> None:
        self.kept: list[str] = []

    def patch(
        self,
        path: str,
        original: Mapping[str, Any],
        generated: Mapping[str, Any],
        table: Mapping[str, Any],
        skip: frozenset[str] = frozenset(),
        rel: str = "",
    ) -> dict[str, Any]:
        """What to merge over ``generated`` so that it shows what ``original`` shows."""
        out: dict[str, Any] = {}
        for key, value in original.items():
            if key in skip:
                continue
            sub = f"{rel}.{key}" if rel else key
            have = generated.get(key, _MISSING)
            if isinstance(value, Mapping) and isinstance(have, Mapping):
                inner = self.patch(f"{path}.{key}", value, have, table, frozenset(), sub)
                if inner:
                    out[key] = inner
            elif have is _MISSING or not same(value, have):
                out[key] = value
                self.kept.append(f"{path}.{key}")
        for key, have in generated.items():
            if key in original or key in skip:
                continue
            sub = f"{rel}.{key}" if rel else key
            fixed = self._added(f"{path}.{key}", have, table, sub)
            if fixed is not _MISSING:
                out[key] = fixed
        return out

    def _added(self, path: str, have: Any, table: Mapping[str, Any], rel: str) -> Any:
        """A patch for a key the input lacked: Grafana's default where the generator differs."""
        if rel in table:
            if same(table[rel], have):
                return _MISSING
            self.kept.append(f"{path} (Grafana's default)")
            return table[rel]
        if isinstance(have, Mapping):
            inner = {}
            for key, item in have.items():
                fixed = self._added(f"{path}.{key}", item, table, f"{rel}.{key}")
                if fixed is not _MISSING:
                    inner[key] = fixed
            return inner or _MISSING
        return _MISSING


def merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``patch`` over ``base`` as the generator merges ``extra``: dicts deep, the rest replaced."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
