"""``FakeGrafana``: start it, point a client at ``.url``, break it on purpose, look inside."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from pfm_dash.fake_grafana import dashboards
from pfm_dash.fake_grafana.faults import Fault, Faults, LoggedRequest
from pfm_dash.fake_grafana.model import Identity, StoredDashboard, StoredFolder, Version
from pfm_dash.fake_grafana.server import Credentials, FakeServer
from pfm_dash.fake_grafana.store import Settings, Store, VersionsShape


class FakeGrafana:
    """A Grafana HTTP API on 127.0.0.1, in threads, for tests and for trying pfm-dash by hand."""

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
        self.faults = Faults()
        self._address = (host, port)
        self._server: FakeServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeGrafana:
        self._server = FakeServer(self._address, self.store, self.credentials, self.faults)
        # A short poll interval: stop() returns in milliseconds, which keeps test suites fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="fake-grafana", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGrafana:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake Grafana is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- credentials -----------------------------------------------------------------------

    def add_token(
        self, token: str, *, login: str = "sa-pfm-dash", read_only: bool = False, org_id: int = 1
    ) -> None:
        """A service-account token, bound to one org; ``read_only`` gets 403 on writes."""
        self.credentials.tokens[token] = Identity(login, read_only, frozenset({org_id}))

    def add_user(self, login: str, password: str, *, orgs: frozenset[int] = frozenset({1})) -> None:
        """A basic-auth user, member of ``orgs`` (selected with ``X-Grafana-Org-Id``)."""
        self.credentials.users[login] = (password, Identity(login, False, orgs))

    # --- fault injection -------------------------------------------------------------------

    def fail_next(
        self,
        count: int,
        status: int = 503,
        *,
        path: str | None = None,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` (and ``Retry-After``)."""
        self.faults.arm(Fault("status", count, path, method, status, retry_after))

    def delay_next(
        self, count: int, seconds: float, *, path: str | None = None, method: str | None = None
    ) -> None:
        """Hold the next ``count`` matching requests for ``seconds`` (read timeouts)."""
        self.faults.arm(Fault("delay", count, path, method, delay=seconds))

    def drop_next(
        self,
        count: int,
        *,
        path: str | None = None,
        method: str | None = None,
        after_apply: bool = False,
    ) -> None:
        """Close the connection instead of answering; ``after_apply`` loses only the answer."""
        self.faults.arm(Fault("drop-after" if after_apply else "drop", count, path, method))

    def before_next(
        self, hook: Callable[[], object], *, path: str | None = None, method: str | None = None
    ) -> None:
        """Run ``hook`` just before the next matching request is handled (to stage races)."""
        self.faults.arm(Fault("hook", 1, path, method, hook=hook))

    def after_next(
        self, hook: Callable[[], object], *, path: str | None = None, method: str | None = None
    ) -> None:
        """Run ``hook`` once the next matching request is handled, before its answer leaves.

        The client then acts on an answer that is already stale: the window between a read and
        the write that follows it, made deterministic.
        """
        self.faults.arm(Fault("after-hook", 1, path, method, hook=hook))

    def set_latency(self, seconds: float) -> None:
        """Add ``seconds`` to every request."""
        self.faults.latency = seconds

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
            stored = dashboards.lookup(org, uid)
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
            return int(dashboards.save(self.store, org, body, user)["version"])

    # --- inspection ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        with self.faults.lock:
            return list(self.faults.log)

    def writes(self) -> list[LoggedRequest]:
        """Requests that could change state (POST, PUT, DELETE)."""
        return [r for r in self.requests if r.is_write]

    def clear(self) -> None:
        """Forget the request log and disarm every fault; the stored objects stay."""
        self.faults.clear()

    def clear_log(self) -> None:
        """Forget the request log only; armed faults stay armed."""
        with self.faults.lock:
            self.faults.log.clear()

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
