"""Where push's settings come from: flags, then the environment, then [tool.pfm-dash.push].

Credentials come only from the environment or a file, never from a flag (``ps`` shows flags) nor
from pyproject.toml (it is committed).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pfm_dash.client import (
    Auth,
    BasicAuth,
    BearerToken,
    GrafanaClient,
    RequestHook,
    RetryPolicy,
)
from pfm_dash.client.http import url_problem
from pfm_dash.errors import ConfigError

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CONFIG_KEYS = frozenset(
    {"grafana-url", "concurrency", "timeout", "org-id", "ca-cert", "retries", "backoff"}
)


@dataclass(frozen=True)
class PushSettings:
    url: str
    auth: Auth | None
    credential_source: str
    verify: bool | str
    insecure: bool
    org_id: int | None
    timeout: float
    concurrency: int
    retry: RetryPolicy


def client_for(
    settings: PushSettings,
    *,
    pool_size: int | None = None,
    on_request: RequestHook | None = None,
) -> GrafanaClient:
    """The Grafana client these settings describe (push, diff and import all talk this way)."""
    return GrafanaClient(
        settings.url,
        settings.auth,
        org_id=settings.org_id,
        verify=settings.verify,
        timeout=settings.timeout,
        retry=settings.retry,
        pool_size=pool_size or settings.concurrency,
        on_request=on_request,
    )


def _pick(flag: Any, config: Mapping[str, Any], key: str, default: Any) -> Any:
    return flag if flag is not None else config.get(key, default)


def credentials(env: Mapping[str, str], token_file: Path | None) -> tuple[Auth | None, str]:
    """The credential and where it came from (named in messages; the value never is)."""
    if token_file is not None:
        try:
            token = token_file.read_text("utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read --token-file {token_file}: {exc.strerror}") from None
        if not token:
            raise ConfigError(f"--token-file {token_file} is empty")
        return BearerToken(token), "--token-file"
    if env.get("GRAFANA_TOKEN", "").strip():
        return BearerToken(env["GRAFANA_TOKEN"].strip()), "GRAFANA_TOKEN"
    if env.get("GRAFANA_USER") and env.get("GRAFANA_PASSWORD"):
        return BasicAuth(env["GRAFANA_USER"], env["GRAFANA_PASSWORD"]), "GRAFANA_USER"
    return None, ""


def resolve(
    flags: Mapping[str, Any], env: Mapping[str, str], config: Mapping[str, Any]
) -> PushSettings:
    """Combine the sources and refuse unsafe or incomplete combinations (ConfigError, exit 2)."""
    if not isinstance(config, Mapping):
        raise ConfigError("[tool.pfm-dash.push] must be a table")
    unknown = set(config) - CONFIG_KEYS
    if unknown & {"token", "password", "grafana-token"}:
        raise ConfigError(
            "[tool.pfm-dash.push] must not hold credentials; use GRAFANA_TOKEN or --token-file"
        )
    if unknown:
        raise ConfigError(f"[tool.pfm-dash.push] has unknown key(s): {', '.join(sorted(unknown))}")
    url = flags.get("grafana_url") or env.get("GRAFANA_URL") or config.get("grafana-url")
    if not url:
        raise ConfigError(
            "no Grafana URL: pass --grafana-url, set GRAFANA_URL, or set grafana-url in "
            "[tool.pfm-dash.push]"
        )
    problem = url_problem(str(url))
    if problem:
        raise ConfigError(problem)
    parts = urlsplit(str(url))
    auth, source = credentials(env, flags.get("token_file"))
    insecure = bool(flags.get("insecure"))
    remote_http = parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS
    if auth is not None and remote_http and not insecure:
        raise ConfigError(
            f"refusing to send credentials over plain http to {parts.hostname}; use https, "
            "or --insecure if you accept that anyone on the path can read them"
        )
    ca_cert = _pick(flags.get("ca_cert"), config, "ca-cert", None)
    if ca_cert is not None and not Path(ca_cert).is_file():
        raise ConfigError(f"--ca-cert {ca_cert}: no such file")
    verify: bool | str = False if insecure else (str(ca_cert) if ca_cert else True)
    try:
        timeout = float(_pick(flags.get("timeout"), config, "timeout", 30.0))
        concurrency = int(_pick(flags.get("concurrency"), config, "concurrency", 8))
        retries = int(_pick(flags.get("retries"), config, "retries", 4))
        backoff = float(_pick(flags.get("backoff"), config, "backoff", 0.5))
        org = _pick(flags.get("org_id"), config, "org-id", None)
        org_id = int(org) if org is not None else None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid push setting: {exc}") from None
    if timeout <= 0 or not 1 <= concurrency <= 64 or retries < 0 or backoff < 0:
        raise ConfigError("need timeout > 0, concurrency 1..64, retries >= 0, backoff >= 0")
    return PushSettings(
        url=str(url).rstrip("/"),
        auth=auth,
        credential_source=source,
        verify=verify,
        insecure=insecure,
        org_id=org_id,
        timeout=timeout,
        concurrency=concurrency,
        retry=RetryPolicy(retries=retries, backoff=backoff, backoff_max=max(backoff, 10.0)),
    )


def default_message(root: Path) -> str:
    """``pfm-dash push of 1a2b3c4 by Ann <ann@x>: subject`` from git HEAD, if there is one."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%h%x00%an <%ae>%x00%s"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "pfm-dash push"
    fields = done.stdout.strip().split("\0")
    if done.returncode != 0 or len(fields) != 3:
        return "pfm-dash push"
    sha, author, subject = fields
    return f"pfm-dash push of {sha} by {author}: {subject}"[:500]
