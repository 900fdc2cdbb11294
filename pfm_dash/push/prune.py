"""``--prune``: delete what pfm-dash pushed earlier and the source no longer declares.

Only dashboards whose pfm-dash mark names this project, in folders the source uses, are
candidates: another repository pushing into the same folder is never touched. One that was
changed since our push is a conflict, not a deletion (``--force`` deletes it anyway).

Grafana's DELETE carries no version (deleteDashboard in pkg/api/dashboard.go), so an edit made
between our read and our DELETE would be lost. Prune decides on a first read, then re-reads each
doomed dashboard immediately before its DELETE and keeps it if its version moved; what remains
is the round trip between that re-read and the DELETE (docs/push.md).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pfm_dash.client import AuthError, Forbidden, GrafanaClient, GrafanaError, NotFound
from pfm_dash.push.normalise import normalise, read_mark, read_owner, state_hash
from pfm_dash.push.plan import who_when
from pfm_dash.push.types import Action, DashboardSpec, Outcome

PAGE_SIZE = 1000


def prune(
    client: GrafanaClient,
    specs: list[DashboardSpec],
    *,
    dry_run: bool,
    force: bool,
    concurrency: int,
    project: str,
    stop: threading.Event | None = None,
    page_size: int = PAGE_SIZE,
) -> list[Outcome]:
    stop = stop or threading.Event()
    declared = {s.uid for s in specs}
    managed = {s.folder.uid if s.folder is not None else "" for s in specs}
    if not managed:
        return []
    # Whether folderUIDs can select the root is unconfirmed (pkg/api/search.go): search all then.
    folder_uids = None if "" in managed else sorted(managed)
    hits = client.search(kind="dash-db", folder_uids=folder_uids, limit=page_size)
    outcomes: list[Outcome] = []
    if not hits.complete:
        outcomes.append(
            Outcome(
                "dashboard",
                "*",
                "prune",
                Action.FAILED,
                detail=f"{hits.note}; only those were considered for pruning",
            )
        )
    candidates = [
        h for h in hits if str(h.get("folderUid") or "") in managed and h.get("uid") not in declared
    ]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        decided = list(
            pool.map(lambda h: _decide(client, h, project, dry_run, force, stop), candidates)
        )
        doomed = [d for d in decided if d is not None and d[0].action is Action.DELETE]
        if not dry_run:
            list(pool.map(lambda d: _delete(client, d[0], d[1], stop), doomed))
    return outcomes + [d[0] for d in decided if d is not None]


def _decide(
    client: GrafanaClient,
    hit: dict[str, Any],
    project: str,
    dry_run: bool,
    force: bool,
    stop: threading.Event,
) -> tuple[Outcome, int | None] | None:
    """The outcome planned for one candidate and the version it was decided on; None: not ours."""
    uid = str(hit.get("uid"))
    outcome = Outcome("dashboard", uid, str(hit.get("title", "")), Action.DELETE)
    outcome.folder_uid = str(hit.get("folderUid") or "")
    if stop.is_set():
        outcome.action, outcome.detail = Action.SKIPPED, "interrupted before it was read"
        return outcome, None
    try:
        live = client.get_dashboard(uid)
    except NotFound:
        # Deleted since the search: the goal is met.
        outcome.applied, outcome.detail = True, "already gone from Grafana"
        return outcome, None
    except GrafanaError as exc:
        return _failed(outcome, exc), None
    dashboard = dict(live.get("dashboard") or {})
    meta = dict(live.get("meta") or {})
    mark = read_mark(dashboard)
    if mark is None or read_owner(dashboard) != project:
        return None  # not ours: never touched
    live_hash = state_hash(normalise(dashboard), str(meta.get("folderUid") or ""))
    if live_hash != mark and not force:
        outcome.action = Action.CONFLICT
        outcome.detail = f"no longer declared but changed since pushed ({who_when(meta)}); kept"
        return outcome, None
    version = meta.get("version")
    return outcome, version if isinstance(version, int) else None


def _delete(
    client: GrafanaClient, outcome: Outcome, version: int | None, stop: threading.Event
) -> None:
    """Re-read the version, then DELETE only if nobody saved since the decision."""
    if outcome.applied:
        return  # already gone
    if stop.is_set():
        outcome.action, outcome.detail = Action.SKIPPED, "interrupted before its delete"
        return
    try:
        live = client.get_dashboard(outcome.uid)
    except NotFound:
        outcome.applied, outcome.detail = True, "already gone from Grafana"
        return
    except GrafanaError as exc:
        _failed(outcome, exc)
        return
    meta = dict(live.get("meta") or {})
    if meta.get("version") != version:
        outcome.action = Action.CONFLICT
        outcome.forceable = False
        outcome.detail = f"changed in Grafana while pruning ({who_when(meta)}); kept"
        return
    try:
        client.delete_dashboard(outcome.uid)
    except NotFound:
        pass  # deleted meanwhile: the goal is met
    except GrafanaError as exc:
        _failed(outcome, exc)
        return
    outcome.applied = True


def _failed(outcome: Outcome, exc: GrafanaError) -> Outcome:
    outcome.action = Action.FAILED
    outcome.detail = exc.outcome
    outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
    return outcome
