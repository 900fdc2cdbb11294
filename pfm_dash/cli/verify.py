"""``pfm-dash verify``: prove every alert fires and reaches its team, with the real tools."""

from __future__ import annotations

import difflib
import json
import os
import signal
from pathlib import Path
from types import FrameType

import click


class _Terminated(KeyboardInterrupt):
    """SIGTERM: unwinds like Ctrl-C (children stopped on the way out), but exits 143."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def _check_only(only: tuple[str, ...], known: list[str]) -> None:
    """An --only name that names no alert is a typo: refuse it before anything starts."""
    for name in only:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise click.BadParameter(f"no alert is named {name!r}{hint}", param_hint="--only")


def _check_report_path(path: Path | None) -> None:
    """The report is written after the whole run: an unwritable path must fail first."""
    if path is None:
        return
    folder = path.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.BadParameter(
            f"cannot write {path}: {folder} is not a writable folder", param_hint="--report"
        )


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
@click.option(
    "--preview",
    "preview_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Draw the dashboards with the run's data here, healthy and as each alert fires.",
)
def command(
    report_file: Path | None, only: tuple[str, ...], keep: bool, preview_dir: Path | None
) -> int:
    """Run the simulated system (the catalog's healthy behaviours), the real Prometheus and
    Alertmanager, and prove that nothing fires when healthy, every panel query returns data,
    and each alert fires on its scenario's fault, reaches the receivers its routing names, and
    resolves.

    Rules run sped up (see docs/verify.md); exit 1 if anything is missing.
    """
    from pfm_dash.checks.shipped import alertmanager_findings
    from pfm_dash.errors import ToolError
    from pfm_dash.project import load_config, load_project
    from pfm_dash.verify.harness import Run
    from pfm_dash.verify.report import table

    _check_report_path(report_file)
    project = load_project(load_config())
    _check_only(only, [a.name for a in project.alerts])
    # Verify swaps every receiver for its recorder: judge the shipped file first, or a file
    # Alertmanager refuses would pass.
    refused = alertmanager_findings(project)
    if refused:
        for found in refused:
            click.echo(f"{found.location.file}: error: {found.message}", err=True)
        return 2
    snapshots = None
    if preview_dir is not None:
        from pfm_dash.preview.snapshots import Snapshots

        snapshots = Snapshots(preview_dir, project.dashboards)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    run = Run(project, say=click.echo, only=set(only) or None, keep=keep, snapshot=snapshots)
    try:
        report = run.execute()
    except KeyboardInterrupt as exc:
        kept = run.report.run_dir
        click.echo("interrupted: every server was stopped", err=True)
        if kept:
            click.echo(f"run folder kept with configs and logs: {kept}", err=True)
        raise SystemExit(143 if isinstance(exc, _Terminated) else 130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if snapshots is not None:
        click.echo(f"previews of {len(snapshots.pages)} moment(s): {snapshots.finish()}")
    if report.setup_error:
        # Nothing was proven or disproven: no table, just what failed (its log tail included).
        click.echo(f"verify could not run: {report.setup_error}", err=True)
        if report.run_dir:
            click.echo(f"run folder kept with configs and logs: {report.run_dir}", err=True)
        return ToolError.exit_code
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
