"""Pushing one dashboard: read the live one, decide, save with its version, settle a 412.

Only a save the user forced over a reported conflict sends ``overwrite: true``; every other save
carries the version it read, so Grafana refuses it (412) if anyone saved in between.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pfm_dash.client import (
    AuthError,
    Forbidden,
    GrafanaClient,
    GrafanaError,
    NameExists,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    VersionMismatch,
)
from pfm_dash.push.normalise import normalise, read_mark, state_hash, unified_diff, with_mark
from pfm_dash.push.plan import Decision, classify, who_when
from pfm_dash.push.titles import title_owner
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
    # Grafana <= 11.2 keeps titles unique per folder, and ``overwrite`` takes over the other.
    unique_titles: bool = True
    # Set on Ctrl-C: no new request starts.
    stop: threading.Event = field(default_factory=threading.Event)


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
        outcome.detail = exc.outcome if exc.status is not None else str(exc)
        outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
        return outcome


def skipped(outcome: Outcome, detail: str = "interrupted before it was sent") -> Outcome:
    outcome.action = Action.SKIPPED
    outcome.applied = False
    outcome.detail = detail
    return outcome


def _push(ctx: ApplyContext, spec: DashboardSpec, outcome: Outcome) -> Outcome:
    if ctx.stop.is_set():
        return skipped(outcome)
    live = _get(ctx.client, spec.uid)
    decision = classify(spec, live, force=ctx.force, project=ctx.project)
    outcome.action = decision.action
    outcome.detail = decision.reason
    outcome.version = decision.live_version
    if ctx.diff and decision.action in (Action.CREATE, Action.UPDATE, Action.CONFLICT):
        outcome.diff = unified_diff(decision.live, decision.desired, f"{spec.uid}.json")
    if decision.action is Action.CONFLICT and not ctx.stop.is_set():
        outcome.detail += _last_message(ctx.client, spec.uid)
    if ctx.dry_run or decision.action not in (Action.CREATE, Action.UPDATE):
        return outcome
    if ctx.stop.is_set():
        return skipped(outcome, f"interrupted before its save (would {decision.action})")
    body = with_mark(decision.desired, decision.desired_hash, ctx.project)
    if decision.live_version is not None:
        body["version"] = decision.live_version
    if decision.forced:
        return _forced_save(ctx, spec, decision, body, outcome)
    return _save(ctx, decision, body, outcome)


def _save(ctx: ApplyContext, decision: Decision, body: dict[str, Any], outcome: Outcome) -> Outcome:
    """A version-checked save (``overwrite: false``): safe to retry, a 412 is settled."""
    try:
        saved = ctx.client.save_dashboard(
            body, decision.folder_uid, overwrite=False, message=ctx.message
        )
    except VersionMismatch:
        return _settle_mismatch(ctx, decision, outcome)
    except NameExists:
        return _clash(ctx, decision, outcome, title_owner(ctx.client, decision, outcome.uid))
    return _applied(outcome, saved.get("version"))


def _forced_save(
    ctx: ApplyContext,
    spec: DashboardSpec,
    decision: Decision,
    body: dict[str, Any],
    outcome: Outcome,
) -> Outcome:
    """``overwrite: true``, sent once; a retry first re-reads, then goes version-checked.

    A repeated forced save could land late and erase an edit made after the first one landed,
    so the client does not repeat it (only a connect error, when nothing was sent, is retried).
    """
    if ctx.unique_titles:
        # On Grafana <= 11.2, overwrite would replace the other dashboard with this title.
        clash = title_owner(ctx.client, decision, spec.uid)
        if clash:
            return _clash(ctx, decision, outcome, clash)
    try:
        saved = ctx.client.save_dashboard(
            body, decision.folder_uid, overwrite=True, message=ctx.message, repeat=False
        )
    except (TransportError, ServerError, RateLimited):
        live = _get(ctx.client, spec.uid)
        if live is not None and _is_ours(live, decision):
            return _applied(outcome, dict(live.get("meta") or {}).get("version"))
        meta = dict(live.get("meta") or {}) if live is not None else {}
        version = meta.get("version")
        if live is None or version != decision.live_version:
            outcome.action = Action.CONFLICT
            outcome.forceable = False
            where = who_when(meta) if live is not None else "deleted meanwhile"
            outcome.detail = (
                f"changed in Grafana again while the forced save was retried ({where}); "
                "not overwritten: run push again to see it"
            )
            return outcome
        return _save(ctx, decision, body, outcome)
    return _applied(outcome, saved.get("version"))


def _applied(outcome: Outcome, version: object) -> Outcome:
    outcome.applied = True
    outcome.version = version if isinstance(version, int) else None
    return outcome


def _clash(ctx: ApplyContext, decision: Decision, outcome: Outcome, other: str) -> Outcome:
    """Grafana <= 11.2: the title is taken in the folder. Not an edit; --force would not help."""
    outcome.action = Action.CONFLICT
    outcome.applied = False
    outcome.forceable = False
    folder = decision.folder_uid or "the root"
    owner = f"dashboard {other!r}" if other else "another dashboard"
    outcome.detail = (
        f"title {decision.desired.get('title')!r} is already used in folder {folder} by "
        f"{owner} (this Grafana keeps titles unique per folder); rename one of them"
    )
    return outcome


def _get(client: GrafanaClient, uid: str) -> dict[str, Any] | None:
    try:
        return client.get_dashboard(uid)
    except NotFound:
        return None


def _is_ours(live: dict[str, Any], decision: Decision) -> bool:
    """The live dashboard is exactly what we meant to save, with our mark."""
    dashboard = dict(live.get("dashboard") or {})
    meta = dict(live.get("meta") or {})
    live_hash = state_hash(normalise(dashboard), str(meta.get("folderUid") or ""))
    return live_hash == decision.desired_hash and read_mark(dashboard) == live_hash


def _settle_mismatch(ctx: ApplyContext, decision: Decision, outcome: Outcome) -> Outcome:
    """Grafana's 412: either our own retried save already landed, or someone saved in between.

    Never retried: the live dashboard is read again and, unless it is exactly ours, reported as
    a conflict.
    """
    live = _get(ctx.client, outcome.uid)
    if live is not None:
        if _is_ours(live, decision):
            return _applied(outcome, dict(live.get("meta") or {}).get("version"))
        where = who_when(dict(live.get("meta") or {}))
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
