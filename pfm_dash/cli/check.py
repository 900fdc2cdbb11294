"""``pfm-dash check``: the project's queries, metrics, variables, alerts and dashboards."""

from __future__ import annotations

import click


@click.command("check")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text grouped by file, or JSON for tools.",
)
@click.option(
    "--promtool/--no-promtool",
    default=None,
    help="Also parse with promtool, the authority on Prometheus 2.42 (default: when on PATH).",
)
def command(fmt: str, promtool: bool | None) -> int:
    """Check every query parses, every metric and label exists, and the alert and dashboard
    house rules hold (docs/check.md lists the rules). Exit 1 on any error.

    Suppress a finding only with ignore=[Ignore(rule=..., reason=...)] on the declaration.
    """
    from pfm_dash.checks import Level, check_project
    from pfm_dash.checks.report import as_json, text
    from pfm_dash.project import load_config, load_project

    project = load_project(load_config())
    findings = check_project(project, promtool=promtool)
    if fmt == "json":
        click.echo(as_json(findings))
    else:
        click.echo(text(findings))
    errors = [f for f in findings if f.suppressed is None and f.level is Level.ERROR]
    return 1 if errors else 0
