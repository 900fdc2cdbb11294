"""``pfm-dash init [DIR]``: a new monitoring project, ready for ``import`` and ``build``.

Writes only what is missing and never overwrites a file: running it again, or in a folder
that already holds some of these files, keeps what is there and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

PYPROJECT_TABLE = """\
[tool.pfm-dash]
# Who pushes these dashboards (written in each pushed dashboard; push --prune deletes only
# its own), where the declarations live and where `pfm-dash build` writes.
project = "{name}"
sources = ["dashboards", "alerts"]
out = "build"
"""

PYPROJECT_TOOLS = """\

[tool.ruff]
# Modules written by `pfm-dash import` keep to 100 columns.
line-length = 100
target-version = "py311"

[tool.mypy]
strict = true
explicit_package_bases = true
"""

FILES: dict[str, str] = {
    "dashboards/__init__.py": '"""Dashboards: every module-level Dashboard here is built."""\n',
    "dashboards/catalog.py": '''\
"""What the monitored services expose: the metrics panels and alerts may use.

`pfm-dash check` resolves every query against the catalog. Declare one when you are ready
(until then check warns once, catalog-missing). `healthy=` says how a metric behaves when all
is well: `pfm-dash verify` serves that to a real Prometheus and proves each alert against it.

    from pfm_dash import Rate, Simulation
    from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType

    CATALOG = Catalog(
        exporters=[
            Exporter(
                name="api",
                metrics=[
                    Metric(
                        name="http_requests_total",
                        type=MetricType.COUNTER,
                        help="HTTP requests served, by status code.",
                        labels=["status"],
                        healthy=Rate(per_second=20, labels={"status": {"200": 0.99, "500": 0.01}}),
                    ),
                ],
            ),
        ],
        common_labels=["environment"],
    )
    # Where verify's simulated system runs, and where its faults strike.
    SIMULATION = Simulation(environments={"production": 1.0}, faults_in="production")
"""
''',
    "alerts/__init__.py": '"""Alerts: every module-level RuleGroup and Team here is built."""\n',
    "alerts/teams.py": '''\
"""The teams that own alerts. Each name is the `team` label and the Alertmanager receiver."""

from pfm_dash import Receiver, Team

OPS = Team(
    name="ops",
    description="Owns the alerts until a team of their own is declared.",
    # The address is filled in at deploy time (envsubst); it never lives in the repository.
    receiver=Receiver(email_env="OPS_EMAIL"),
)
''',
    ".pre-commit-config.yaml": """\
# build/ is generated and committed: this hook fails a commit that leaves it stale.
repos:
  - repo: local
    hooks:
      - id: pfm-dash-build-check
        name: pfm-dash build --check
        entry: pfm-dash build --check
        language: system
        pass_filenames: false
        files: ^(dashboards/|alerts/|build/|pyproject\\.toml$)
""",
    ".gitignore": ".pfm-dash/\n__pycache__/\n",
}


def project_name(folder: Path) -> str:
    """A project name from the folder's: lower case, letters, digits and '-'."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return name or "monitoring"


def scaffold(folder: Path, name: str) -> tuple[list[str], list[str]]:
    """Create what is missing; returns (created, kept) as paths relative to ``folder``."""
    created: list[str] = []
    kept: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    pyproject = folder / "pyproject.toml"
    table = PYPROJECT_TABLE.format(name=name)
    if not pyproject.exists():
        pyproject.write_text(table + PYPROJECT_TOOLS, "utf-8")
        created.append("pyproject.toml")
    elif "[tool.pfm-dash]" in pyproject.read_text("utf-8"):
        kept.append("pyproject.toml")
    else:
        text = pyproject.read_text("utf-8")
        pyproject.write_text(text.rstrip("\n") + "\n\n" + table, "utf-8")
        created.append("pyproject.toml [tool.pfm-dash]")
    for rel, text in FILES.items():
        path = folder / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        created.append(rel)
    return created, kept


@click.command("init")
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The project's name (default: the folder's name).")
def command(folder: Path, name: str | None) -> int:
    """Scaffold a monitoring project in FOLDER (default: here).

    Writes pyproject.toml's [tool.pfm-dash] table, dashboards/ with a catalog stub, alerts/
    with a teams module, and a pre-commit hook that keeps build/ fresh. Existing files are
    kept. Then: pfm-dash import ..., pfm-dash build.
    """
    name = name or project_name(folder)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise click.BadParameter("use letters, digits, '.', '_' and '-'", param_hint="--name")
    created, kept = scaffold(folder, name)
    for rel in created:
        click.echo(f"created {rel}")
    for rel in kept:
        click.echo(f"kept {rel} (exists)")
    click.echo(
        f"project {name!r} is ready in {folder}: next, pfm-dash import FILES (or --grafana-url "
        "URL --all), then pfm-dash build"
    )
    return 0
