"""``pfm-dash preview``: pictures of the dashboards, to review a change by looking at it."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("preview")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("preview"),
    show_default=True,
    help="Folder for one SVG per dashboard and index.html.",
)
@click.option(
    "--base",
    metavar="REV",
    help="Mark panels added, changed and removed since this git revision.",
)
@click.option(
    "--prometheus",
    metavar="URL",
    help="Fill the panels with this Prometheus' data over each dashboard's default time range.",
)
def command(out: Path, base: str | None, prometheus: str | None) -> int:
    """Draw every dashboard as Grafana lays it out (the 24-column grid, rows, each panel's
    title, kind, unit and threshold colours) into OUT/<uid>.svg, and OUT/index.html showing
    them all. Open index.html in a browser.
    """
    from pfm_dash.preview.data import Prometheus
    from pfm_dash.preview.write import write_previews
    from pfm_dash.project import load_config, load_project

    config = load_config()
    project = load_project(config)
    base_dashboards = None
    if base:
        # The same loader as `pfm-dash diff`: a temporary checkout, the user's tree untouched.
        from pfm_dash.review.revision import load_at

        with load_at(config.root, base) as at:
            base_dashboards = list(at.project.dashboards)
    written = write_previews(
        out,
        project.dashboards,
        base=base_dashboards,
        base_name=base or "",
        prometheus=Prometheus(prometheus) if prometheus else None,
    )
    click.echo(f"preview: {len(written) - 1} dashboard(s) drawn; open {written[-1]}")
    return 0
