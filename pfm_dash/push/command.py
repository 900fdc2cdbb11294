"""``pfm-dash push`` behind its flags: settings, the project, the run, and what gets printed."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from pfm_dash.config import Config, load_config
from pfm_dash.errors import ConfigError, display_path
from pfm_dash.push.report import outcome_line, render_json, render_text, totals_line
from pfm_dash.push.run import OnOutcome, PushOptions, run_push
from pfm_dash.push.settings import (
    PushSettings,
    client_for,
    default_message,
    grafana_url,
    resolve,
    resolve_targets,
)
from pfm_dash.push.types import EXIT_OK, DashboardSpec, Outcome


def load_specs(config: Config) -> Sequence[DashboardSpec]:
    """The project's dashboards, compiled as ``pfm-dash build`` compiles them."""
    from pfm_dash.formats.grafana import compile_dashboards
    from pfm_dash.project import load_project

    return compile_dashboards(load_project(config).dashboards)


def refuse_stale_build(config: Config) -> None:
    """What ships must be what was reviewed: the committed build/ (reviewers read its diff)
    must be exactly what the sources compile to, or nothing is pushed."""
    from pfm_dash.compiler import artifacts
    from pfm_dash.output import sync_tree
    from pfm_dash.project import load_project

    changes = sync_tree(config.out_dir, artifacts(load_project(config)), check=True)
    if not changes:
        return
    out = display_path(str(config.out_dir))
    shown = [f"{out}/{c.path} ({c.kind})" for c in changes[:10]]
    more = f" and {len(changes) - 10} more" if len(changes) > 10 else ""
    raise ConfigError(
        f"{out}/ does not match the sources, so what would ship is not what was reviewed: "
        f"{', '.join(shown)}{more}. Run 'pfm-dash build' and commit {out}/, or pass "
        "--allow-stale-build to push the sources as they are"
    )


def execute(
    flags: Mapping[str, Any],
    *,
    config: Config | None = None,
    specs: Sequence[DashboardSpec] | None = None,
    env: Mapping[str, str] | None = None,
    tty: bool | None = None,
) -> int:
    """Run a push as the CLI does; returns the exit code. ``specs`` skips compiling.

    Each target is optional and any combination runs in one go (Grafana, Prometheus,
    Alertmanager, a ruler); the worst exit code of the targets is the run's.
    """
    config = config or load_config()
    env = os.environ if env is None else env
    push_config = config.settings.push
    targets = resolve_targets(flags, env, push_config)
    with_grafana = not targets.any or bool(grafana_url(flags, env, push_config))
    if flags.get("prune") and with_grafana and not config.project_declared:
        pyproject = display_path(str(config.root / "pyproject.toml"))
        raise ConfigError(
            "--prune deletes only dashboards this project pushed, so it needs a name of its "
            f'own: set project = "<name>" in [tool.pfm-dash] of {pyproject}'
        )
    settings = resolve(flags, env, push_config, require_url=with_grafana)
    if specs is None and not flags.get("allow_stale_build"):
        refuse_stale_build(config)
    verbose = bool(flags.get("verbose"))
    if settings.insecure:
        _quiet_urllib3()
        click.echo(
            "warning: --insecure: TLS certificates are not verified and credentials may be sent "
            "over plain http",
            err=True,
        )
    if verbose and with_grafana:
        _dump_settings(settings)
    output = str(flags.get("output") or "text")
    tty = sys.stderr.isatty() if tty is None else tty
    if not targets.any:
        return _push_grafana(flags, config, settings, specs, output=output, tty=tty)
    from pfm_dash.deploy.targets import prepare_targets, run_targets

    runs = prepare_targets(flags, config, settings, targets, env)
    documents: dict[str, Any] = {}
    code = EXIT_OK
    if with_grafana:
        code = _push_grafana(flags, config, settings, specs, output=output, tty=tty, into=documents)
    code = max(code, run_targets(runs, output, documents))
    if output == "json":
        click.echo(json.dumps({"exit_code": code, **documents}, indent=2))
    return code


def _push_grafana(
    flags: Mapping[str, Any],
    config: Config,
    settings: PushSettings,
    specs: Sequence[DashboardSpec] | None,
    *,
    output: str,
    tty: bool,
    into: dict[str, Any] | None = None,
) -> int:
    """The dashboards to Grafana; ``into`` collects the JSON document instead of printing it."""
    if specs is None:
        specs = load_specs(config)
    verbose = bool(flags.get("verbose"))
    options = PushOptions(
        dry_run=bool(flags.get("dry_run")),
        diff=bool(flags.get("diff")),
        force=bool(flags.get("force")),
        prune=bool(flags.get("prune")),
        concurrency=settings.concurrency,
        message=str(flags.get("message") or default_message(config.root)),
        project=config.project,
        credential_source=settings.credential_source,
    )
    client = client_for(
        settings,
        on_request=_log_request if verbose else None,
        on_retry=_log_retry if verbose else None,
    )
    try:
        with _progress(len(specs), output=output, tty=tty) as on_outcome:
            summary = run_push(client, specs, options, on_outcome)
    finally:
        client.close()
    if output == "json":
        text = render_json(summary, with_diff=options.diff)
        if into is None:
            click.echo(text)
        else:
            into["grafana_push"] = json.loads(text)
    elif tty:
        click.echo(render_text(summary, with_diff=options.diff))
    else:
        for outcome in summary.outcomes:
            if options.diff and outcome.diff:
                click.echo(outcome.diff.rstrip("\n"))
        click.echo(f"Grafana {summary.grafana_version} at {summary.url}: {totals_line(summary)}")
    return summary.exit_code


@contextmanager
def _progress(total: int, *, output: str, tty: bool) -> Iterator[OnOutcome | None]:
    """A bar on a terminal; otherwise (text output) one plain line per outcome as it lands."""
    if tty:
        with click.progressbar(length=total, label="pushing", file=sys.stderr) as bar:

            def advance(outcome: Outcome) -> None:
                if outcome.kind == "dashboard":
                    bar.update(1)

            yield advance
    elif output == "text":
        yield _echo_outcome
    else:
        yield None


def _echo_outcome(outcome: Outcome) -> None:
    click.echo(outcome_line(outcome))


def _log_request(method: str, path: str, status: int | None, seconds: float) -> None:
    """``--verbose``: method, path, status and time; never a header, so never a credential."""
    answer = status or "no answer"
    click.echo(f"http: {method} {path} -> {answer} in {seconds * 1000:.0f} ms", err=True)


def _log_retry(method: str, url: str, why: str, attempt: int) -> None:
    """``--verbose``: each retried attempt, as it is about to go out (never a header)."""
    click.echo(f"http: {method} {url} -> {why}; retrying (attempt {attempt})", err=True)


def _dump_settings(settings: PushSettings) -> None:
    lines = {
        "url": settings.url,
        "credentials": settings.credential_source or "none",
        "tls verify": settings.verify,
        "org id": settings.org_id if settings.org_id is not None else "default",
        "timeout": f"{settings.timeout}s",
        "concurrency": settings.concurrency,
        "retries": f"{settings.retry.retries} (backoff {settings.retry.backoff}s)",
    }
    for key, value in lines.items():
        click.echo(f"push: {key}: {value}", err=True)


def _quiet_urllib3() -> None:
    """We warned once, in words; urllib3 would warn on every request."""
    import urllib3

    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
