"""The HTTP side of the fake ruler: routes and the tenant middleware.

Faults, the request log and the control endpoints are the shared loopback base's
(:mod:`pfm_dash.testing.loopback`).

Routes: grafana/mimir pkg/api/api.go (RegisterRulerAPI, RegisterAlertmanager), matched on the
*escaped* path (``UseEncodedPath``), each segment unescaped once by the handler
(pkg/ruler/api.go). Tenant: dskit middleware/http_auth.go and tenant/tenant.go, then the
tenant-count check of pkg/api/tenant.go.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Callable
from urllib.parse import unquote

from pfm_dash.client.ruler import tenant_problem
from pfm_dash.testing.control import Control
from pfm_dash.testing.fake_ruler import alertmanager, prometheus_api, rules
from pfm_dash.testing.fake_ruler.answer import Answer, envelope, text
from pfm_dash.testing.fake_ruler.store import Store
from pfm_dash.testing.faults import Faults
from pfm_dash.testing.loopback import Handled, LoopbackHandler, LoopbackServer, Request

_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


class Gateway:
    """Credentials checked *in front of* Mimir (an auth proxy): Mimir itself trusts the
    tenant header. Empty: no check, as a bare Mimir."""

    def __init__(self) -> None:
        self.tokens: set[str] = set()
        self.users: dict[str, str] = {}

    def allows(self, header: str) -> bool:
        if not self.tokens and not self.users:
            return True
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            return any(
                secrets.compare_digest(t.encode(), value.strip().encode()) for t in self.tokens
            )
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value.strip()).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            known = self.users.get(user)
            return known is not None and secrets.compare_digest(known.encode(), password.encode())
        return False


class RulerServer(LoopbackServer):
    """The shared loopback server, holding the fake ruler's state."""

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        gateway: Gateway,
        faults: Faults,
        control: Control,
        prefix: str,
    ) -> None:
        super().__init__(address, RulerHandler, faults, control)
        self.store = store
        self.gateway = gateway
        self.prefix = prefix


Route = Callable[[Store, str, list[str], bytes, str], Answer]


def _routes(prefix: str) -> list[tuple[re.Pattern[str], dict[str, Route]]]:
    """(escaped-path pattern, method -> handler). Segments are unescaped before the call."""
    base = re.escape(prefix) + "/config/v1/rules"
    return [
        (re.compile(f"^{base}$"), {"GET": lambda s, t, a, b, o: rules.list_rules(s, t, None)}),
        (
            re.compile(f"^{base}/([^/]+)$"),
            {
                "GET": lambda s, t, a, b, o: rules.list_rules(s, t, a[0]),
                "POST": lambda s, t, a, b, o: rules.create_group(s, t, a[0], b, o),
                "DELETE": lambda s, t, a, b, o: rules.delete_namespace(s, t, a[0], o),
            },
        ),
        (
            re.compile(f"^{base}/([^/]+)/([^/]+)$"),
            {
                "GET": lambda s, t, a, b, o: rules.get_group(s, t, a[0], a[1]),
                "DELETE": lambda s, t, a, b, o: rules.delete_group(s, t, a[0], a[1], o),
            },
        ),
        (
            re.compile(f"^{re.escape(prefix)}/api/v1/rules$"),
            {"GET": lambda s, t, a, b, o: prometheus_api.rules(s, t)},
        ),
        (
            re.compile(f"^{re.escape(prefix)}/api/v1/alerts$"),
            {"GET": lambda s, t, a, b, o: prometheus_api.alerts(s, t)},
        ),
        (
            re.compile(r"^/api/v1/alerts$"),
            {
                "GET": lambda s, t, a, b, o: alertmanager.get_config(s, t),
                "POST": lambda s, t, a, b, o: alertmanager.set_config(s, t, b),
                "DELETE": lambda s, t, a, b, o: alertmanager.delete_config(s, t),
            },
        ),
    ]


class RulerHandler(LoopbackHandler):
    """Mimir's answers: text or the JSON envelope; the tenant names the caller in the log."""

    server: RulerServer

    def fault_caller(self, request: Request) -> str:
        return self.headers.get("X-Scope-OrgID", "")

    def dispatch(self, request: Request) -> Handled:
        tenant = self.headers.get("X-Scope-OrgID", "")
        return Handled(self._answer(request, tenant), tenant)

    def _answer(self, request: Request, tenant: str) -> Answer:
        for pattern, methods in _routes(self.server.prefix):
            match = pattern.match(request.path)
            if match is None:
                continue
            if request.method not in methods:
                return Answer(405)  # gorilla/mux: a known path, another method
            if not self.server.gateway.allows(self.headers.get("Authorization", "")):
                return text(401, "invalid credentials (gateway in front of the ruler)")
            refused = _tenant_refusal(tenant)
            if refused is not None:
                return refused
            segments = list(match.groups())
            for segment in segments:
                bad = _BAD_ESCAPE.search(segment)
                if bad is not None:
                    # url.PathUnescape fails; api.go answers respondServerError.
                    escape = segment[bad.start() : bad.start() + 3]
                    return envelope(500, "server_error", f'invalid URL escape "{escape}"')
            args = [unquote(s) for s in segments]
            override = self.headers.get(rules.OVERRIDE_HEADER, "")
            with self.server.store.lock:
                handler = methods[request.method]
                return handler(self.server.store, tenant, args, request.raw, override)
        return text(404, "404 page not found")  # Go's http.NotFound


def _tenant_refusal(tenant: str) -> Answer | None:
    """dskit's AuthenticateUser (401 ``no org id``), then pkg/api/tenant.go's checks."""
    if not tenant:
        return text(401, "no org id")
    tenants = tenant.split("|")
    if len(tenants) > 1:
        return text(
            422, f"too many tenant IDs present in the request. max: 1 actual: {len(tenants)}"
        )
    problem = tenant_problem(tenant)
    return text(401, problem) if problem else None
