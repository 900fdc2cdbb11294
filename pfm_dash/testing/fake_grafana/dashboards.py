"""Dashboard handlers' logic, following Grafana's save path step by step.

Sources (grafana/grafana): ``PostDashboard``/``postDashboard``, ``GetDashboard``,
``deleteDashboard`` and ``GetDashboardVersions`` in pkg/api/dashboard.go;
``BuildSaveDashboardCommand``/``ValidateDashboardBeforeSave`` in
pkg/services/dashboards/service/dashboard_service.go; ``NewDashboardFromJson`` in
pkg/services/dashboards/models.go; error bodies in pkg/api/apierrors/dashboard.go; versions in the
SQL store pkg/services/dashboards/database/database.go.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pfm_dash.testing.fake_grafana.model import (
    StoredDashboard,
    Version,
    check_uid,
    error,
    generate_uid,
    now,
    slugify,
)
from pfm_dash.testing.fake_grafana.store import Org, Store


def _seconds(duration: str) -> float:
    """Grafana's gtime.ParseDuration for the forms dashboards use (``30s``, ``1m``, ``1h``)."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    number = duration.rstrip("smhdwy")
    unit = duration[len(number) :]
    try:
        return float(number) * units[unit]
    except (ValueError, KeyError):
        return float("inf")  # not a duration Grafana's check reads; it lets it through


def save(store: Store, org: Org, body: Any, login: str) -> dict[str, Any]:
    """POST /api/dashboards/db."""
    if not isinstance(body, dict) or not isinstance(body.get("dashboard"), dict):
        # web.Bind failure in PostDashboard (pkg/api/dashboard.go).
        raise error(400, "bad request data")
    if body.get("isFolder"):
        raise error(400, "Use folders endpoint for saving folders.")
    data = copy.deepcopy(body["dashboard"])
    message = str(body.get("message") or "")
    overwrite = bool(body.get("overwrite"))
    folder_uid = str(body.get("folderUid") or "")

    # NewDashboardFromJson (models.go): title and uid trimmed; version read only with id or uid.
    title = str(data.get("title") or "").strip()
    data["title"] = title
    uid = str(data.get("uid") or "").strip()
    raw_id = data.get("id")
    dash_id = raw_id if isinstance(raw_id, int) and raw_id > 0 else 0
    version = data.get("version") if (dash_id or uid) else 0
    version = version if isinstance(version, int) else 0

    # BuildSaveDashboardCommand order (dashboard_service.go) and apierrors/dashboard.go bodies.
    if not title:
        raise error(400, "Dashboard title cannot be empty", "empty-name")
    if len(title) > 5000:
        raise error(
            400, "Dashboard title cannot contain more than 5 000 characters", "title-too-long"
        )
    if len(message) > 500:
        raise error(400, "message too long, max 500 characters")
    check_uid(uid)
    refresh = data.get("refresh")
    if (
        isinstance(refresh, str)
        and refresh
        and _seconds(refresh) < store.settings.min_refresh_seconds
    ):
        # ErrDashboardRefreshIntervalTooShort (dashboards/errors.go): 400 in apierrors.
        raise error(400, "Dashboard refresh interval is too low")
    if folder_uid and folder_uid not in org.folders:
        # dashboards.ErrFolderNotFound -> 400 in pkg/api/apierrors/dashboard.go.
        raise error(400, "folder not found")

    # ValidateDashboardBeforeSave: match by id, then by uid; the uid is the real key.
    by_id = next((d for d in org.dashboards.values() if d.id == dash_id), None) if dash_id else None
    if dash_id and by_id is None:
        raise error(404, "Dashboard not found", "not-found")
    if by_id is not None and not uid:
        uid = by_id.uid
    if uid in org.folders:
        raise error(400, "Dashboard cannot be changed to a folder")
    by_uid = org.dashboards.get(uid) if uid else None
    if by_id is not None and by_uid is not None and by_id is not by_uid:
        raise error(400, "A dashboard with the same uid already exists")
    existing = by_id or by_uid
    if existing is not None:
        if version != existing.version and not overwrite:
            raise error(412, "The dashboard has been changed by someone else", "version-mismatch")
        if existing.plugin_id and not overwrite:
            raise error(
                412, f"The dashboard belongs to plugin {existing.plugin_id}.", "plugin-dashboard"
            )
        if existing.provisioned:
            raise error(400, "Cannot save provisioned dashboard")
    clash = _same_title(org, title, folder_uid, existing) if store.settings.unique_titles else None
    if clash is not None:
        if not overwrite:
            raise error(
                412, "A dashboard with the same name in the folder already exists", "name-exists"
            )
        # With overwrite, Grafana <= 11.2 takes over the other dashboard: SetID, SetUID and
        # SetVersion from the row found by title, so the save replaces *it*, under its uid.
        existing, uid = clash, clash.uid
    return _store(store, org, data, uid or generate_uid(), folder_uid, existing, login, message)


def _same_title(
    org: Org, title: str, folder_uid: str, existing: StoredDashboard | None
) -> StoredDashboard | None:
    """<= 11.2 only: another dashboard with this title's slug in the folder.

    getExistingDashboardByTitleAndFolder in pkg/services/dashboards/database/database.go
    (removed by PR #90687 in 11.3) matches ``org_id, slug, folder``.
    """
    slug = slugify(title)
    for other in org.dashboards.values():
        if (
            other is not existing
            and other.folder_uid == folder_uid
            and slugify(other.title) == slug
        ):
            return other
    return None


def _store(
    store: Store,
    org: Org,
    data: dict[str, Any],
    uid: str,
    folder_uid: str,
    existing: StoredDashboard | None,
    login: str,
    message: str,
) -> dict[str, Any]:
    """The SQL store's save (database.go): version 1, then previous + 1; a version row each."""
    stamp = now()
    if existing is None:
        dash = StoredDashboard(
            id=store.next_id(),
            uid=uid,
            title=data["title"],
            folder_uid=folder_uid,
            data=data,
            version=1,
            created=stamp,
            created_by=login,
            updated=stamp,
            updated_by=login,
        )
        org.dashboards[uid] = dash
    else:
        dash = existing
        dash.version += 1
        # A different folderUid moves the dashboard; none moves it to the root (section 2.6).
        dash.title, dash.folder_uid, dash.data = data["title"], folder_uid, data
        dash.updated, dash.updated_by = stamp, login
    # SetID/SetUID/SetVersion in models.go: the stored JSON carries them.
    dash.data.update(id=dash.id, uid=dash.uid, version=dash.version)
    dash.history.append(
        Version(
            id=store.next_version_id(),
            version=dash.version,
            parent_version=dash.version - 1,
            created=stamp,
            created_by=login,
            message=message,
            data=copy.deepcopy(dash.data),
        )
    )
    # postDashboard's success body (pkg/api/dashboard.go).
    return {
        "id": dash.id,
        "uid": dash.uid,
        "url": dash.url,
        "status": "success",
        "version": dash.version,
        "slug": slugify(dash.title),
        "folderUid": dash.folder_uid,
    }


def ui_edit(
    store: Store,
    org: Org,
    uid: str,
    change: Callable[[dict[str, Any]], None] | None,
    *,
    user: str,
    message: str,
    folder_uid: str | None = None,
) -> dict[str, Any]:
    """A save from the dashboard editor by ``user``: the live JSON, changed, at its version.

    The editor posts what it loaded with that version and ``overwrite: false``, so the save
    goes through :func:`save` like any other and bumps the version, with ``updatedBy`` the
    user. ``change`` None adds a text panel, the smallest edit anyone can see.
    """
    stored = lookup(org, uid)
    data = copy.deepcopy(stored.data)
    if change is None:
        data.setdefault("panels", []).append(
            {"id": 999, "type": "text", "title": f"Note by {user}"}
        )
    else:
        change(data)
    body = {
        "dashboard": data,
        "folderUid": stored.folder_uid if folder_uid is None else folder_uid,
        "message": message,
        "overwrite": False,
    }
    return save(store, org, body, user)


def lookup(org: Org, uid: str) -> StoredDashboard:
    """getDashboardHelper in pkg/api/dashboard.go: 404 for an unknown uid."""
    dash = org.dashboards.get(uid)
    if dash is None:
        raise error(404, "Dashboard not found")
    return dash


def get(org: Org, uid: str) -> dict[str, Any]:
    """GET /api/dashboards/uid/:uid: ``dashboard`` plus ``meta`` (pkg/api/dtos/dashboard.go)."""
    dash = lookup(org, uid)
    folder = org.folders.get(dash.folder_uid)
    data = copy.deepcopy(dash.data)
    data["version"] = dash.version  # dash.Data.Set("version", dash.Version) in GetDashboard
    meta = {
        "type": "db",
        "canSave": True,
        "canEdit": True,
        "canAdmin": True,
        "canStar": True,
        "canDelete": True,
        "slug": slugify(dash.title),
        "url": dash.url,
        "expires": "0001-01-01T00:00:00Z",
        "created": dash.created,
        "updated": dash.updated,
        "updatedBy": dash.updated_by,
        "createdBy": dash.created_by,
        "version": dash.version,
        "hasAcl": False,
        "isFolder": False,
        "isStarred": False,
        "folderId": folder.id if folder else 0,
        "folderUid": dash.folder_uid,
        "folderTitle": folder.title if folder else "General",
        "folderUrl": folder.url if folder else "",
        "provisioned": dash.provisioned,
        "provisionedExternalId": "",
    }
    return {"dashboard": data, "meta": meta}


def delete(org: Org, uid: str) -> dict[str, Any]:
    """DELETE /api/dashboards/uid/:uid (deleteDashboard in pkg/api/dashboard.go)."""
    if uid in org.folders:
        raise error(400, "Use folders endpoint for deleting folders.")
    dash = lookup(org, uid)
    if dash.provisioned:
        raise error(400, "provisioned dashboard cannot be deleted")
    del org.dashboards[uid]
    return {"title": dash.title, "message": f"Dashboard {dash.title} deleted", "uid": dash.uid}


def versions(store: Store, org: Org, uid: str, limit: int, start: int) -> Any:
    """GET .../versions: newest first; 12.x wraps in an object, 11.x sends a bare array."""
    if not uid:
        raise error(400, "uid is required")
    dash = lookup(org, uid)
    items = []
    for v in sorted(dash.history, key=lambda v: -v.version)[start : start + limit]:
        # The handler rewrites messages; parentVersion == 0 is checked last and wins.
        message = v.message
        if v.restored_from > 0:
            message = f"Restored from version {v.restored_from}"
        if v.restored_from == v.version:
            message = "Initial save (created by migration)"
        if v.parent_version == 0:
            message = "Initial save"
        items.append(
            {
                "id": v.id,
                "dashboardId": dash.id,
                "uid": dash.uid,
                "parentVersion": v.parent_version,
                "restoredFrom": v.restored_from,
                "version": v.version,
                "created": v.created,
                "createdBy": v.created_by,
                "message": message,
                "data": None,
            }
        )
    if store.settings.versions_shape == "array":
        return items
    return {"continueToken": "", "versions": items}
