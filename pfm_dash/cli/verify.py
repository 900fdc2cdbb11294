"""``pfm-dash verify``: prove every alert fires and reaches its team, with the real tools."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from types import FrameType

import click


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends the run like Ctrl-C does, so the children are stopped on the way out."""
    raise KeyboardInterrupt


@click.command("verify")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON report (rows, healthy window, panel queries, rule health) here.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="ALERT",
    help="Prove only this alert (repeatable); the baseline and panel checks still run.",
)
@click.option("--keep", is_flag=True, help="Keep the run folder (configs, logs) even on success.")
def command(report_file: Path | None, only: tuple[str, ...], keep: bool) -> int:
    """Run the simulated PFM backend, the real Prometheus and Alertmanager, and prove that
    nothing fires when healthy, every panel query returns data, and each alert fires on its
    scenario's fault, reaches the receivers its routing names, and resolves.

    Rules run sped up (see docs/verify.md); exit 1 if anything is missing.
    """
    from pfm_dash.checks.shipped import alertmanager_findings
    from pfm_dash.project import load_config, load_project
    from pfm_dash.verify.harness import Run
    from pfm_dash.verify.report import table

    project = load_project(load_config())
    # Verify swaps every receiver for its recorder: judge the shipped file first, or a file
    # Alertmanager refuses would pass.
    refused = alertmanager_findings(project)
    if refused:
        for found in refused:
            click.echo(f"{found.location.file}: error: {found.message}", err=True)
        return 1
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = Run(project, say=click.echo, only=set(only) or None, keep=keep).execute()
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("")
    click.echo(table(report))
    if report_file is not None:
        report_file.write_text(json.dumps(report.to_json(), indent=2) + "\n", "utf-8")
        click.echo(f"report written to {report_file}")
    if report.ok:
        click.echo("verify: every alert proven")
        return 0
    click.echo("", err=True)
    for line in report.failures():
        click.echo(f"FAILED {line}", err=True)
    click.echo(f"run folder kept with configs and logs: {report.run_dir}", err=True)
    for log in sorted(Path(report.run_dir).glob("*.log")):
        tail = log.read_text("utf-8", errors="replace").splitlines()[-15:]
        click.echo(f"--- {log.name} (last lines) ---", err=True)
        click.echo("\n".join(tail), err=True)
    return 1
