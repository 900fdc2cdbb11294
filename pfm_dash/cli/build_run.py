"""What ``pfm-dash build`` does, without click: the build is what people run most, and
click's import is a fifth of it. :mod:`pfm_dash.cli` calls :func:`run` straight away for the
usual forms (``build``, ``--check``, ``--no-cache``); any other form, ``--help`` included,
goes through the click command in :mod:`pfm_dash.cli.build`, which calls :func:`build`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pfm_dash import cache
from pfm_dash.root import find_root

TYPE_CHECKING = False  # not typing's: importing typing costs a no-op build a third of its time
if TYPE_CHECKING:
    from pfm_dash.config import Config
    from pfm_dash.output import Changes
    from pfm_dash.project import Project


def echo(message: str, err: bool = False) -> None:
    """As ``click.echo`` writes a line of text."""
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


def run(check: bool, no_cache: bool) -> None:
    """``pfm-dash build [--check] [--no-cache]``: exits as the click group would."""
    # A build with nothing to do is answered with the cache and the root alone: not even the
    # error types are imported.
    if not no_cache and cache.up_to_date(find_root()):
        sys.exit(0)
    from pfm_dash.errors import PfmDashError

    try:
        code = build(None, check, no_cache, cache_checked=True)
    except PfmDashError as exc:
        echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)
        echo("Aborted.", err=True)
        sys.exit(130)
    sys.exit(code)


def build(out: Path | None, check: bool, no_cache: bool, cache_checked: bool = False) -> int:
    """Compile into ``out`` (or the configured folder), or with ``check`` only compare."""
    root = find_root()
    # Without --out the recorded output folder is the configured one (the key covers
    # pyproject.toml), so a no-op build reads no configuration.
    if not (no_cache or cache_checked) and out is None and cache.up_to_date(root):
        return 0

    from pfm_dash.config import load_config

    config = load_config(root)
    out_dir = (out or config.out_dir).resolve()
    if not no_cache and out is not None and cache.up_to_date(root, out_dir):
        return 0

    from pfm_dash.compiler import artifacts
    from pfm_dash.output import build_lock, sync_tree
    from pfm_dash.project import load_project

    _refuse_source_folder(config, out_dir)
    with build_lock(root):
        project = load_project(config)
        _refuse_nothing_declared(project)
        files = artifacts(project, stage_in=None if check else out_dir)
        changes = sync_tree(out_dir, files, check=check)
    if check:
        return _report_check(out_dir, changes)
    for change in changes:
        verb = {"missing": "wrote", "stale": "updated", "extra": "removed"}[change.kind]
        echo(f"{verb:8} {_rel(out_dir)}/{change.path}")
    echo(
        f"{_rel(out_dir)}/: {len(project.dashboards)} dashboard(s), {len(project.groups)} rule "
        f"group(s), {len(project.alerts)} alert(s); {len(changes)} file(s) changed"
    )
    if not no_cache:
        cache.record(root, out_dir, config.sources)
    return 0


def _refuse_source_folder(config: Config, out_dir: Path) -> None:
    """The output folder is pruned: it must not hold the project's own sources."""
    from pfm_dash.errors import ConfigError

    for source in (config.root, *(config.root / s for s in config.sources)):
        if source.resolve().is_relative_to(out_dir):
            raise ConfigError(
                f"--out {out_dir} contains {source}: pfm-dash removes generated files it no "
                "longer declares there; choose a folder of its own, such as build/"
            )


def _refuse_nothing_declared(project: Project) -> None:
    """No declarations at all is a mistake (modules moved, a wrong folder), never an empty
    build: it would remove every generated file from build/."""
    from pfm_dash.errors import ConfigError

    if project.dashboards or project.groups or project.teams:
        return
    folders = ", ".join(f"{s}/" for s in project.config.sources)
    raise ConfigError(
        f"{folders} declare no dashboard, rule group or team, so there is nothing to build and "
        f"{_rel(project.config.out_dir)}/ was left as it is; declare them at module level in a "
        "*.py file there (see the README's tour), or fix [tool.pfm-dash] sources"
    )


def _report_check(out_dir: Path, changes: Changes) -> int:
    if not changes:
        echo(f"{_rel(out_dir)}/ is fresh")
        return 0
    for change in changes:
        what = {
            "missing": "missing (the source declares it)",
            "stale": "stale (differs from what the source compiles to)",
            "extra": "extra (the source no longer declares it)",
        }[change.kind]
        echo(f"{_rel(out_dir)}/{change.path}: {what}", err=True)
    echo(
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
