"""``pfm-dash build``: compile the declarations into build/, or check build/ is fresh."""

from __future__ import annotations

from pathlib import Path

import click

from pfm_dash.cli.build_run import build


@click.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: [tool.pfm-dash] out, else build/).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list stale, missing and extra files and exit 1 if build/ is not fresh.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Always import and compile, even when no input changed since the last build.",
)
def command(out: Path | None, check: bool, no_cache: bool) -> int:
    """Compile dashboards/ and alerts/ into Grafana JSON, Prometheus rules, promtool tests
    and Grafana provisioning files under build/.

    Output is deterministic: the same source gives the same bytes, only files whose bytes
    change are rewritten, and files the source no longer declares are removed.
    """
    return build(out, check, no_cache)
