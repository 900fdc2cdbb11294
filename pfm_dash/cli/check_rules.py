"""``pfm-dash check-rules``: lint Prometheus rule files nobody here wrote."""

from __future__ import annotations

from pathlib import Path

import click

from pfm_dash.cli.check import report_options, selection


@click.command("check-rules")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@report_options
@click.option(
    "--promtool/--no-promtool",
    default=None,
    help="Also ask promtool, which has the last word, and take its positions (default: on PATH).",
)
def command(
    paths: tuple[Path, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    promtool: bool | None,
) -> int:
    """Run the PromQL, template and alert checks that need no catalog over rule files or
    folders of them. Exit 1 on any error finding; what Prometheus refuses is always an error.
    """
    from pfm_dash.checks import promtool_batches

    # promtool first, before our own imports and the config: its time then overlaps all ours.
    files = promtool_batches.rule_paths(paths)
    background = promtool_batches.start(files, promtool)

    from dataclasses import asdict

    from pfm_dash.checks import Level
    from pfm_dash.checks.report import render
    from pfm_dash.checks.rulefiles import check_paths

    chosen = selection(select, ignore, need_project=False)
    found, stats = check_paths(files, background)
    findings = chosen.apply(found)
    summary = (
        f"{stats.files} file(s), {stats.rules} rule(s), {stats.parsed}/{stats.expressions} "
        f"expression(s) parsed, {stats.errors_with_position} parse error(s) with a position, "
        f"{stats.errors_without_position} without, {len(stats.crashes)} crash(es)"
    )
    click.echo(render(fmt, findings, summary, **asdict(stats)))
    for crash in stats.crashes:
        click.echo(f"internal error (please report): {crash}", err=True)
    errors = [f for f in findings if f.suppressed is None and f.level is Level.ERROR]
    return 1 if errors or stats.crashes else 0
