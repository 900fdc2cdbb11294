"""Comparing what we declare with what Grafana holds, and pfm-dash's mark on what it pushed.

The mark is the hash of the dashboard's *state* (its normalised JSON and its folder) kept inside
the pushed JSON under ``pfmDash``. If the live dashboard still hashes to its mark, nobody touched
it since our push; if not (or the mark is gone, as after a save from the UI), someone did.
Grafana's legacy save stores the JSON as sent (pkg/api/dashboard.go, no migration on save), so
the mark survives until someone else saves.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import orjson

MARK_KEY = "pfmDash"
# What Grafana writes into the stored JSON on save (SetID/SetUID/SetVersion in
# pkg/services/dashboards/models.go) and the frontend's change counter.
VOLATILE_KEYS = ("id", "version", "iteration")


def normalise(model: Mapping[str, Any]) -> dict[str, Any]:
    """The dashboard JSON without what changes on every save, and without our mark."""
    out = copy.deepcopy(dict(model))
    for key in (*VOLATILE_KEYS, MARK_KEY):
        out.pop(key, None)
    if isinstance(out.get("title"), str):
        out["title"] = out["title"].strip()  # NewDashboardFromJson trims the title
    return out


def state_hash(normalised: Mapping[str, Any], folder_uid: str) -> str:
    """Hash of content plus folder: a move in the UI counts as a change too."""
    blob = orjson.dumps(
        {"dashboard": normalised, "folderUid": folder_uid},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def read_mark(dashboard: Mapping[str, Any]) -> str | None:
    """The state hash pfm-dash left in a live dashboard, if any."""
    mark = dashboard.get(MARK_KEY)
    if isinstance(mark, Mapping) and isinstance(mark.get("hash"), str):
        return str(mark["hash"])
    return None


def read_owner(dashboard: Mapping[str, Any]) -> str | None:
    """The project that pushed a live dashboard, if pfm-dash did (older marks name none)."""
    mark = dashboard.get(MARK_KEY)
    if isinstance(mark, Mapping) and isinstance(mark.get("project"), str):
        return str(mark["project"])
    return None


def with_mark(normalised: Mapping[str, Any], digest: str, project: str) -> dict[str, Any]:
    """The JSON to save: our state hash, and which project pushed it (so prune keeps to it)."""
    out = dict(normalised)
    out[MARK_KEY] = {"hash": digest, "project": project}
    return out


def unified_diff(
    live: Mapping[str, Any] | None, desired: Mapping[str, Any] | None, name: str
) -> str:
    """A unified diff of the normalised JSON, Grafana's side first."""

    def lines(model: Mapping[str, Any] | None) -> list[str]:
        if model is None:
            return []
        return json.dumps(model, indent=2, sort_keys=True, default=str).splitlines(keepends=True)

    diff = difflib.unified_diff(
        lines(live), lines(desired), fromfile=f"grafana/{name}", tofile=f"source/{name}"
    )
    return "".join(diff)
