"""``FakeGrafana``: start it, point a client at ``.url``, break it on purpose, look inside."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pfm_dash.testing.control import Control
from pfm_dash.testing.fake_grafana import dashboards
from pfm_dash.testing.fake_grafana.control import ui_edit_route
from pfm_dash.testing.fake_grafana.model import Identity, StoredDashboard, StoredFolder, Version
from pfm_dash.testing.fake_grafana.server import Credentials, FakeServer
from pfm_dash.testing.fake_grafana.store import Settings, Store, VersionsShape
from pfm_dash.testing.loopback import LoopbackFake


class FakeGrafana(LoopbackFake):
    """A Grafana HTTP API on 127.0.0.1, in threads, for tests and for trying pfm-dash by hand."""

    name = "fake Grafana"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        version: str = "11.6.0",
        folder_conflict_status: int = 409,
        versions_shape: VersionsShape = "object",
        unique_titles: bool = False,
        search_ignores_page: bool = False,
        admin_password: str | None = "admin",
    ) -> None:
        self.store = Store(
            Settings(
                version,
                folder_conflict_status,
                versions_shape,
                unique_titles,
                search_ignores_page=search_ignores_page,
            )
        )
        self.credentials = Credentials()
        if admin_password is not None:
            self.add_user("admin", admin_password)
        super().__init__(host, port)

    def make_server(self, address: tuple[str, int]) -> FakeServer:
        control = Control(self.faults, [ui_edit_route(self.store)])
        return FakeServer(address, self.store, self.credentials, self.faults, control)

    # --- credentials -----------------------------------------------------------------------

    def add_token(
        self, token: str, *, login: str = "sa-pfm-dash", read_only: bool = False, org_id: int = 1
    ) -> None:
        """A service-account token, bound to one org; ``read_only`` gets 403 on writes."""
        self.credentials.tokens[token] = Identity(login, read_only, frozenset({org_id}))

    def add_user(self, login: str, password: str, *, orgs: frozenset[int] = frozenset({1})) -> None:
        """A basic-auth user, member of ``orgs`` (selected with ``X-Grafana-Org-Id``)."""
        self.credentials.users[login] = (password, Identity(login, False, orgs))

    # --- simulated humans ------------------------------------------------------------------

    def ui_edit(
        self,
        uid: str,
        change: Callable[[dict[str, Any]], None] | None = None,
        *,
        user: str = "alice",
        message: str = "edited in the UI",
        org_id: int = 1,
        folder_uid: str | None = None,
    ) -> int:
        """Save a new version as another user, as the dashboard editor would; returns it."""
        with self.store.lock:
            org = self.store.org(org_id)
            saved = dashboards.ui_edit(
                self.store, org, uid, change, user=user, message=message, folder_uid=folder_uid
            )
        return int(saved["version"])

    # --- inspection (and the request log: LoopbackFake) ----------------------------------

    def dashboard(self, uid: str, org_id: int = 1) -> StoredDashboard | None:
        with self.store.lock:
            return copy.deepcopy(self.store.org(org_id).dashboards.get(uid))

    def folder(self, uid: str, org_id: int = 1) -> StoredFolder | None:
        with self.store.lock:
            return copy.deepcopy(self.store.org(org_id).folders.get(uid))

    def dashboard_uids(self, org_id: int = 1) -> set[str]:
        with self.store.lock:
            return set(self.store.org(org_id).dashboards)

    def history(self, uid: str, org_id: int = 1) -> list[Version]:
        stored = self.dashboard(uid, org_id)
        return stored.history if stored else []
