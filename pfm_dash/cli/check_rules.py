"""``pfm-dash check-rules``: lint Prometheus rule files nobody here wrote."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("check-rules")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--promtool/--no-promtool",
    default=None,
    help="Take parse-error positions from promtool (default: when on PATH).",
)
def command(paths: tuple[Path, ...], fmt: str, promtool: bool | None) -> int:
    """Run the PromQL and alert house-rule checks (those needing no catalog) over rule files
    or folders of them. Exit 1 on any error finding.
    """
    from dataclasses import asdict

    from pfm_dash.checks import Level
    from pfm_dash.checks.report import as_json, text
    from pfm_dash.checks.rulefiles import check_files

    findings, stats = check_files(paths, promtool=promtool)
    summary = (
        f"{stats.files} file(s), {stats.rules} rule(s), {stats.parsed}/{stats.expressions} "
        f"expression(s) parsed, {stats.errors_with_position} parse error(s) with a position, "
        f"{stats.errors_without_position} without, {len(stats.crashes)} crash(es)"
    )
    if fmt == "json":
        click.echo(as_json(findings, **asdict(stats)))
    else:
        click.echo(text(findings, summary))
    for crash in stats.crashes:
        click.echo(f"internal error (please report): {crash}", err=True)
    errors = [f for f in findings if f.suppressed is None and f.level is Level.ERROR]
    return 1 if errors or stats.crashes else 0
