"""The HTTP side of the fake Grafana: routing, authentication, JSON in and out.

Faults, the request log and the control endpoints are the shared loopback base's
(:mod:`pfm_dash.testing.loopback`).

Authentication follows pkg/middleware/auth.go and pkg/services/contexthandler/contexthandler.go
(Bearer service-account tokens, Basic users, ``X-Grafana-Org-Id``); the 403 body follows the
access-control middleware (pkg/services/accesscontrol/middleware.go); JSON error bodies follow
pkg/api/response/response.go.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pfm_dash.testing.control import Control
from pfm_dash.testing.fake_grafana import dashboards, folders, frontend
from pfm_dash.testing.fake_grafana.model import ApiError, Identity, error
from pfm_dash.testing.fake_grafana.store import Org, Store
from pfm_dash.testing.faults import Faults
from pfm_dash.testing.loopback import (
    Answer,
    Handled,
    LoopbackHandler,
    LoopbackServer,
    Request,
    json_answer,
)

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
    url: str  # the server's own root URL, as Grafana's root_url

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
        re.compile(r"^/api/frontend/settings/?$"),
        "",
        lambda c: frontend.settings(c.store.settings.version, c.url),
    ),
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


class FakeServer(LoopbackServer):
    """The shared loopback server, holding the fake Grafana's state."""

    def __init__(
        self,
        address: tuple[str, int],
        store: Store,
        credentials: Credentials,
        faults: Faults,
        control: Control,
    ) -> None:
        super().__init__(address, RequestHandler, faults, control)
        self.store = store
        self.credentials = credentials


class RequestHandler(LoopbackHandler):
    """Grafana's answers: JSON bodies, a login per request in the log."""

    server: FakeServer

    def do_HEAD(self) -> None:
        self._handle()

    def injected(self, status: int) -> Answer:
        return json_answer(status, {"message": "injected fault"})

    def logged_body(self, request: Request) -> Any:
        return request.json()

    def dispatch(self, request: Request) -> Handled:
        """Route, authenticate and run a request."""
        store = self.server.store
        path = request.path
        if path == "/healthz" and request.method in ("GET", "HEAD"):
            return Handled(frontend.HEALTHZ)  # healthzHandler: before any authentication
        if path == "/api/health" and request.method in ("GET", "HEAD"):
            # apiHealthHandler in pkg/api/http_server.go: no authentication.
            version = store.settings.version
            health = {"commit": frontend.COMMIT, "database": "ok", "version": version}
            return Handled(json_answer(200, health, pretty=True))
        who = self.server.credentials.identify(self.headers.get("Authorization", ""))
        if who is None:
            # pkg/middleware/auth.go: no or bad credentials.
            return Handled(json_answer(401, {"message": "Unauthorized"}))
        org_id = min(who.orgs, default=1)
        header = self.headers.get("X-Grafana-Org-Id")
        if header:
            # contexthandler.go: a user picks one of their orgs. The answer to a foreign org is
            # UNCONFIRMED in the reference; the fake denies it.
            if not header.isdigit() or int(header) not in who.orgs:
                return Handled(json_answer(403, {"message": "Access denied to org"}), who.login)
            org_id = int(header)
        status, body = self._route(request, who, org_id)
        return Handled(json_answer(status, body), who.login, org_id)

    def _route(self, request: Request, who: Identity, org_id: int) -> tuple[int, Any]:
        store = self.server.store
        body = request.json()
        for method, pattern, action, handler in ROUTES:
            match = pattern.match(request.path)
            if match is None or method != request.method:
                continue
            if action and who.read_only:
                # The RBAC middleware's denial (pkg/services/accesscontrol/middleware.go).
                return 403, _access_denied(action)
            if request.raw and isinstance(body, str):
                return 400, {"message": "bad request data", "traceID": ""}
            with store.lock:
                org = store.org(org_id)
                call = Call(store, org, who, match.groupdict(), request.query, body, self._url())
                try:
                    return 200, handler(call)
                except ApiError as exc:
                    return exc.status, exc.body
        return 404, error(404, "Not found").body

    def _url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"


def _access_denied(action: str) -> dict[str, Any]:
    return {
        "title": "Access denied",
        "message": "You'll need additional permissions to perform this action. "
        f"Permissions needed: {action}",
        "accessErrorId": "ACE" + "".join(secrets.choice("0123456789") for _ in range(10)),
    }
