"""``FakeRuler``: start it, point a client at ``.url``, break it on purpose, look inside."""

from __future__ import annotations

import copy
from typing import Any

from pfm_dash.testing.control import Control
from pfm_dash.testing.fake_ruler.server import Gateway, RulerServer
from pfm_dash.testing.fake_ruler.store import Limits, Store
from pfm_dash.testing.loopback import LoopbackFake


class FakeRuler(LoopbackFake):
    """Mimir's ruler config API and Alertmanager config API on 127.0.0.1, in threads."""

    name = "fake ruler"

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
        self.prefix = prefix
        super().__init__(host, port)

    def make_server(self, address: tuple[str, int]) -> RulerServer:
        control = Control(self.faults)
        return RulerServer(address, self.store, self.gateway, self.faults, control, self.prefix)

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

    # --- inspection (and the request log and faults: LoopbackFake) ------------------------

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
