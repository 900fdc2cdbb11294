"""Stable panel ids: a panel keeps its id when others are inserted, removed or reordered.

Alerts link to ``/d/<uid>?viewPanel=<id>``, and notifications already sent keep those
links; numbering panels in list order would send them to the wrong panel after any edit.

The rule, per dashboard (rows and panels, collapsed rows' panels included, share one space):

1. An explicit ``id=`` is kept as given (an imported panel keeps its own). Two equal
   explicit ids are an error: Grafana would silently renumber one of them.
2. Every other panel gets a key: its title (a row's is ``row:`` + title). The n-th panel
   with the same key, in declaration order, gets ``key#n`` from the second on; only
   panels sharing a title depend on each other's order.
3. A key's id is ``1 + crc32(key) mod 999_999`` (1 to 999 999: short in a URL, and 0 is
   what Grafana treats as "no id"). Keys are then taken in sorted order; a key whose id is
   already taken (explicitly or by an earlier key) takes the next free id above it,
   wrapping to 1. So an id depends on the set of keys, never on their order, and changes
   only in the rare case that a new key sorts before it with the same hash.

Renaming a panel gives it a new id: a link to the old id then finds no panel, rather than
another one. Pin ``id=`` to keep an id across a rename.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from pfm_dash.errors import Location
from pfm_dash.model.base import fail

SPACE = 999_999


def base_id(key: str) -> int:
    """Where a key's id starts (step 3 above)."""
    return 1 + zlib.crc32(key.encode()) % SPACE


def assign_ids(items: Sequence[tuple[str, int | None, Location]]) -> list[int]:
    """An id for each ``(key, explicit id, location)``, in the order given."""
    out: list[int | None] = [explicit for _key, explicit, _where in items]
    taken: dict[int, int] = {}
    for index, (_key, explicit, where) in enumerate(items):
        if explicit is None:
            continue
        if explicit in taken:
            raise fail(
                where,
                f"panel id {explicit} is used twice on this dashboard",
                "give each panel its own id=, or leave id= out for a stable one",
            )
        taken[explicit] = index
    seen: dict[str, int] = {}
    keyed: list[tuple[str, int]] = []
    for index, (key, explicit, _where) in enumerate(items):
        if explicit is not None:
            continue
        seen[key] = seen.get(key, 0) + 1
        keyed.append((key if seen[key] == 1 else f"{key}#{seen[key]}", index))
    for key, index in sorted(keyed):
        candidate = base_id(key)
        while candidate in taken:
            candidate = candidate % SPACE + 1
        taken[candidate] = index
        out[index] = candidate
    return [i for i in out if i is not None]
