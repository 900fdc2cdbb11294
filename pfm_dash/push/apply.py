"""Pushing one dashboard: read the live one, decide, save with its version, settle a 412."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pfm_dash.client import (
    AuthError,
    Forbidden,
    GrafanaClient,
    GrafanaError,
    NotFound,
    VersionMismatch,
)
from pfm_dash.push.normalise import normalise, read_mark, state_hash, unified_diff, with_mark
from pfm_dash.push.plan import Decision, classify, who_when
from pfm_dash.push.types import Action, DashboardSpec, Outcome


@dataclass(frozen=True)
class ApplyContext:
    client: GrafanaClient
    dry_run: bool
    diff: bool
    force: bool
    message: str
    project: str = ""
    failed_folders: frozenset[str] = frozenset()


def push_dashboard(ctx: ApplyContext, spec: DashboardSpec) -> Outcome:
    """Never raises for a Grafana error: every result, failures included, is an Outcome."""
    outcome = Outcome("dashboard", spec.uid, spec.title, Action.FAILED, location=str(spec.location))
    outcome.folder_uid = spec.folder.uid if spec.folder is not None else ""
    if outcome.folder_uid in ctx.failed_folders:
        outcome.detail = f"its folder {outcome.folder_uid} could not be ensured"
        return outcome
    try:
        return _push(ctx, spec, outcome)
    except GrafanaError as exc:
        outcome.action = Action.FAILED
        outcome.applied = False
        outcome.detail = exc.message if exc.status is not None else str(exc)
        outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
        return outcome


def _push(ctx: ApplyContext, spec: DashboardSpec, outcome: Outcome) -> Outcome:
    live = _get(ctx.client, spec.uid)
    decision = classify(spec, live, force=ctx.force, project=ctx.project)
    outcome.action = decision.action
    outcome.detail = decision.reason
    outcome.version = decision.live_version
    if ctx.diff and decision.action in (Action.CREATE, Action.UPDATE, Action.CONFLICT):
        outcome.diff = unified_diff(decision.live, decision.desired, f"{spec.uid}.json")
    if decision.action is Action.CONFLICT:
        outcome.detail += _last_message(ctx.client, spec.uid)
    if ctx.dry_run or decision.action not in (Action.CREATE, Action.UPDATE):
        return outcome
    body = with_mark(decision.desired, decision.desired_hash, ctx.project)
    if decision.live_version is not None:
        body["version"] = decision.live_version
    try:
        saved = ctx.client.save_dashboard(
            body, decision.folder_uid, overwrite=ctx.force, message=ctx.message
        )
    except VersionMismatch:
        return _settle_mismatch(ctx, decision, outcome)
    outcome.applied = True
    version = saved.get("version")
    outcome.version = version if isinstance(version, int) else None
    return outcome


def _get(client: GrafanaClient, uid: str) -> dict[str, Any] | None:
    try:
        return client.get_dashboard(uid)
    except NotFound:
        return None


def _settle_mismatch(ctx: ApplyContext, decision: Decision, outcome: Outcome) -> Outcome:
    """Grafana's 412: either our own retried save already landed, or someone saved in between.

    Never retried: the live dashboard is read again and, unless it is exactly ours, reported as
    a conflict.
    """
    live = _get(ctx.client, outcome.uid)
    if live is not None:
        dashboard = dict(live.get("dashboard") or {})
        meta = dict(live.get("meta") or {})
        live_hash = state_hash(normalise(dashboard), str(meta.get("folderUid") or ""))
        if live_hash == decision.desired_hash and read_mark(dashboard) == live_hash:
            outcome.applied = True
            outcome.version = meta.get("version")
            return outcome
        where = who_when(meta)
    else:
        where = "deleted meanwhile"
    outcome.action = Action.CONFLICT
    outcome.detail = f"changed in Grafana while pushing ({where}); Grafana answered 412"
    return outcome


def _last_message(client: GrafanaClient, uid: str) -> str:
    """The save message of the newest version, to tell the user what the other edit was."""
    try:
        versions = client.dashboard_versions(uid, limit=1)
    except GrafanaError:
        return ""
    if versions and versions[0].get("message"):
        return f", message {versions[0]['message']!r}"
    return ""
