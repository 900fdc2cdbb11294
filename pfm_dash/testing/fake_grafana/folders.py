"""Folder handlers' logic and search.

Sources (grafana/grafana): routes in pkg/api/folder.go; DTOs in pkg/api/dtos/folder.go; commands
in pkg/services/folder/model.go; error bodies in pkg/api/apierrors/folder.go; search in
pkg/api/search.go with hits from pkg/services/search/model/model.go.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.testing.fake_grafana.model import (
    MAX_FOLDER_DEPTH,
    StoredFolder,
    check_uid,
    error,
    generate_uid,
    now,
)
from pfm_dash.testing.fake_grafana.store import Org, Store


def create(store: Store, org: Org, body: Any, login: str) -> dict[str, Any]:
    """POST /api/folders (pkg/api/folder.go CreateFolder)."""
    if not isinstance(body, dict):
        raise error(400, "bad request data")
    title = str(body.get("title") or "").strip()
    uid = str(body.get("uid") or "").strip()
    parent_uid = str(body.get("parentUid") or "")
    if not title:
        raise error(400, "folder title cannot be empty")
    check_uid(uid)
    if uid and (uid in org.folders or uid in org.dashboards):
        if store.settings.folder_conflict_status == 412:
            # 12.x: Kubernetes AlreadyExists mapped to 412 (pkg/api/apierrors/folder.go).
            raise error(412, "the folder has been changed by someone else", "version-mismatch")
        raise error(409, "a folder/dashboard with the same uid already exists")
    if parent_uid:
        if parent_uid not in org.folders:
            # UNCONFIRMED for create: the read path's not-found body (apierrors/folder.go).
            raise error(404, "folder not found", "not-found")
        if org.folder_depth(parent_uid) >= MAX_FOLDER_DEPTH:
            raise error(400, "Maximum nested folder depth reached")
    stamp = now()
    folder = StoredFolder(
        id=store.next_id(),
        uid=uid or generate_uid(),
        title=title,
        parent_uid=parent_uid,
        description=str(body.get("description") or ""),
        version=1,
        created=stamp,
        created_by=login,
        updated=stamp,
        updated_by=login,
    )
    org.folders[folder.uid] = folder
    return folder.dto()


def lookup(org: Org, uid: str) -> StoredFolder:
    """An unknown uid is 404 ``not-found`` in every version (pkg/api/apierrors/folder.go)."""
    folder = org.folders.get(uid)
    if folder is None:
        raise error(404, "folder not found", "not-found")
    return folder


def update(org: Org, uid: str, body: Any, login: str) -> dict[str, Any]:
    """PUT /api/folders/:uid: a stale ``version`` without overwrite is 412."""
    folder = lookup(org, uid)
    if not isinstance(body, dict):
        raise error(400, "bad request data")
    if not body.get("overwrite") and body.get("version") != folder.version:
        raise error(412, "the folder has been changed by someone else", "version-mismatch")
    if "title" in body:
        title = str(body["title"] or "").strip()
        if not title:
            raise error(400, "folder title cannot be empty")
        folder.title = title
    if "description" in body:
        folder.description = str(body["description"] or "")
    folder.version += 1
    folder.updated, folder.updated_by = now(), login
    return folder.dto()


def delete(org: Org, uid: str) -> dict[str, Any]:
    """DELETE /api/folders/:uid: the folder, its subfolders and their dashboards go."""
    lookup(org, uid)
    doomed = {uid}
    grew = True
    while grew:
        children = {f.uid for f in org.folders.values() if f.parent_uid in doomed}
        grew = not children <= doomed
        doomed |= children
    for folder_uid in doomed:
        del org.folders[folder_uid]
    for dash_uid in [d.uid for d in org.dashboards.values() if d.folder_uid in doomed]:
        del org.dashboards[dash_uid]
    return {"message": "Folder deleted"}


def listing(org: Org, parent_uid: str, limit: int, page: int) -> list[dict[str, Any]]:
    """GET /api/folders: immediate children of ``parentUid`` (the root when empty)."""
    children = sorted(
        (f for f in org.folders.values() if f.parent_uid == parent_uid), key=lambda f: f.title
    )
    out = []
    for f in children[(page - 1) * limit : page * limit]:
        item: dict[str, Any] = {"id": f.id, "uid": f.uid, "title": f.title}
        if f.parent_uid:
            item["parentUid"] = f.parent_uid
        out.append(item)
    return out


def search(
    org: Org, query: dict[str, list[str]], *, ignore_page: bool = False
) -> list[dict[str, Any]]:
    """GET /api/search (pkg/api/search.go): folders first, then by title; paged."""
    if (query.get("folderIds") or query.get("dashboardIds")) and (
        query.get("folderUIDs") or query.get("dashboardUIDs")
    ):
        raise error(400, "search supports UIDs or IDs, not both")
    limit = _int(query, "limit", 1000)
    limit = 1000 if limit < 1 else limit
    if limit > 5000:
        raise error(
            422,
            "Limit is above maximum allowed (5000), use page parameter to access hits beyond limit",
        )
    page = max(1, _int(query, "page", 1))
    if ignore_page:
        page = 1
    kind = (query.get("type") or [""])[0]
    text = (query.get("query") or [""])[0].lower()
    tags = set(query.get("tag") or [])
    folder_uids = set(query.get("folderUIDs") or [])
    dash_uids = set(query.get("dashboardUIDs") or query.get("dashboardUID") or [])
    hits: list[dict[str, Any]] = []
    if kind in ("", "dash-folder") and not tags and not dash_uids:
        for f in org.folders.values():
            if text in f.title.lower() and (not folder_uids or f.parent_uid in folder_uids):
                hits.append(_hit(org, f.id, f.uid, f.title, f.url, "dash-folder", [], f.parent_uid))
    if kind in ("", "dash-db"):
        for d in org.dashboards.values():
            if (
                text in d.title.lower()
                and tags <= set(d.tags)
                and (not folder_uids or d.folder_uid in folder_uids)
                and (not dash_uids or d.uid in dash_uids)
            ):
                hits.append(_hit(org, d.id, d.uid, d.title, d.url, "dash-db", d.tags, d.folder_uid))
    hits.sort(key=lambda h: (h["type"] != "dash-folder", h["title"].lower()))
    return hits[(page - 1) * limit : page * limit]


def _hit(
    org: Org,
    id_: int,
    uid: str,
    title: str,
    url: str,
    kind: str,
    tags: list[str],
    folder_uid: str,
) -> dict[str, Any]:
    """A search hit; the folder* keys are left out at the root (model.go omitempty)."""
    hit: dict[str, Any] = {
        "id": id_,
        "uid": uid,
        "title": title,
        "uri": f"db/{url.rsplit('/', 1)[-1]}",
        "url": url,
        "slug": "",
        "type": kind,
        "tags": tags,
        "isStarred": False,
        "sortMeta": 0,
    }
    folder = org.folders.get(folder_uid)
    if folder is not None:
        hit.update(
            folderId=folder.id, folderUid=folder.uid, folderTitle=folder.title, folderUrl=folder.url
        )
    return hit


def _int(query: dict[str, list[str]], key: str, default: int) -> int:
    try:
        return int((query.get(key) or [str(default)])[0])
    except ValueError:
        return default
