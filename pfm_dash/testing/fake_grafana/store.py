"""The fake's state: organisations holding folders and dashboards, behind one lock."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Literal

from pfm_dash.testing.fake_grafana.model import StoredDashboard, StoredFolder

VersionsShape = Literal["object", "array"]


@dataclass
class Settings:
    """Switches between Grafana releases where their behaviour differs."""

    version: str = "11.6.0"
    # pkg/api/apierrors/folder.go: 11.x answers 409 for a duplicate folder uid; 12.x (Kubernetes
    # AlreadyExists) answers 412.
    folder_conflict_status: int = 409
    # pkg/api/dashboard.go GetDashboardVersions: 12.x answers an object, 11.x a bare array.
    versions_shape: VersionsShape = "object"
    # pkg/services/dashboards/database/database.go before PR #90687 (<= 11.2): titles unique
    # per folder, 412 name-exists. Off models 11.3+.
    unique_titles: bool = False
    # [dashboards] min_refresh_interval (default 5s): a save with a shorter refresh is refused,
    # validateDashboardRefreshInterval in pkg/services/dashboards/service/dashboard_service.go.
    min_refresh_seconds: float = 5.0
    # Not Grafana: a broken proxy or server that answers every page of /api/search with the
    # first one. Clients must still end their paging.
    search_ignores_page: bool = False


@dataclass
class Org:
    """One organisation's objects, keyed by uid as in the SQL store (org_id, uid)."""

    id: int
    name: str
    dashboards: dict[str, StoredDashboard] = field(default_factory=dict)
    folders: dict[str, StoredFolder] = field(default_factory=dict)

    def folder_depth(self, uid: str) -> int:
        """How many folders deep ``uid`` sits (1 at the root)."""
        depth = 0
        while uid:
            depth += 1
            uid = self.folders[uid].parent_uid if uid in self.folders else ""
        return depth


class Store:
    """All organisations. Handlers hold ``lock`` while they read or change anything."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.lock = threading.RLock()
        self.orgs: dict[int, Org] = {1: Org(1, "Main Org.")}
        # Folders and dashboards share one id sequence: in <= 11 folders are rows of the
        # dashboard table (pkg/services/dashboards/database/database.go).
        self._ids = itertools.count(1)
        self._version_ids = itertools.count(1)

    def org(self, org_id: int) -> Org:
        if org_id not in self.orgs:
            self.orgs[org_id] = Org(org_id, f"Org {org_id}")
        return self.orgs[org_id]

    def next_id(self) -> int:
        return next(self._ids)

    def next_version_id(self) -> int:
        return next(self._version_ids)
