"""``pfm-dash push``: ship dashboards, rules and routing to their servers (see docs/push.md).

Only click is imported here; requests and the push machinery load when the command runs, so
``pfm-dash --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

_FILE = click.Path(dir_okay=False, path_type=Path)
_DIR = click.Path(file_okay=False, path_type=Path)


@click.command("push")
@click.option("--grafana-url", metavar="URL", help="Grafana's base URL (or $GRAFANA_URL).")
@click.option("--prometheus-url", metavar="URL", help="Prometheus to reload (or $PROMETHEUS_URL).")
@click.option("--rules-dir", type=_DIR, help="The folder that Prometheus loads rule files from.")
@click.option("--alertmanager-url", metavar="URL", help="Alertmanager (or $ALERTMANAGER_URL).")
@click.option("--alertmanager-config", type=_FILE, help="The file Alertmanager loads.")
@click.option("--ruler-url", metavar="URL", help="Mimir or Cortex ruler (or $RULER_URL).")
@click.option("--tenant", help="Ruler tenant (X-Scope-OrgID).")
@click.option("--namespace", help="Ruler namespace for this project's rule groups.")
@click.option(
    "--ruler-alertmanager",
    is_flag=True,
    help="Also sync the Alertmanager configuration to Mimir (which refuses *_file secrets).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option(
    "--allow-stale-build",
    is_flag=True,
    help="Push even when build/ does not match the sources (what ships was not reviewed).",
)
@click.option("--diff", is_flag=True, help="Show a unified diff per changed dashboard.")
@click.option("--force", is_flag=True, help="Overwrite dashboards changed in Grafana.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete what this project pushed and no longer declares (needs [tool.pfm-dash] project).",
)
@click.option("--concurrency", type=click.IntRange(1, 64), help="Parallel requests (default 8).")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per request (default 30).")
@click.option("--org-id", type=int, help="Grafana organisation (X-Grafana-Org-Id).")
@click.option("--ca-cert", type=_FILE, help="CA bundle for a Grafana behind a private CA.")
@click.option("--insecure", is_flag=True, help="Skip TLS verification / allow plain http (warned).")
@click.option("--token-file", type=_FILE, help="Read the service-account token from this file.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--message", help="Version-history message (default: git HEAD commit and author).")
@click.option("--retries", type=click.IntRange(0, 20), help="Retries of transient faults (4).")
@click.option("--backoff", type=click.FloatRange(min=0), help="Backoff factor in seconds (0.5).")
@click.option("-v", "--verbose", is_flag=True, help="Print settings and requests (no secrets).")
def command(**flags: Any) -> int:
    """Ship the dashboards to Grafana, never overwriting an edit made there; and the rules and
    routing to Prometheus, Alertmanager or a Mimir ruler (each optional, any combination).

    Credentials come from $GRAFANA_TOKEN (a service-account token), --token-file, or
    $GRAFANA_USER and $GRAFANA_PASSWORD; a ruler's from $RULER_TOKEN or $RULER_USER and
    $RULER_PASSWORD. Exit codes: 0 ok, 1 failures (a reload refused and rolled back), 2 usage
    or declaration errors, 3 conflicts, 4 credentials or permissions refused, 130 interrupted.
    """
    from pfm_dash.errors import PfmDashError
    from pfm_dash.push.command import execute

    try:
        return execute(flags)
    except PfmDashError as exc:
        if flags.get("output") != "json":
            raise
        # A tool reading --output json gets JSON whatever happened; people still read stderr.
        click.echo(exc.render(), err=True)
        error = {"message": exc.render().removeprefix("error: "), "kind": type(exc).__name__}
        click.echo(json.dumps({"exit_code": exc.exit_code, "error": error}, indent=2))
        return exc.exit_code
