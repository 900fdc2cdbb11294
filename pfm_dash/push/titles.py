"""Grafana <= 11.2's one-title-per-folder rule: who holds a title, and which servers have it.

getExistingDashboardByTitleAndFolder (pkg/services/dashboards/database/database.go, removed by
PR #90687 in 11.3) looks for another dashboard with the same *slug* in the folder. Without
``overwrite`` the save is refused with 412 ``name-exists``; with it, the saved JSON takes the
other dashboard's id, uid and version, replacing it.
"""

from __future__ import annotations

import re

from pfm_dash.client import GrafanaClient, GrafanaError
from pfm_dash.push.plan import Decision


def slug(title: str) -> str:
    """Close to pkg/infra/slugify: lower-case words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "-"


def unique_titles(version: str) -> bool:
    """Whether Grafana ``version`` keeps titles unique per folder (before 11.3; unknown: yes)."""
    match = re.match(r"(\d+)\.(\d+)", version)
    if match is None:
        return True
    return (int(match[1]), int(match[2])) < (11, 3)


def title_owner(client: GrafanaClient, decision: Decision, uid: str) -> str:
    """The uid of another dashboard in the target folder whose title has our slug, or ''."""
    title = str(decision.desired.get("title") or "")
    try:
        hits = client.search(kind="dash-db", query=title)
    except GrafanaError:
        return ""
    for hit in hits:
        if (
            str(hit.get("folderUid") or "") == decision.folder_uid
            and hit.get("uid") != uid
            and slug(str(hit.get("title") or "")) == slug(title)
        ):
            return str(hit.get("uid"))
    return ""
