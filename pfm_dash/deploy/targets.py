"""``pfm-dash push`` beyond Grafana: Prometheus, Alertmanager and a Mimir ruler, in that order.

Each target runs on its own: one that cannot be reached or refuses is reported with the reason
and the next target still runs; the run's exit code is the worst of them (docs/push.md).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from pfm_dash.config import Config
from pfm_dash.deploy import report
from pfm_dash.deploy.files import DeployFileError
from pfm_dash.deploy.server import RequestHook, ServerError
from pfm_dash.errors import PfmDashError, ToolError
from pfm_dash.push.report import outcome_line, totals_line
from pfm_dash.push.settings import PushSettings, TargetSettings, ruler_credentials
from pfm_dash.push.types import EXIT_FAILED, EXIT_OK, Outcome, PushSummary

if TYPE_CHECKING:
    from pfm_dash.project import Project

Deploy = Callable[[Callable[[Outcome], None] | None], PushSummary]


def prepare_targets(
    flags: Mapping[str, Any],
    config: Config,
    settings: PushSettings,
    targets: TargetSettings,
    env: Mapping[str, str],
) -> list[tuple[str, Deploy]]:
    """Everything each target ships, compiled and checked before any target is written to (a
    missing receiver address is found before Grafana is pushed to, not after)."""
    from pfm_dash.deploy.prometheus import DeployOptions
    from pfm_dash.project import load_project

    project = load_project(config)
    options = DeployOptions(dry_run=bool(flags.get("dry_run")), prune=bool(flags.get("prune")))
    hook = _log_request if flags.get("verbose") else None
    runs: list[tuple[str, Deploy]] = []
    if targets.prometheus_url and targets.rules_dir:
        runs.append(("Prometheus", _prometheus(project, settings, targets, options, hook)))
    if targets.alertmanager_url and targets.alertmanager_config:
        runs.append(("Alertmanager", _alertmanager(project, settings, targets, env, options, hook)))
    if targets.ruler_url:
        runs.append(("ruler", _ruler(project, settings, targets, env, options, hook)))
    return runs


def run_targets(runs: list[tuple[str, Deploy]], output: str, documents: dict[str, Any]) -> int:
    """Deploy to every prepared target; the worst exit code. JSON parts go to ``documents``."""
    code = EXIT_OK
    for name, deploy in runs:
        code = max(code, _run(name, deploy, output, documents))
    return code


def _run(name: str, deploy: Deploy, output: str, documents: dict[str, Any]) -> int:
    """One target, printed like the Grafana push: a line per file as it lands, then totals."""
    key = name.lower()
    try:
        summary = deploy(_echo if output == "text" else None)
    except (ServerError, DeployFileError, ToolError) as exc:
        message = exc.render().removeprefix("error: ")
        if output == "json":
            documents[key] = {"exit_code": exc.exit_code, "error": message}
        else:
            click.echo(f"error: {name}: {message}", err=True)
        return max(exc.exit_code, EXIT_FAILED)
    if output == "json":
        documents[key] = report.as_json(summary)
    else:
        click.echo(f"{report.header(name, summary)}: {totals_line(summary)}")
    return summary.exit_code


def _echo(outcome: Outcome) -> None:
    click.echo(outcome_line(outcome))


def _log_request(method: str, path: str, status: int | None, seconds: float) -> None:
    """``--verbose``: as the Grafana push logs its requests (never a header)."""
    answer = status or "no answer"
    click.echo(f"http: {method} {path} -> {answer} in {seconds * 1000:.0f} ms", err=True)


def _prometheus(
    project: Project,
    settings: PushSettings,
    targets: TargetSettings,
    options: Any,
    hook: RequestHook | None,
) -> Deploy:
    from pfm_dash.deploy.prometheus import RulesTarget, deploy_rules
    from pfm_dash.deploy.sources import rule_files

    assert targets.prometheus_url and targets.rules_dir
    target = RulesTarget(
        targets.prometheus_url, targets.rules_dir, settings.timeout, settings.verify, hook
    )
    files = rule_files(project)
    return lambda on_outcome: deploy_rules(target, files, options, on_outcome)


def _alertmanager(
    project: Project,
    settings: PushSettings,
    targets: TargetSettings,
    env: Mapping[str, str],
    options: Any,
    hook: RequestHook | None,
) -> Deploy:
    from pfm_dash.deploy.alertmanager import ConfigTarget, deploy_config
    from pfm_dash.deploy.sources import alertmanager_text
    from pfm_dash.verify.processes import find_binaries

    assert targets.alertmanager_url and targets.alertmanager_config
    text = alertmanager_text(project, env)
    amtool = find_binaries().get("amtool", "amtool")
    target = ConfigTarget(
        targets.alertmanager_url,
        targets.alertmanager_config,
        settings.timeout,
        settings.verify,
        amtool,
        hook,
    )
    return lambda on_outcome: deploy_config(target, text, options, on_outcome)


def _ruler(
    project: Project,
    settings: PushSettings,
    targets: TargetSettings,
    env: Mapping[str, str],
    options: Any,
    hook: RequestHook | None,
) -> Deploy:
    """The Mimir ruler, through ``pfm_dash.deploy.ruler.sync_ruler`` (its own module)."""
    try:
        # Imported by name: the ruler engineer's module may not be on this branch yet.
        ruler = importlib.import_module("pfm_dash.deploy.ruler")
    except ImportError:
        raise PfmDashError(
            "this pfm-dash cannot deploy to a ruler yet (pfm_dash.deploy.ruler is missing)"
        ) from None
    assert targets.ruler_url
    auth, source = ruler_credentials(env)
    fields: dict[str, Any] = {
        "url": targets.ruler_url,
        "auth": auth,
        "credential_source": source,
        "verify": settings.verify,
        "timeout": settings.timeout,
        "retry": settings.retry,
        "concurrency": settings.concurrency,
    }
    if hook is not None and "on_request" in {
        f.name for f in dataclasses.fields(ruler.RulerSettings)
    }:
        fields["on_request"] = hook
    if targets.tenant:
        fields["tenant"] = targets.tenant
    if targets.namespace:
        fields["namespace"] = targets.namespace
    ruler_settings = ruler.RulerSettings(**fields)
    ruler_options = ruler.RulerOptions(dry_run=options.dry_run, prune=options.prune)
    alertmanager = None
    if project.teams and targets.ruler_alertmanager:
        from pfm_dash.deploy.sources import alertmanager_text

        alertmanager = alertmanager_text(project, env)

    def deploy(on_outcome: Callable[[Outcome], None] | None) -> PushSummary:
        summary: PushSummary = ruler.sync_ruler(
            ruler_settings,
            ruler_options,
            groups=project.groups,
            alertmanager_config=alertmanager,
            grafana_url=project.config.settings.grafana.url,
            on_outcome=on_outcome,
        )
        return summary

    return deploy
