"""The HTTP side of the fake ruler: routes, the tenant middleware, faults, the request log.

Routes: grafana/mimir pkg/api/api.go (RegisterRulerAPI, RegisterAlertmanager), matched on the
*escaped* path (``UseEncodedPath``), each segment unescaped once by the handler
(pkg/ruler/api.go). Tenant: dskit middleware/http_auth.go and tenant/tenant.go, then the
tenant-count check of pkg/api/tenant.go.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import secrets
import socket
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from pfm_dash.client.ruler import tenant_problem
from pfm_dash.fake_grafana.faults import Faults, LoggedRequest
from pfm_dash.fake_ruler import alertmanager, prometheus_api, rules
from pfm_dash.fake_ruler.answer import Answer, envelope, text
from pfm_dash.fake_ruler.store import Store

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


class RulerServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], store: Store, gateway: Gateway, faults: Faults, prefix: str
    ) -> None:
        super().__init__(address, RulerHandler)
        self.store = store
        self.gateway = gateway
        self.faults = faults
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


class RulerHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RulerServer
    timeout = 30

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        tenant = self.headers.get("X-Scope-OrgID", "")
        faults = {f.kind: f for f in self.server.faults.take(self.command, path)}
        if "hook" in faults and faults["hook"].hook is not None:
            faults["hook"].hook()
        pause = self.server.faults.latency + (faults["delay"].delay if "delay" in faults else 0)
        if pause:
            time.sleep(pause)
        body = raw.decode("utf-8", "replace")

        def entry(status: int, fault: str = "") -> LoggedRequest:
            return LoggedRequest(self.command, path, {}, body, tenant, 0, status, fault)

        if "drop" in faults:
            self._log(entry(0, "drop"))
            self._drop()
            return
        if "status" in faults:
            fault = faults["status"]
            answer = text(fault.status, "injected fault")
            if fault.retry_after:
                answer.headers["Retry-After"] = fault.retry_after
            self._log(entry(fault.status))
            self._send(answer)
            return
        answer = self._dispatch(path, tenant, raw)
        if "after-hook" in faults and faults["after-hook"].hook is not None:
            faults["after-hook"].hook()
        if "drop-after" in faults:
            self._log(entry(0, "drop-after"))
            self._drop()
            return
        self._log(entry(answer.status))
        self._send(answer)

    def _dispatch(self, path: str, tenant: str, raw: bytes) -> Answer:
        for pattern, methods in _routes(self.server.prefix):
            match = pattern.match(path)
            if match is None:
                continue
            if self.command not in methods:
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
                return methods[self.command](self.server.store, tenant, args, raw, override)
        return text(404, "404 page not found")  # Go's http.NotFound

    def _log(self, entry: LoggedRequest) -> None:
        self.server.faults.record(entry)

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


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
