"""``GrafanaClient``: the few Grafana HTTP API calls pfm-dash needs, on one pooled session.

Endpoints and shapes follow grafana/grafana: pkg/api/dashboard.go,
pkg/api/folder.go, pkg/api/search.go and pkg/api/http_server.go (health).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pfm_dash.client.auth import Auth
from pfm_dash.client.errors import GrafanaError, error_for
from pfm_dash.client.retry import NO_POST_METHODS, Counter, RetryPolicy, build_retry
from pfm_dash.client.transport import RequestHook, send

# method, URL, why (a status code or an error's name), the attempt about to be made
RetryHook = Callable[[str, str, str, int], None]

# Search paging ends at a short page, at a page with no new uid, or here (5,000 pages of up
# to 1,000 hits): a server that ignores ``page`` would otherwise be paged for ever.
MAX_SEARCH_PAGES = 5000


class SearchHits(list[dict[str, Any]]):
    """Search hits, and whether paging saw them all (``note`` says why not)."""

    complete: bool = True
    note: str = ""


class GrafanaClient:
    """A thread-safe client: share one between the push's worker threads."""

    def __init__(
        self,
        url: str,
        auth: Auth | None = None,
        *,
        org_id: int | None = None,
        verify: bool | str = True,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        pool_size: int = 8,
        on_request: RequestHook | None = None,
        on_retry: RetryHook | None = None,
    ) -> None:
        problem = url_problem(url)
        if problem:
            raise GrafanaError(problem)
        self.base_url = url.rstrip("/")
        self.org_id = org_id  # the organisation asked for (X-Grafana-Org-Id), None for the default
        self._prefix = urlsplit(self.base_url).path
        self.counter = Counter(on_retry=on_retry)
        self._timeout = (connect_timeout, timeout)
        self._on_request = on_request
        policy = retry or RetryPolicy()
        self._session = _session(auth, verify, org_id, pool_size, build_retry(policy, self.counter))
        # For writes that must not be repeated blindly (forced saves): POST retried only on
        # connect errors, when the request never reached Grafana.
        self._once = _session(
            auth,
            verify,
            org_id,
            pool_size,
            build_retry(policy, self.counter, methods=NO_POST_METHODS),
        )

    def __repr__(self) -> str:
        return f"GrafanaClient({self.base_url!r})"

    def close(self) -> None:
        self._session.close()
        self._once.close()

    # --- plumbing --------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | list[tuple[str, Any]] | None = None,
        json: Any = None,
        repeat: bool = True,
    ) -> Any:
        """One call: retried by the adapter when transient, then the JSON body or an error.

        ``repeat=False``: a POST is not re-sent once it may have reached Grafana.
        """
        session = self._session if repeat else self._once
        response = send(
            session,
            self.counter,
            self._on_request,
            self.base_url,
            method,
            path,
            params=params,
            json=json,
            timeout=self._timeout,
        )
        status = response.status_code
        try:
            body: Any = response.json() if response.content else None
        except ValueError:
            body = None
        if status >= 400:
            # Under a path prefix (https://host/grafana), name the path that was requested.
            error = error_for(method, self._prefix + path, status, body)
            # The answer's retry history says how many times this request went out.
            history = getattr(getattr(response.raw, "retries", None), "history", None) or ()
            error.attempts = 1 + len(history)
            raise error
        return body

    # --- endpoints -------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """GET /api/health (no auth): ``{"commit","database","version"}``."""
        return dict(self.request("GET", "/api/health") or {})

    def org(self) -> dict[str, Any]:
        """GET /api/org: the cheapest call that proves the credentials."""
        return dict(self.request("GET", "/api/org") or {})

    def get_folder(self, uid: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/api/folders/{_seg(uid)}"))

    def create_folder(self, uid: str, title: str, parent_uid: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"uid": uid, "title": title}
        if parent_uid:
            body["parentUid"] = parent_uid
        return dict(self.request("POST", "/api/folders", json=body))

    def update_folder(self, uid: str, title: str, version: int) -> dict[str, Any]:
        body = {"title": title, "version": version, "overwrite": False}
        return dict(self.request("PUT", f"/api/folders/{_seg(uid)}", json=body))

    def list_folders(self, parent_uid: str = "") -> list[dict[str, Any]]:
        params = {"parentUid": parent_uid} if parent_uid else None
        return list(self.request("GET", "/api/folders", params=params) or [])

    def get_dashboard(self, uid: str) -> dict[str, Any]:
        """GET /api/dashboards/uid/:uid: ``{"dashboard": ..., "meta": ...}``."""
        return dict(self.request("GET", f"/api/dashboards/uid/{_seg(uid)}"))

    def save_dashboard(
        self,
        dashboard: dict[str, Any],
        folder_uid: str,
        *,
        overwrite: bool,
        message: str,
        repeat: bool = True,
    ) -> dict[str, Any]:
        """POST /api/dashboards/db. ``folderUid`` always goes: leaving it out moves to the root.

        ``repeat=False`` for a forced save: its caller re-reads before trying again.
        """
        body = {
            "dashboard": dashboard,
            "folderUid": folder_uid,
            "overwrite": overwrite,
            "message": message,
        }
        return dict(self.request("POST", "/api/dashboards/db", json=body, repeat=repeat))

    def delete_dashboard(self, uid: str) -> dict[str, Any]:
        return dict(self.request("DELETE", f"/api/dashboards/uid/{_seg(uid)}") or {})

    def dashboard_versions(self, uid: str, limit: int = 10) -> list[dict[str, Any]]:
        """Newest first. Grafana 12 wraps the list in ``{"versions": [...]}``, 11 does not."""
        body = self.request(
            "GET", f"/api/dashboards/uid/{_seg(uid)}/versions", params={"limit": limit}
        )
        items = body.get("versions") if isinstance(body, dict) else body
        return [dict(v) for v in items or [] if isinstance(v, dict)]

    def search(
        self,
        *,
        kind: str = "dash-db",
        folder_uids: list[str] | None = None,
        tags: list[str] | None = None,
        query: str = "",
        limit: int = 1000,
    ) -> SearchHits:
        """GET /api/search, every page, with an end even when the server ignores ``page``."""
        hits = SearchHits()
        seen: set[str] = set()
        for page in range(1, MAX_SEARCH_PAGES + 1):
            params: list[tuple[str, Any]] = [("type", kind), ("limit", limit), ("page", page)]
            params += [("folderUIDs", f) for f in folder_uids or []]
            params += [("tag", t) for t in tags or []]
            if query:
                params.append(("query", query))
            batch = list(self.request("GET", "/api/search", params=params) or [])
            fresh = [h for h in batch if str(h.get("uid")) not in seen]
            seen.update(str(h.get("uid")) for h in fresh)
            hits.extend(fresh)
            if len(batch) < limit:
                return hits
            if not fresh:
                hits.complete = False
                hits.note = (
                    f"search page {page} repeated earlier results (the server seems to ignore "
                    f"'page'); stopped with {len(hits)} result(s)"
                )
                return hits
        hits.complete = False
        hits.note = f"search stopped after {MAX_SEARCH_PAGES} pages ({len(hits)} result(s))"
        return hits


def url_problem(url: str) -> str | None:
    """What is wrong with a Grafana base URL, in words that never repeat the URL itself."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the Grafana URL must start with https:// (or http:// for localhost)"
    if parts.username or parts.password:
        return (
            "the Grafana URL must not hold credentials; use GRAFANA_TOKEN or "
            "GRAFANA_USER/GRAFANA_PASSWORD"
        )
    return None


def _session(
    auth: Auth | None, verify: bool | str, org_id: int | None, pool_size: int, retry: Retry
) -> requests.Session:
    session = requests.Session()
    session.auth = auth
    session.verify = verify
    session.trust_env = False  # no ~/.netrc credentials, no surprise proxies
    session.headers["User-Agent"] = "pfm-dash"
    session.headers["Accept"] = "application/json"
    if org_id is not None:
        session.headers["X-Grafana-Org-Id"] = str(org_id)
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _seg(value: str) -> str:
    return quote(value, safe="")
