"""``FakeRuler``: start it, point a client at ``.url``, break it on purpose, look inside."""

from __future__ import annotations

import copy
import threading
from types import TracebackType
from typing import Any

from pfm_dash.fake_grafana.faults import Fault, Faults, LoggedRequest
from pfm_dash.fake_ruler.server import Gateway, RulerServer
from pfm_dash.fake_ruler.store import Limits, Store


class FakeRuler:
    """Mimir's ruler config API and Alertmanager config API on 127.0.0.1, in threads."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        prefix: str = "/prometheus",
        limits: Limits | None = None,
    ) -> None:
        self.store = Store(limits or Limits())
        self.gateway = Gateway()
        self.faults = Faults()
        self.prefix = prefix
        self._address = (host, port)
        self._server: RulerServer | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeRuler:
        self._server = RulerServer(
            self._address, self.store, self.gateway, self.faults, self.prefix
        )
        threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="fake-ruler", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeRuler:
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
            raise RuntimeError("the fake ruler is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- configuration ---------------------------------------------------------------------

    @property
    def empty_list_404(self) -> bool:
        """Answer an empty list as older Mimir and Cortex do: 404 ``no rule groups found``."""
        return self.store.empty_list_404

    @empty_list_404.setter
    def empty_list_404(self, value: bool) -> None:
        self.store.empty_list_404 = value

    def add_token(self, token: str) -> None:
        """Require credentials (as a gateway in front of Mimir would); accept this bearer."""
        self.gateway.tokens.add(token)

    def add_user(self, user: str, password: str) -> None:
        self.gateway.users[user] = password

    def set_limits(self, tenant: str | None = None, **changes: Any) -> None:
        """Change the default limits, or one tenant's overrides (``max_groups_per_tenant=5``)."""
        with self.store.lock:
            base = self.store.limits_for(tenant) if tenant else self.store.limits
            updated = Limits(**{**base.__dict__, **changes})
            if tenant:
                self.store.tenant_limits[tenant] = updated
            else:
                self.store.limits = updated

    # --- fault injection (the same knobs as the fake Grafana) ------------------------------

    def fail_next(
        self,
        count: int,
        status: int = 503,
        *,
        path: str | None = None,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        self.faults.arm(Fault("status", count, path, method, status, retry_after))

    def delay_next(
        self, count: int, seconds: float, *, path: str | None = None, method: str | None = None
    ) -> None:
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

    def set_latency(self, seconds: float) -> None:
        """Add ``seconds`` to every request."""
        self.faults.latency = seconds

    # --- inspection ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        with self.faults.lock:
            return list(self.faults.log)

    def writes(self) -> list[LoggedRequest]:
        return [r for r in self.requests if r.is_write]

    def clear_log(self) -> None:
        with self.faults.lock:
            self.faults.log.clear()

    def groups(self, tenant: str, namespace: str) -> dict[str, dict[str, Any]]:
        """The stored groups of a namespace, by name (as GET would return them)."""
        with self.store.lock:
            return copy.deepcopy(self.store.tenant(tenant).rules.get(namespace, {}))

    def namespaces(self, tenant: str) -> list[str]:
        with self.store.lock:
            return sorted(self.store.tenant(tenant).rules)

    def alertmanager_config(self, tenant: str) -> dict[str, Any] | None:
        with self.store.lock:
            return copy.deepcopy(self.store.tenant(tenant).alertmanager)
