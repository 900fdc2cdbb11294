"""``pfm-dash import``: existing dashboards and rule files as Python declarations.

Only click is imported here; the parser, the writer and the Grafana client load when the
command runs, so ``pfm-dash --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("import")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the modules here (default: dashboards/, rules to the alerts folder).",
)
@click.option("--force", is_flag=True, help="Overwrite modules that already exist.")
@click.option(
    "--tests",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A promtool test file for the rule files given.",
)
@click.option("--grafana-url", metavar="URL", help="Pull from this Grafana (or $GRAFANA_URL).")
@click.option("--uid", "uids", multiple=True, metavar="UID", help="A dashboard to pull (repeat).")
@click.option(
    "--folder", metavar="FOLDER", help="Pull every dashboard in this folder (uid or title)."
)
@click.option("--all", "all_", is_flag=True, help="Pull every dashboard.")
@click.option("--org-id", type=int, help="Grafana organisation (X-Grafana-Org-Id).")
@click.option("--ca-cert", type=_FILE, help="CA bundle for a Grafana behind a private CA.")
@click.option("--insecure", is_flag=True, help="Skip TLS verification / allow plain http (warned).")
@click.option("--token-file", type=_FILE, help="Read the service-account token from this file.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds per request (default 30).")
@click.option("--retries", type=click.IntRange(0, 20), help="Retries of transient faults (4).")
def command(**flags: Any) -> int:
    """Import dashboards and rules as Python modules of this project.

    SOURCE is a dashboard JSON file, a Prometheus rule file (.yml/.yaml) or a folder of them.
    With --grafana-url (and --uid, --folder or --all) dashboards come from a live Grafana,
    with push's credentials: $GRAFANA_TOKEN, --token-file, or $GRAFANA_USER and
    $GRAFANA_PASSWORD. Nothing is written when anything collides or fails to parse. Exit
    codes: 0 ok, 1 Grafana failed, 2 bad input or collisions, 4 credentials refused.
    """
    from pfm_dash.importing.command import execute

    return execute(flags)
