"""Deploy the Alertmanager configuration to the file an Alertmanager loads, and prove it loaded.

1. ``amtool check-config`` on the new text (staged beside the target, so relative template
   paths resolve as they will): a rejected configuration is never written.
2. Unchanged bytes and Alertmanager already running them: done, no write and no reload.
3. Swap the file in, ``POST /-/reload`` (synchronous; a 500 carries the real cause, ui/web.go).
4. Confirm: ``alertmanager_config_last_reload_successful`` is 1, ``alertmanager_config_hash`` is
   the hash of the bytes written (md5 of the raw file, its first 6 bytes read little-endian,
   config/coordinator.go ``md5HashAsMetricValue``), and ``/api/v2/status`` shows our routing:
   its ``config.original`` is the loaded configuration re-marshalled, defaults filled in and
   secrets masked (config/config.go ``Config.String``), so it must *contain* ours.
   Any failure restores the previous file and reloads again. A reload can be refused after
   amtool accepted the file: amtool does not build the integrations (a missing CA file).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pfm_dash.deploy.files import Swap, read_bytes, undo_on_break
from pfm_dash.deploy.prometheus import NO_OPTIONS, DeployOptions
from pfm_dash.deploy.server import RequestHook, Server, ServerError
from pfm_dash.errors import ToolError
from pfm_dash.model.base import duration_seconds
from pfm_dash.push.types import Action, Outcome, PushSummary
from pfm_dash.tools import run_tool

OnOutcome = Callable[[Outcome], None]
AMTOOL_TIMEOUT_S = 30.0
SECRET = "<secret>"
_DURATION = re.compile(r"^(\d+(ms|[smhdwy]))+$")


@dataclass(frozen=True)
class ConfigTarget:
    url: str
    config_file: Path
    timeout: float = 30.0
    verify: bool | str = True
    amtool: str = "amtool"
    on_request: RequestHook | None = None


def config_hash(data: bytes) -> float:
    """The value Alertmanager exports as ``alertmanager_config_hash`` for these file bytes."""
    return float(int.from_bytes(hashlib.md5(data).digest()[:6], "little"))


def contains(running: Any, ours: Any, path: str = "") -> str:
    """ "" when ``running`` holds everything ``ours`` says; else the first path that differs."""
    if isinstance(ours, dict):
        if not isinstance(running, dict):
            return path or "/"
        for key, value in ours.items():
            found = contains(running.get(key), value, f"{path}/{key}")
            if found:
                return found
        return ""
    if isinstance(ours, list):
        if not isinstance(running, list) or len(running) != len(ours):
            return path
        if all(isinstance(o, str) for o in ours):
            # Alertmanager sorts matchers when it loads them (pkg/labels/matcher.go Matchers).
            running, ours = sorted(map(str, running)), sorted(ours)
        for i, (r, o) in enumerate(zip(running, ours, strict=True)):
            found = contains(r, o, f"{path}/{i}")
            if found:
                return found
        return ""
    if running in (ours, SECRET) or str(running) == str(ours):
        return ""
    # Durations come back in Go's spelling (60s -> 1m, model.Duration.String).
    both = [str(running), str(ours)]
    if all(_DURATION.match(d) for d in both):
        return "" if duration_seconds(both[0]) == duration_seconds(both[1]) else path
    return path


def deploy_config(
    target: ConfigTarget,
    text: str,
    options: DeployOptions = NO_OPTIONS,
    on_outcome: OnOutcome | None = None,
) -> PushSummary:
    """Make the Alertmanager at ``target`` run ``text`` from ``target.config_file``."""
    started = time.monotonic()
    server = Server(
        "Alertmanager", target.url.rstrip("/"), target.timeout, target.verify, target.on_request
    )
    summary = PushSummary(url=server.url, grafana_version="", dry_run=options.dry_run)
    name = target.config_file.name
    outcome = Outcome(
        kind="config", uid=name, title="Alertmanager configuration", action=Action.UNCHANGED
    )
    summary.dashboards.append(outcome)
    try:
        _deploy(server, target, text.encode(), options, outcome)
        if not options.dry_run:
            status = server.get_json("/api/v2/status")
            summary.grafana_version = str(status.get("versionInfo", {}).get("version", "?"))
    finally:
        summary.requests = server.calls
        summary.seconds = time.monotonic() - started
        server.close()
    if on_outcome is not None:
        on_outcome(outcome)
    return summary


def check_config(amtool: str, path: Path, data: bytes) -> str:
    """amtool's verdict on ``data`` as if it were ``path``: "" when accepted, else its words."""
    staged = path.with_name(f".{path.name}.pfm-dash-check")
    try:
        staged.write_bytes(data)
        done = run_tool([amtool, "check-config", str(staged)], timeout=AMTOOL_TIMEOUT_S)
    except OSError as exc:
        raise ToolError(f"cannot stage {staged}: {exc.strerror or exc}") from None
    finally:
        staged.unlink(missing_ok=True)
    if done.returncode == 0:
        return ""
    said = (done.stdout + done.stderr).replace(str(staged), str(path)).strip()
    return f"amtool check-config rejects it, so it was not written:\n{said}"


def _deploy(
    server: Server, target: ConfigTarget, data: bytes, options: DeployOptions, outcome: Outcome
) -> None:
    path = target.config_file
    before = read_bytes(path)
    if before != data:
        outcome.action = Action.CREATE if before is None else Action.UPDATE
    refused = check_config(target.amtool, path, data)
    if refused:
        outcome.action, outcome.detail = Action.FAILED, refused
        return
    if options.dry_run:
        return
    if outcome.action is Action.UNCHANGED and not _confirm(server, data):
        return  # nothing changed: no write, no reload
    swap = Swap(path.parent, {path.name: data}, inside=True)
    swap.apply()
    with undo_on_break(swap, server):
        problem = server.reload() or _confirm(server, data)
    if not problem:
        outcome.applied = outcome.action is not Action.UNCHANGED
        return
    swap.restore()
    again = server.reload()
    restored = (
        f"reloading the restored file failed too ({again})"
        if again
        else "the previous configuration is restored and loaded"
    )
    outcome.action = Action.FAILED
    outcome.detail = f"Alertmanager refused it: {problem}; {restored}"


def _confirm(server: Server, data: bytes) -> str:
    """ "" when Alertmanager runs exactly ``data``; else what says otherwise."""
    if server.metric("alertmanager_config_last_reload_successful") != 1:
        return "alertmanager_config_last_reload_successful is 0"
    if server.metric("alertmanager_config_hash") != config_hash(data):
        return "alertmanager_config_hash is not the hash of the file written"
    status = server.get_json("/api/v2/status")
    try:
        running = yaml.safe_load(status["config"]["original"])
    except (KeyError, TypeError, yaml.YAMLError):
        raise ServerError("Alertmanager answered /api/v2/status without config.original") from None
    differs = contains(running, yaml.safe_load(data))
    return f"/api/v2/status shows another configuration at {differs}" if differs else ""
