"""``--prune``: delete what pfm-dash pushed earlier and the source no longer declares.

Only dashboards whose pfm-dash mark names this project, in folders the source uses, are
candidates: another repository pushing into the same folder is never touched. One that was
changed since our push is a conflict, not a deletion (``--force`` deletes it anyway).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pfm_dash.client import AuthError, Forbidden, GrafanaClient, GrafanaError, NotFound
from pfm_dash.push.normalise import normalise, read_mark, read_owner, state_hash
from pfm_dash.push.plan import who_when
from pfm_dash.push.types import Action, DashboardSpec, Outcome


def prune(
    client: GrafanaClient,
    specs: list[DashboardSpec],
    *,
    dry_run: bool,
    force: bool,
    concurrency: int,
    project: str,
) -> list[Outcome]:
    declared = {s.uid for s in specs}
    managed = {s.folder.uid if s.folder is not None else "" for s in specs}
    if not managed:
        return []
    # Whether folderUIDs can select the root is unconfirmed (pkg/api/search.go): search all then.
    folder_uids = None if "" in managed else sorted(managed)
    hits = client.search(kind="dash-db", folder_uids=folder_uids)
    candidates = [
        h for h in hits if str(h.get("folderUid") or "") in managed and h.get("uid") not in declared
    ]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = list(
            pool.map(lambda h: _prune_one(client, h, project, dry_run, force), candidates)
        )
    return [r for r in results if r is not None]


def _prune_one(
    client: GrafanaClient, hit: dict[str, Any], project: str, dry_run: bool, force: bool
) -> Outcome | None:
    uid = str(hit.get("uid"))
    outcome = Outcome("dashboard", uid, str(hit.get("title", "")), Action.DELETE)
    outcome.folder_uid = str(hit.get("folderUid") or "")
    try:
        live = client.get_dashboard(uid)
        dashboard = dict(live.get("dashboard") or {})
        meta = dict(live.get("meta") or {})
        mark = read_mark(dashboard)
        if mark is None or read_owner(dashboard) != project:
            return None  # not ours: never touched
        live_hash = state_hash(normalise(dashboard), str(meta.get("folderUid") or ""))
        if live_hash != mark and not force:
            outcome.action = Action.CONFLICT
            outcome.detail = f"no longer declared but changed since pushed ({who_when(meta)}); kept"
            return outcome
        if not dry_run:
            with contextlib.suppress(NotFound):  # already gone: the goal is met
                client.delete_dashboard(uid)
            outcome.applied = True
    except GrafanaError as exc:
        outcome.action = Action.FAILED
        outcome.detail = exc.message
        outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
    return outcome
