"""The HTTP side of the fake: routing, authentication, faults, JSON in and out.

Authentication follows pkg/middleware/auth.go and pkg/services/contexthandler/contexthandler.go
(Bearer service-account tokens, Basic users, ``X-Grafana-Org-Id``); the 403 body follows the
access-control middleware (pkg/services/accesscontrol/middleware.go); JSON error bodies follow
pkg/api/response/response.go.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pfm_dash.fake_grafana import dashboards, folders
from pfm_dash.fake_grafana.faults import Faults, LoggedRequest
from pfm_dash.fake_grafana.model import ApiError, Identity, error
from pfm_dash.fake_grafana.store import Org, Store

Handler = Callable[["Call"], Any]


@dataclass
class Call:
    """One authenticated request, as route handlers see it."""

    store: Store
    org: Org
    who: Identity
    params: dict[str, str]
    query: dict[str, list[str]]
    body: Any

    def int_arg(self, key: str, default: int) -> int:
        try:
            return int((self.query.get(key) or [str(default)])[0])
        except ValueError:
            return default


def _org_details(c: Call) -> Any:
    # GET /api/org: OrgDetailsDTO (pkg/services/org/model.go).
    empty = dict.fromkeys(("address1", "address2", "city", "zipCode", "state", "country"), "")
    return {"id": c.org.id, "name": c.org.name, "address": empty}


# (method, path pattern, RBAC action needed by a write, handler). Routes: pkg/api/api.go.
ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = [
    ("GET", re.compile(r"^/api/org$"), "", _org_details),
    (
        "GET",
        re.compile(r"^/api/folders$"),
        "",
        lambda c: folders.listing(
            c.org,
            (c.query.get("parentUid") or [""])[0],
            max(1, c.int_arg("limit", 1000)),
            max(1, c.int_arg("page", 1)),
        ),
    ),
    (
        "POST",
        re.compile(r"^/api/folders$"),
        "folders:create",
        lambda c: folders.create(c.store, c.org, c.body, c.who.login),
    ),
    ("GET", re.compile(r"^/api/folders/(?P<uid>[^/]+)$"), "", lambda c: _folder_dto(c)),
    (
        "PUT",
        re.compile(r"^/api/folders/(?P<uid>[^/]+)$"),
        "folders:write",
        lambda c: folders.update(c.org, c.params["uid"], c.body, c.who.login),
    ),
    (
        "DELETE",
        re.compile(r"^/api/folders/(?P<uid>[^/]+)$"),
        "folders:delete",
        lambda c: folders.delete(c.org, c.params["uid"]),
    ),
    (
        "POST",
        re.compile(r"^/api/dashboards/db/?$"),
        "dashboards:write",
        lambda c: dashboards.save(c.store, c.org, c.body, c.who.login),
    ),
    (
        "GET",
        re.compile(r"^/api/dashboards/uid/(?P<uid>[^/]*)/versions$"),
        "",
        lambda c: dashboards.versions(
            c.store,
            c.org,
            c.params["uid"],
            max(1, c.int_arg("limit", 1000)),
            max(0, c.int_arg("start", 0)),
        ),
    ),
    (
        "GET",
        re.compile(r"^/api/dashboards/uid/(?P<uid>[^/]+)$"),
        "",
        lambda c: dashboards.get(c.org, c.params["uid"]),
    ),
    (
        "DELETE",
        re.compile(r"^/api/dashboards/uid/(?P<uid>[^/]+)$"),
        "dashboards:delete",
        lambda c: dashboards.delete(c.org, c.params["uid"]),
    ),
    (
        "GET",
        re.compile(r"^/api/search$"),
        "",
        lambda c: folders.search(c.org, c.query, ignore_page=c.store.settings.search_ignores_page),
    ),
]


def _folder_dto(c: Call) -> Any:
    return folders.lookup(c.org, c.params["uid"]).dto()


class Credentials:
    """Tokens and users the fake accepts; looked up, never logged."""

    def __init__(self) -> None:
        self.tokens: dict[str, Identity] = {}
        self.users: dict[str, tuple[str, Identity]] = {}

    def identify(self, header: str) -> Identity | None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            for token, who in self.tokens.items():
                if secrets.compare_digest(token.encode(), value.strip().encode()):
                    return who
        elif scheme.lower() == "basic":
            try:
                login, _, password = base64.b64decode(value.strip()).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None
            known = self.users.get(login)
            if known and secrets.compare_digest(known[0].encode(), password.encode()):
                return known[1]
        return None


class FakeServer(ThreadingHTTPServer):
    """A threaded server whose handler threads never keep the process alive."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], store: Store, credentials: Credentials, faults: Faults
    ) -> None:
        super().__init__(address, RequestHandler)
        self.store = store
        self.credentials = credentials
        self.faults = faults


class RequestHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests (HTTP/1.1 keep-alive, so clients can pool)."""

    protocol_version = "HTTP/1.1"
    server: FakeServer
    timeout = 30

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, and it holds no credentials."""

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        faults = {f.kind: f for f in self.server.faults.take(self.command, path)}
        if "hook" in faults and faults["hook"].hook is not None:
            faults["hook"].hook()
        pause = self.server.faults.latency + (faults["delay"].delay if "delay" in faults else 0)
        if pause:
            time.sleep(pause)
        entry = {"method": self.command, "path": path, "query": query, "body": body}
        # Each request is logged before its answer leaves, so a client that has its answer
        # always finds the request in the log.
        if "drop" in faults:
            self._log(LoggedRequest(**entry, caller="", org_id=0, status=0, fault="drop"))
            self._drop()
            return
        if "status" in faults:
            fault = faults["status"]
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._log(
                LoggedRequest(**entry, caller="", org_id=0, status=fault.status, fault="status")
            )
            self._send(fault.status, {"message": "injected fault"}, headers)
            return
        status, answer, caller, org_id = self._dispatch(path, query, body, raw)
        if "after-hook" in faults and faults["after-hook"].hook is not None:
            # The request is done, its answer not yet sent: a colleague acts in between.
            faults["after-hook"].hook()
        if "drop-after" in faults:
            self._log(
                LoggedRequest(**entry, caller=caller, org_id=org_id, status=0, fault="drop-after")
            )
            self._drop()
            return
        self._log(LoggedRequest(**entry, caller=caller, org_id=org_id, status=status))
        self._send(status, answer, {}, pretty=path == "/api/health")

    def _log(self, entry: LoggedRequest) -> None:
        self.server.faults.record(entry)

    def _dispatch(
        self, path: str, query: dict[str, list[str]], body: Any, raw: bytes
    ) -> tuple[int, Any, str, int]:
        """Route, authenticate and run a request: (status, body, caller login, org id)."""
        store = self.server.store
        if path == "/api/health" and self.command in ("GET", "HEAD"):
            # apiHealthHandler in pkg/api/http_server.go: no authentication.
            version = store.settings.version
            return 200, {"commit": "fake", "database": "ok", "version": version}, "", 0
        who = self.server.credentials.identify(self.headers.get("Authorization", ""))
        if who is None:
            # pkg/middleware/auth.go: no or bad credentials.
            return 401, {"message": "Unauthorized"}, "", 0
        org_id = min(who.orgs, default=1)
        header = self.headers.get("X-Grafana-Org-Id")
        if header:
            # contexthandler.go: a user picks one of their orgs. The answer to a foreign org is
            # UNCONFIRMED in the reference; the fake denies it.
            if not header.isdigit() or int(header) not in who.orgs:
                return 403, {"message": "Access denied to org"}, who.login, 0
            org_id = int(header)
        for method, pattern, action, handler in ROUTES:
            match = pattern.match(path)
            if match is None or method != self.command:
                continue
            if action and who.read_only:
                # The RBAC middleware's denial (pkg/services/accesscontrol/middleware.go).
                return 403, _access_denied(action), who.login, org_id
            if raw and isinstance(body, str):
                return 400, {"message": "bad request data", "traceID": ""}, who.login, org_id
            with store.lock:
                call = Call(store, store.org(org_id), who, match.groupdict(), query, body)
                try:
                    return 200, handler(call), who.login, org_id
                except ApiError as exc:
                    return exc.status, exc.body, who.login, org_id
        return 404, error(404, "Not found").body, who.login, org_id

    def _send(
        self, status: int, body: Any, headers: dict[str, str], *, pretty: bool = False
    ) -> None:
        data = json.dumps(body, indent=2 if pretty else None).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _drop(self) -> None:
        """Close the socket with no answer: the client sees the connection die mid-request."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _access_denied(action: str) -> dict[str, Any]:
    return {
        "title": "Access denied",
        "message": "You'll need additional permissions to perform this action. "
        f"Permissions needed: {action}",
        "accessErrorId": "ACE" + "".join(secrets.choice("0123456789") for _ in range(10)),
    }
