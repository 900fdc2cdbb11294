"""Ensuring the declared folders exist, parents first, before any dashboard goes in them."""

from __future__ import annotations

import threading

from pfm_dash.client import (
    AlreadyExists,
    AuthError,
    Forbidden,
    GrafanaClient,
    GrafanaError,
    NotFound,
    VersionMismatch,
)
from pfm_dash.push.types import Action, DashboardSpec, FolderSpec, Outcome


def declared_folders(specs: list[DashboardSpec]) -> list[FolderSpec]:
    """Every folder the dashboards need, each once, every parent before its children."""
    ordered: dict[str, FolderSpec] = {}

    def visit(folder: FolderSpec) -> None:
        if folder.parent is not None:
            visit(folder.parent)
        ordered.setdefault(folder.uid, folder)

    for spec in specs:
        if spec.folder is not None:
            visit(spec.folder)
    return list(ordered.values())


def ensure_folders(
    client: GrafanaClient,
    folders: list[FolderSpec],
    *,
    dry_run: bool,
    force: bool,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Create what is missing. A title changed in Grafana is a conflict unless ``force``."""
    outcomes: list[Outcome] = []
    failed: set[str] = set()
    for folder in folders:
        parent = folder.parent.uid if folder.parent is not None else ""
        if stop is not None and stop.is_set():
            outcomes.append(_outcome(folder, Action.SKIPPED, "interrupted before it was read"))
            failed.add(folder.uid)
            continue
        if parent in failed:
            failed.add(folder.uid)
            outcomes.append(_outcome(folder, Action.FAILED, f"parent folder {parent} failed"))
            continue
        try:
            outcome = _ensure_one(client, folder, parent, dry_run=dry_run, force=force)
        except GrafanaError as exc:
            outcome = _outcome(folder, Action.FAILED, exc.outcome)
            outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
        if outcome.action is Action.FAILED:
            failed.add(folder.uid)
        outcomes.append(outcome)
    return outcomes


def _ensure_one(
    client: GrafanaClient, folder: FolderSpec, parent: str, *, dry_run: bool, force: bool
) -> Outcome:
    try:
        live = client.get_folder(folder.uid)
    except NotFound:
        if dry_run:
            return _outcome(folder, Action.CREATE)
        try:
            created = client.create_folder(folder.uid, folder.title, parent or None)
            return _outcome(folder, Action.CREATE, applied=True, version=created.get("version"))
        except (AlreadyExists, VersionMismatch):
            # 409 (11.x) or 412 (12.x): our retried create landed (its answer was lost), or
            # someone created it meanwhile. Exactly as declared, and new: count it as ours.
            live = client.get_folder(folder.uid)
            if _as_declared(live, folder, parent) and live.get("version") == 1:
                return _outcome(folder, Action.CREATE, applied=True, version=1)
    live_parent = str(live.get("parentUid") or "")
    if live_parent != parent:
        # --force never moves a folder, so the line must not suggest it.
        return _outcome(
            folder,
            Action.CONFLICT,
            f"is under {live_parent or 'the root'} in Grafana but declared under "
            f"{parent or 'the root'}; move it in Grafana or change the declaration",
            forceable=False,
        )
    if live.get("title") == folder.title:
        return _outcome(folder, Action.UNCHANGED)
    if not force:
        return _outcome(
            folder,
            Action.CONFLICT,
            f"is titled {live.get('title')!r} in Grafana; --force renames it to {folder.title!r}",
            forceable=False,  # the detail already says what --force does
        )
    if dry_run:
        return _outcome(folder, Action.UPDATE)
    version = live.get("version")
    version = version if isinstance(version, int) else 0
    try:
        updated = client.update_folder(folder.uid, folder.title, version)
    except VersionMismatch:
        # 412: someone saved it meanwhile, or our own rename landed and its answer was lost
        # before the retry. Only the live folder can tell which.
        live = client.get_folder(folder.uid)
        if live.get("title") == folder.title:
            return _outcome(folder, Action.UPDATE, applied=True, version=live.get("version"))
        return _outcome(
            folder,
            Action.CONFLICT,
            "changed in Grafana while we renamed it; run push again",
            forceable=False,
        )
    return _outcome(folder, Action.UPDATE, applied=True, version=updated.get("version"))


def _as_declared(live: dict[str, object], folder: FolderSpec, parent: str) -> bool:
    return live.get("title") == folder.title and str(live.get("parentUid") or "") == parent


def _outcome(
    folder: FolderSpec,
    action: Action,
    detail: str = "",
    *,
    applied: bool = False,
    version: object = None,
    forceable: bool = True,
) -> Outcome:
    return Outcome(
        "folder",
        folder.uid,
        folder.title,
        action,
        applied=applied,
        detail=detail,
        version=version if isinstance(version, int) else None,
        forceable=forceable,
    )
