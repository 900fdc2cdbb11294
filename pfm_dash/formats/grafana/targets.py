"""A panel's queries as Grafana 10+ stores Prometheus targets.

No ``step``, ``intervalFactor``, ``metric`` or duplicate ``query`` (pre-7 keys grafanalib
wrote); ``range``/``instant`` and ``editorMode`` as the current query editor saves them.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterator
from typing import Any

from pfm_dash.formats.grafana.common import merge
from pfm_dash.model.panels import Panel
from pfm_dash.model.query import Query

_FIRST_REF_IDS = tuple(string.ascii_uppercase)


def _ref_ids() -> Iterator[str]:
    """A, B, ..., Z, AA, AB, ...: the names Grafana gives queries."""
    yield from _FIRST_REF_IDS
    letters = string.ascii_uppercase
    for size in itertools.count(2):
        for combo in itertools.product(letters, repeat=size):
            yield "".join(combo)


def ref_ids(panel: Panel) -> list[str]:
    """Each query's ref id: its own, or the next free letter (explicit ones are skipped)."""
    queries = panel.queries
    if len(queries) <= len(_FIRST_REF_IDS) and not any(q.ref_id for q in queries):
        return list(_FIRST_REF_IDS[: len(queries)])  # the common case, without a generator
    letters = _ref_ids()
    used = {q.ref_id for q in panel.queries if q.ref_id}
    out = []
    for query in panel.queries:
        ref = query.ref_id or next(c for c in letters if c not in used)
        used.add(ref)
        out.append(ref)
    return out


def target_json(query: Query, ref: str, fmt: str, datasource: dict[str, str]) -> dict[str, Any]:
    target: dict[str, Any] = {
        "datasource": dict(datasource),
        "editorMode": "code",
        "expr": query.expr,
        "format": fmt,
        "instant": query.instant,
        "legendFormat": query.legend,
        "range": not query.instant,
        "refId": ref,
    }
    if query.interval:
        target["interval"] = query.interval
    if query.hide:
        target["hide"] = True
    return merge(target, query.extra)


def targets_json(panel: Panel, fmt: str, datasource: dict[str, str]) -> list[dict[str, Any]]:
    refs = ref_ids(panel)
    return [
        target_json(q, ref, fmt, datasource) for q, ref in zip(panel.queries, refs, strict=True)
    ]
