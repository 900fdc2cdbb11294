"""``pfm-dash build``: compile the declarations into build/, or check build/ is fresh."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pfm_dash import cache
from pfm_dash.errors import ConfigError

if TYPE_CHECKING:
    from pfm_dash.config import Config
    from pfm_dash.output import Change
    from pfm_dash.project import Project


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
    from pfm_dash.root import find_root

    root = find_root()
    out_dir = (out or _configured_out(root)).resolve()
    if not no_cache and cache.up_to_date(root, out_dir):
        return 0

    from pfm_dash.compiler import artifacts
    from pfm_dash.output import build_lock, sync_tree
    from pfm_dash.project import load_config, load_project

    config = load_config(root)
    _refuse_source_folder(config, out_dir)
    with build_lock(root):
        project = load_project(config)
        _refuse_nothing_declared(project)
        changes = sync_tree(out_dir, artifacts(project), check=check)
    if check:
        return _report_check(out_dir, changes)
    for change in changes:
        verb = {"missing": "wrote", "stale": "updated", "extra": "removed"}[change.kind]
        click.echo(f"{verb:8} {_rel(out_dir)}/{change.path}")
    click.echo(
        f"{_rel(out_dir)}/: {len(project.dashboards)} dashboard(s), {len(project.groups)} rule "
        f"group(s), {len(project.alerts)} alert(s); {len(changes)} file(s) changed"
    )
    if not no_cache:
        cache.record(root, out_dir, config.sources)
    return 0


def _refuse_source_folder(config: Config, out_dir: Path) -> None:
    """The output folder is pruned: it must not hold the project's own sources."""
    for source in (config.root, *(config.root / s for s in config.sources)):
        if source.resolve().is_relative_to(out_dir):
            raise ConfigError(
                f"--out {out_dir} contains {source}: pfm-dash removes generated files it no "
                "longer declares there; choose a folder of its own, such as build/"
            )


def _refuse_nothing_declared(project: Project) -> None:
    """No declarations at all is a mistake (modules moved, a wrong folder), never an empty
    build: it would remove every generated file from build/."""
    if project.dashboards or project.groups or project.teams:
        return
    folders = ", ".join(f"{s}/" for s in project.config.sources)
    raise ConfigError(
        f"{folders} declare no dashboard, rule group or team, so there is nothing to build and "
        f"{_rel(project.config.out_dir)}/ was left as it is; declare them at module level in a "
        "*.py file there (see the README's tour), or fix [tool.pfm-dash] sources"
    )


def _configured_out(root: Path) -> Path:
    from pfm_dash.config import load_config

    return load_config(root).out_dir


def _report_check(out_dir: Path, changes: list[Change]) -> int:
    if not changes:
        click.echo(f"{_rel(out_dir)}/ is fresh")
        return 0
    for change in changes:
        what = {
            "missing": "missing (the source declares it)",
            "stale": "stale (differs from what the source compiles to)",
            "extra": "extra (the source no longer declares it)",
        }[change.kind]
        click.echo(f"{_rel(out_dir)}/{change.path}: {what}", err=True)
    click.echo(
        f"{_rel(out_dir)}/ does not match the source ({len(changes)} file(s)); "
        "run 'pfm-dash build' and commit the result",
        err=True,
    )
    return 1


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
