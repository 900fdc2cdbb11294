"""``pfm-dash check``: the project's queries, metrics, variables, alerts and dashboards."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from pfm_dash.checks.selection import Selection

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ["text", "github", "json"]


def report_options(command: F) -> F:
    """--format, --select and --ignore, shared by ``check`` and ``check-rules``."""
    for option in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(FORMATS),
                default="text",
                show_default=True,
                help="path:line:col text, GitHub workflow annotations, or JSON for tools.",
            ),
            click.option(
                "--select",
                multiple=True,
                metavar="CODES",
                help="Only these rule ids or prefixes (comma-separated; default ALL).",
            ),
            click.option(
                "--ignore",
                multiple=True,
                metavar="CODES",
                help="Not these rule ids or prefixes; what Prometheus refuses stays on.",
            ),
        ]
    ):
        command = option(command)
    return command


def selection(select: tuple[str, ...], ignore: tuple[str, ...], *, need_project: bool) -> Selection:
    """The command line's choice over ``[tool.pfm-dash.check]``; notes on what stays on."""
    from pfm_dash.checks.selection import Selection, choose, from_settings
    from pfm_dash.config import load_config
    from pfm_dash.root import project_root

    config = Selection()
    if need_project or project_root() is not None:
        loaded = load_config()
        config = from_settings(loaded.settings.check)
    chosen = choose(config, select, ignore)
    for note in chosen.notes():
        click.echo(note, err=True)
    return chosen


@click.command("check")
@report_options
@click.option(
    "--promtool/--no-promtool",
    default=None,
    help="Also parse with promtool, the authority on Prometheus 2.42 (default: when on PATH).",
)
def command(
    fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], promtool: bool | None
) -> int:
    """Check every query parses, every metric and label exists, and the alert and dashboard
    house rules hold (docs/check.md lists the rules). Exit 1 on any error.

    Suppress a finding only with ignore=[Ignore(rule=..., reason=...)] on the declaration;
    turn rules off everywhere with --ignore or [tool.pfm-dash.check] ignore = [...].
    """
    from pfm_dash.checks import Level, check_project
    from pfm_dash.checks.report import render
    from pfm_dash.project import load_config, load_project

    chosen = selection(select, ignore, need_project=True)
    project = load_project(load_config())
    findings = chosen.apply(check_project(project, promtool=promtool))
    click.echo(render(fmt, findings))
    errors = [f for f in findings if f.suppressed is None and f.level is Level.ERROR]
    return 1 if errors else 0
