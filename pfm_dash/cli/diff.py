"""``pfm-dash diff``: what a change does to the monitoring, in words (see docs/review.md).

Only click is imported here; the model and git work load when the command runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("diff")
@click.argument("base", required=False)
@click.option("--grafana-url", metavar="URL", help="Compare with live Grafana instead of BASE.")
@click.option(
    "--format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull request, json for programs.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything changed (like git diff).")
@click.option("--org-id", type=int, help="Grafana organisation (X-Grafana-Org-Id).")
@click.option("--ca-cert", type=_FILE, help="CA bundle for a Grafana behind a private CA.")
@click.option("--insecure", is_flag=True, help="Skip TLS verification / allow plain http (warned).")
@click.option("--token-file", type=_FILE, help="Read the service-account token from this file.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per request (default 30).")
@click.option("--retries", type=click.IntRange(0, 20), help="Retries of transient faults (4).")
@click.option("--backoff", type=click.FloatRange(min=0), help="Backoff factor in seconds (0.5).")
def command(base: str | None, **flags: Any) -> int:
    """Say what changed in the monitoring since BASE, as declarations, not JSON.

    BASE is a git revision; by default the merge-base with the upstream branch, else HEAD.
    Dashboards, panels, queries, alert rules, and which receivers each alert reaches are
    compared. With --grafana-url, compares what build would push with what is live in
    Grafana (credentials as for push: $GRAFANA_TOKEN, --token-file, or $GRAFANA_USER and
    $GRAFANA_PASSWORD). Exit codes: 0 ok, 1 changes with --exit-code, 2 usage or declaration
    errors (at BASE too), 4 credentials refused by Grafana.
    """
    if base and flags.get("grafana_url"):
        raise click.UsageError("give BASE or --grafana-url, not both")
    from pfm_dash.review.run import execute

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text, code = execute(base, flags, colour=colour)
    click.echo(text.rstrip("\n"))
    return code
