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
from pfm_dash.client.http import (
    RetryHook,
    url_problem,
)
from pfm_dash.config import PushSettingsTable
from pfm_dash.errors import ConfigError
from pfm_dash.settings import load_table

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
TABLE = "push"


def push_table(config: Mapping[str, Any] | PushSettingsTable) -> PushSettingsTable:
    """``[tool.pfm-dash.push]`` typed and checked (already so when it comes from a Config)."""
    if isinstance(config, PushSettingsTable):
        return config
    return load_table(PushSettingsTable, config, TABLE)


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
    on_retry: RetryHook | None = None,
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
        on_retry=on_retry,
    )


def _pick(flag: Any, configured: Any) -> Any:
    """The flag when given, else the table's value ("" counts as not set)."""
    return flag if flag is not None else (configured if configured != "" else None)


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


def grafana_url(
    flags: Mapping[str, Any], env: Mapping[str, str], config: Mapping[str, Any] | PushSettingsTable
) -> str:
    """Grafana's URL from the flag, $GRAFANA_URL or [tool.pfm-dash.push]; "" when none."""
    table = push_table(config)
    return str(flags.get("grafana_url") or env.get("GRAFANA_URL") or table.grafana_url or "")


def resolve(
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    config: Mapping[str, Any] | PushSettingsTable,
    *,
    require_url: bool = True,
) -> PushSettings:
    """Combine the sources and refuse unsafe or incomplete combinations (ConfigError, exit 2).

    ``require_url=False``: no Grafana this run; the TLS, timeout and retry settings still
    apply to the other targets (``url`` is then "")."""
    table = push_table(config)
    url = grafana_url(flags, env, table)
    if not url and require_url:
        raise ConfigError(
            "no Grafana URL: pass --grafana-url, set GRAFANA_URL, or set grafana-url in "
            "[tool.pfm-dash.push] (or push to another target: --prometheus-url, "
            "--alertmanager-url, --ruler-url)"
        )
    problem = url_problem(str(url)) if url else None
    if problem:
        raise ConfigError(problem)
    parts = urlsplit(str(url))
    auth, source = credentials(env, flags.get("token_file")) if url else (None, "")
    insecure = bool(flags.get("insecure"))
    remote_http = parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS
    if auth is not None and remote_http and not insecure:
        raise ConfigError(
            f"refusing to send credentials over plain http to {parts.hostname}; use https, "
            "or --insecure if you accept that anyone on the path can read them"
        )
    ca_cert = _pick(flags.get("ca_cert"), table.ca_cert)
    if ca_cert is not None and not Path(ca_cert).is_file():
        raise ConfigError(f"--ca-cert {ca_cert}: no such file")
    verify: bool | str = False if insecure else (str(ca_cert) if ca_cert else True)
    try:
        timeout = float(_pick(flags.get("timeout"), table.timeout))
        concurrency = int(_pick(flags.get("concurrency"), table.concurrency))
        retries = int(_pick(flags.get("retries"), table.retries))
        backoff = float(_pick(flags.get("backoff"), table.backoff))
        org = _pick(flags.get("org_id"), table.org_id)
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


@dataclass(frozen=True)
class TargetSettings:
    """The other targets of a push, each None when not asked for (see docs/push.md)."""

    prometheus_url: str | None = None
    rules_dir: Path | None = None
    alertmanager_url: str | None = None
    alertmanager_config: Path | None = None
    ruler_url: str | None = None
    tenant: str | None = None
    namespace: str | None = None
    # Mimir's Alertmanager refuses configurations that read secrets from files (*_file), which
    # a project's routing usually does: syncing it is asked for, never implied by --ruler-url.
    ruler_alertmanager: bool = False

    @property
    def any(self) -> bool:
        return bool(self.prometheus_url or self.alertmanager_url or self.ruler_url)


def _target_url(
    flags: Mapping[str, Any], env: Mapping[str, str], table: PushSettingsTable, name: str
) -> str | None:
    key = name.replace("-", "_")
    configured = getattr(table, f"{key}_url")
    url = flags.get(f"{key}_url") or env.get(f"{key.upper()}_URL") or configured
    if not url:
        return None
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"--{name}-url {url}: not an http:// or https:// URL with a host "
            f"(e.g. http://127.0.0.1:9090)"
        )
    return str(url).rstrip("/")


def _paired(url: str | None, path: Any, url_flag: str, path_flag: str) -> Path | None:
    """A server URL and the file or folder it loads go together: one without the other is a
    mistake that would otherwise deploy nothing, silently."""
    if url and not path:
        raise ConfigError(
            f"{url_flag} needs {path_flag}: the path the server loads, which push writes "
            f"(or set {path_flag.removeprefix('--')} in [tool.pfm-dash.push])"
        )
    if path and not url:
        env_name = url_flag.removeprefix("--").replace("-", "_").upper()
        raise ConfigError(
            f"{path_flag} needs {url_flag} (or ${env_name}): push writes the files, then "
            "reloads that server and checks what it loaded"
        )
    return Path(path) if path else None


def resolve_targets(
    flags: Mapping[str, Any], env: Mapping[str, str], config: Mapping[str, Any] | PushSettingsTable
) -> TargetSettings:
    """Prometheus (URL + rules folder), Alertmanager (URL + config file) and the ruler."""
    table = push_table(config)
    prometheus = _target_url(flags, env, table, "prometheus")
    rules_dir = _paired(
        prometheus,
        _pick(flags.get("rules_dir"), table.rules_dir),
        "--prometheus-url",
        "--rules-dir",
    )
    alertmanager = _target_url(flags, env, table, "alertmanager")
    am_config = _paired(
        alertmanager,
        _pick(flags.get("alertmanager_config"), table.alertmanager_config),
        "--alertmanager-url",
        "--alertmanager-config",
    )
    if am_config is not None and am_config.is_dir():
        raise ConfigError(f"--alertmanager-config {am_config} is a folder; give the file it loads")
    ruler = _target_url(flags, env, table, "ruler")
    tenant = _pick(flags.get("tenant"), table.tenant)
    namespace = _pick(flags.get("namespace"), table.namespace)
    ruler_alertmanager = bool(flags.get("ruler_alertmanager"))
    if (tenant or namespace or ruler_alertmanager) and not ruler:
        raise ConfigError(
            "--tenant, --namespace and --ruler-alertmanager are for a ruler: pass --ruler-url "
            "(or $RULER_URL)"
        )
    return TargetSettings(
        prometheus_url=prometheus,
        rules_dir=rules_dir,
        alertmanager_url=alertmanager,
        alertmanager_config=am_config,
        ruler_url=ruler,
        tenant=str(tenant) if tenant else None,
        namespace=str(namespace) if namespace else None,
        ruler_alertmanager=ruler_alertmanager,
    )


def ruler_credentials(env: Mapping[str, str]) -> tuple[Auth | None, str]:
    """$RULER_TOKEN (bearer) or $RULER_USER and $RULER_PASSWORD (basic), never a flag."""
    if env.get("RULER_TOKEN", "").strip():
        return BearerToken(env["RULER_TOKEN"].strip()), "RULER_TOKEN"
    if env.get("RULER_USER") and env.get("RULER_PASSWORD"):
        return BasicAuth(env["RULER_USER"], env["RULER_PASSWORD"]), "RULER_USER"
    return None, ""
