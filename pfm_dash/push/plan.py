"""Classifying one dashboard: create, update, unchanged or conflict (the conflict rule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pfm_dash.push.normalise import normalise, read_mark, read_owner, state_hash
from pfm_dash.push.types import Action, DashboardSpec


@dataclass(frozen=True)
class Decision:
    action: Action
    desired: dict[str, Any]
    desired_hash: str
    folder_uid: str
    live: dict[str, Any] | None = None  # normalised live JSON
    live_version: int | None = None
    reason: str = ""
    # ``--force`` overrides a conflict: only such a save may send ``overwrite: true``.
    forced: bool = False


def desired_model(spec: DashboardSpec) -> dict[str, Any]:
    """The JSON we mean Grafana to hold: the compiled model, normalised, uid and title set."""
    model = normalise(spec.model)
    model["uid"] = spec.uid
    model.setdefault("title", spec.title)
    return model


def folder_uid_of(spec: DashboardSpec) -> str:
    return spec.folder.uid if spec.folder is not None else ""


def who_when(meta: dict[str, Any]) -> str:
    """'version 4, saved by alice at 2026-...' from GET /api/dashboards/uid meta."""
    return (
        f"version {meta.get('version', '?')}, saved by {meta.get('updatedBy') or 'unknown'} "
        f"at {meta.get('updated') or 'unknown time'}"
    )


def classify(
    spec: DashboardSpec, live: dict[str, Any] | None, *, force: bool, project: str = ""
) -> Decision:
    """Decide what to do with ``spec`` given the live GET answer (``None`` when absent).

    Unchanged when Grafana already holds exactly our state. Otherwise an update is safe only if
    the live dashboard is still what pfm-dash last pushed (it hashes to its own mark); anything
    else was changed by someone else and is a conflict, which ``force`` overrides.
    """
    desired = desired_model(spec)
    folder = folder_uid_of(spec)
    digest = state_hash(desired, folder)
    if live is None:
        return Decision(Action.CREATE, desired, digest, folder)
    dashboard = dict(live.get("dashboard") or {})
    meta = dict(live.get("meta") or {})
    version = meta.get("version", dashboard.get("version"))
    live_version = version if isinstance(version, int) else None
    live_norm = normalise(dashboard)
    live_hash = state_hash(live_norm, str(meta.get("folderUid") or ""))

    def decide(action: Action, reason: str = "", forced: bool = False) -> Decision:
        return Decision(action, desired, digest, folder, live_norm, live_version, reason, forced)

    if live_hash == digest:
        return decide(Action.UNCHANGED)
    if meta.get("provisioned"):
        return decide(Action.FAILED, "provisioned from files in Grafana; it cannot be saved")
    mark = read_mark(dashboard)
    owner = read_owner(dashboard)
    foreign = owner is not None and owner != project
    if mark == live_hash and not foreign:
        return decide(Action.UPDATE)
    if force:
        return decide(Action.UPDATE, "overwritten (--force)", forced=True)
    if foreign:
        why = f"pushed by the pfm-dash project {owner!r}, not this one ({who_when(meta)})"
    elif mark is None:
        why = f"exists in Grafana but was not pushed by pfm-dash ({who_when(meta)})"
    else:
        why = f"changed in Grafana since the last push ({who_when(meta)})"
    return decide(Action.CONFLICT, why)
