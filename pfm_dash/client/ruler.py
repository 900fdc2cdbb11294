"""``RulerClient``: Mimir's (or Cortex's) ruler config API and Alertmanager config API.

Routes (grafana/mimir pkg/api/api.go, RegisterRulerAPI and RegisterAlertmanager):
``GET/POST/DELETE <prefix>/config/v1/rules/{namespace}[/{group}]`` with YAML bodies, and
``GET/POST/DELETE /api/v1/alerts`` (no prefix). Every request carries ``X-Scope-OrgID``: without
it Mimir's auth middleware answers 401 ``no org id`` (dskit middleware/http_auth.go). Retries,
TLS and credentials come from the same stack as the Grafana client (pfm_dash.client.http).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from pfm_dash.client.auth import Auth
from pfm_dash.client.errors import (
    AuthError,
    BadRequest,
    Forbidden,
    GrafanaError,
    HTTPStatusError,
    NotFound,
    RateLimited,
    ServerError,
)
from pfm_dash.client.http import _session
from pfm_dash.client.retry import Counter, RetryPolicy, build_retry
from pfm_dash.client.transport import RequestHook, send

log = logging.getLogger("pfm_dash.client.ruler")

DEFAULT_PREFIX = "/prometheus"  # -http.prometheus-http-prefix (pkg/api/api.go)
ALERTS_PATH = "/api/v1/alerts"  # the Alertmanager config API: no prefix (pkg/api/api.go)

_BY_STATUS: dict[int, type[HTTPStatusError]] = {
    400: BadRequest,
    401: AuthError,
    403: Forbidden,
    404: NotFound,
    429: RateLimited,
}


class RulerError(GrafanaError):
    """A ruler call that cannot even start (a bad URL or tenant): no request was sent.

    A usage error, so exit code 2 as for push's other settings.
    """

    exit_code = 2


def error_for(method: str, path: str, status: int, text: str) -> HTTPStatusError:
    """The exception for an error answer, with Mimir's own message.

    pkg/ruler/api.go answers in two styles: plain text from ``http.Error`` (``<msg>\\n``) and
    the JSON envelope ``{"status":"error","errorType":...,"error":"<msg>"}`` from
    respondInvalidRequest/respondServerError, with a sniffed Content-Type: so the body decides.
    """
    message = text.strip()
    status_field = ""
    if message.startswith("{"):
        try:
            envelope = json.loads(message)
        except ValueError:
            envelope = None
        if isinstance(envelope, dict) and "error" in envelope:
            message = str(envelope.get("error") or "")
            status_field = str(envelope.get("errorType") or "")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else HTTPStatusError)
    return cls(
        message[:1024] or f"HTTP {status}",
        method=method,
        path=path,
        status=status,
        status_field=status_field,
        body=text[:1024],
    )


def url_problem(url: str) -> str | None:
    """What is wrong with a ruler base URL, in words that never repeat the URL itself."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the ruler URL must start with https:// (or http:// for localhost)"
    if parts.username or parts.password:
        return "the ruler URL must not hold credentials; pass them through the environment"
    return None


def tenant_problem(tenant: str) -> str | None:
    """dskit tenant/tenant.go ValidTenantID: checked here so a bad tenant costs no request."""
    if not tenant:
        return "the tenant must not be empty (Mimir answers 401 'no org id')"
    if len(tenant) > 150:
        return "tenant ID is too long: max 150 characters"
    if tenant in (".", ".."):
        return "tenant ID is '.' or '..'"
    for char in tenant:
        if not (char.isascii() and (char.isalnum() or char in "!-_.*'()")):
            return f"tenant ID '{tenant}' contains unsupported character '{char}'"
    return None


def _seg(value: str) -> str:
    # The server matches on the escaped path (UseEncodedPath in pkg/api/api.go) and unescapes
    # each segment once (pkg/ruler/api.go parseNamespace/parseGroupName): escape everything.
    return quote(value, safe="")


class RulerClient:
    """A thread-safe client for one tenant: share it between a sync's worker threads."""

    def __init__(
        self,
        url: str,
        tenant: str,
        auth: Auth | None = None,
        *,
        prefix: str = DEFAULT_PREFIX,
        verify: bool | str = True,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        pool_size: int = 8,
        on_request: RequestHook | None = None,
    ) -> None:
        problem = url_problem(url) or tenant_problem(tenant)
        if problem:
            raise RulerError(problem)
        self.base_url = url.rstrip("/")
        self.tenant = tenant
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.counter = Counter()
        self._timeout = (connect_timeout, timeout)
        self._on_request = on_request
        # Every write here is safe to repeat: a POST is an upsert keyed by (tenant, namespace,
        # group name) with no version (CreateRuleGroup in pkg/ruler/api.go), the Alertmanager
        # POST replaces the whole config, and a repeated DELETE answers 404 (already gone).
        self._session = _session(
            auth, verify, None, pool_size, build_retry(retry or RetryPolicy(), self.counter)
        )
        self._session.headers["X-Scope-OrgID"] = tenant
        self._session.headers["Accept"] = "application/yaml, application/json;q=0.9"

    def __repr__(self) -> str:
        return f"RulerClient({self.base_url!r}, tenant={self.tenant!r})"

    def close(self) -> None:
        self._session.close()

    # --- plumbing --------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body: str | None = None) -> tuple[int, str]:
        """One call, retried by the adapter when transient: (status, text) or an error."""
        headers = {"Content-Type": "application/yaml"} if body is not None else None
        data = body.encode("utf-8") if body is not None else None
        response = send(
            self._session,
            self.counter,
            self._on_request,
            self.base_url,
            method,
            path,
            data=data,
            headers=headers,
            timeout=self._timeout,
        )
        status = response.status_code
        text = response.content.decode("utf-8", "replace")
        if status >= 400:
            raise error_for(method, path, status, text)
        return status, text

    def _rules_path(self, namespace: str | None = None, group: str | None = None) -> str:
        path = f"{self.prefix}/config/v1/rules"
        if namespace is not None:
            path += "/" + _seg(namespace)
            if group is not None:
                path += "/" + _seg(group)
        return path

    # --- ruler config API (pkg/ruler/api.go) -----------------------------------------------

    def list_rules(self, namespace: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """GET the tenant's groups, by namespace.

        No groups: 200 ``{}`` (ListRules in pkg/ruler/api.go); older Mimir and Cortex answer
        404 ``no rule groups found``, which mimirtool treats as empty too (commands/rules.go).
        """
        try:
            _, text = self.request("GET", self._rules_path(namespace))
        except NotFound:
            return {}
        data = _load_yaml(text, "GET " + self._rules_path(namespace))
        if not isinstance(data, dict):
            return {}
        return {str(ns): [dict(g) for g in groups or []] for ns, groups in data.items()}

    def get_group(self, namespace: str, group: str) -> dict[str, Any] | None:
        """GET one group; None when the ruler has none of that name (404)."""
        path = self._rules_path(namespace, group)
        try:
            _, text = self.request("GET", path)
        except NotFound:
            return None
        data = _load_yaml(text, "GET " + path)
        return dict(data) if isinstance(data, dict) else None

    def set_group(self, namespace: str, group_yaml: str) -> None:
        """POST one group (an upsert: the name comes from the body only): 202 on success."""
        self.request("POST", self._rules_path(namespace), body=group_yaml)

    def delete_group(self, namespace: str, group: str) -> bool:
        """DELETE one group; False when it was already gone (404 ``group does not exist``)."""
        try:
            self.request("DELETE", self._rules_path(namespace, group))
        except NotFound:
            return False
        return True

    def delete_namespace(self, namespace: str) -> bool:
        """DELETE every group of a namespace; False when it held none (404)."""
        try:
            self.request("DELETE", self._rules_path(namespace))
        except NotFound:
            return False
        return True

    # --- Alertmanager config API (pkg/alertmanager/api.go) ---------------------------------

    def get_alertmanager_config(self) -> dict[str, Any] | None:
        """``{"alertmanager_config": str, "template_files": {...}}``, or None when none is
        stored (404 ``alertmanager storage object not found``, alertspb/compat.go)."""
        try:
            _, text = self.request("GET", ALERTS_PATH)
        except NotFound:
            return None
        data = _load_yaml(text, "GET " + ALERTS_PATH)
        return dict(data) if isinstance(data, dict) else None

    def set_alertmanager_config(self, config: str, templates: dict[str, str] | None = None) -> None:
        """POST the whole config and its templates (201, empty body)."""
        body = yaml.safe_dump(
            {"template_files": dict(templates or {}), "alertmanager_config": config},
            sort_keys=False,
            allow_unicode=True,
            width=100_000,
        )
        self.request("POST", ALERTS_PATH, body=body)

    def delete_alertmanager_config(self) -> None:
        """DELETE the config: 200 even when none was stored."""
        self.request("DELETE", ALERTS_PATH)


# libyaml when present: a namespace of 1,000 groups parses in a tenth of the pure-Python time.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | bytes) -> Any:
    """yaml.safe_load, with libyaml's parser when installed; raises yaml.YAMLError."""
    return yaml.load(text, Loader=_LOADER)


def _load_yaml(text: str, where: str) -> Any:
    try:
        return parse_yaml(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise GrafanaError(
            f"{where}: the ruler answered YAML that does not parse ({exc})"
        ) from None
