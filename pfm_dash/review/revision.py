"""The project as it was at a git revision, loaded without touching the user's tree.

API (used by ``pfm-dash diff`` and ``pfm-dash preview``)::

    with load_at(root, "main") as at:      # at: Revision
        at.project                          # the Project declared at that revision
        at.commit                           # the full commit id the revision names
        at.path                             # the project's folder in the temporary checkout

``load_at`` checks out only ``pyproject.toml`` and the configured source folders of the
revision into a temporary ``git worktree`` (the user's files and ``build/`` are never read or
written), imports the declarations there with the modules of the working tree set aside, and
removes the worktree when the ``with`` block ends. The returned objects stay valid afterwards.
A revision where the project did not exist yet gives an empty project, so everything in the
working tree shows as added. A revision whose declarations do not load raises
:class:`RevisionError` (exit 2), naming the revision and the file at it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pfm_dash.config import DEFAULT_SOURCES, Config, load_config
from pfm_dash.errors import ConfigError, PfmDashError
from pfm_dash.project import Project, load_project

__all__ = ["Revision", "RevisionError", "default_base", "git", "load_at"]


class RevisionError(PfmDashError):
    """The revision cannot be read, or its declarations do not load."""

    exit_code = 2

    def __init__(self, rev: str, detail: str) -> None:
        super().__init__(f"at revision {rev}: {detail}")
        self.rev = rev
        self.detail = detail

    def render(self) -> str:
        return f"error: the declarations at revision {self.rev} do not load:\n{self.detail}"


@dataclass(frozen=True)
class Revision:
    """A project loaded at ``rev`` (``commit`` is the full id; empty for an unborn branch)."""

    rev: str
    commit: str
    path: Path
    project: Project


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git quietly, with the repository's hooks off; the caller decides what failure means.

    A post-checkout hook of the user's would otherwise run in the temporary worktree.
    """
    return subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-C", str(cwd), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _toplevel(root: Path) -> Path:
    done = git(root, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ConfigError(
            f"{root} is not in a git repository, so there is no revision to compare with; "
            "run 'git init' and commit, or use --grafana-url"
        )
    return Path(done.stdout.strip())


def default_base(root: Path) -> str:
    """The merge-base with the upstream branch when there is one, else ``HEAD``."""
    upstream = git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if upstream.returncode == 0 and upstream.stdout.strip():
        base = git(root, "merge-base", "HEAD", upstream.stdout.strip())
        if base.returncode == 0 and base.stdout.strip():
            return base.stdout.strip()
    return "HEAD"


def _empty(root: Path) -> Project:
    return Project(config=Config(root=root), dashboards=[], groups=[], teams=[])


@contextmanager
def _modules_set_aside(config: Config, working_root: Path) -> Iterator[None]:
    """Import the revision's modules under their own names, then restore the working tree's.

    Both trees name their modules alike (``dashboards.queries``), so the working tree's are
    taken out of ``sys.modules`` (and its folder off ``sys.path``) while the revision loads.
    """
    tops = {Path(s).parts[0] for s in config.sources if Path(s).parts}
    mine = {n: m for n, m in sys.modules.items() if n.split(".")[0] in tops}
    saved_path = list(sys.path)
    for name in mine:
        del sys.modules[name]
    working = str(working_root.resolve())
    sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != working]
    try:
        yield
    finally:
        theirs: dict[str, ModuleType] = {
            n: m for n, m in sys.modules.items() if n.split(".")[0] in tops
        }
        for name in theirs:
            del sys.modules[name]
        sys.modules.update(mine)
        sys.path[:] = saved_path


@contextmanager
def load_at(root: Path, rev: str) -> Iterator[Revision]:
    """The project at ``root`` as declared at git revision ``rev`` (see the module doc)."""
    root = root.resolve()
    top = _toplevel(root).resolve()
    prefix = root.relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    commit = git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").stdout.strip()
    if not commit:
        if rev == "HEAD" and git(top, "rev-parse", "--verify", "--quiet", "HEAD").returncode:
            # An unborn branch: nothing committed yet, so everything is new.
            yield Revision(rev, "", root, _empty(root))
            return
        raise ConfigError(f"{rev!r} is not a revision of the repository at {top}")
    tmp = Path(tempfile.mkdtemp(prefix="pfm-dash-rev-"))
    checkout = tmp / "tree"
    try:
        added = git(top, "worktree", "add", "--detach", "--no-checkout", str(checkout), commit)
        if added.returncode != 0:
            raise ConfigError(f"git worktree add failed for {rev}: {added.stderr.strip()}")
        here = checkout / prefix
        yield Revision(rev, commit, here, _load(top, checkout, prefix, commit, rev, root))
    finally:
        git(top, "worktree", "remove", "--force", str(checkout))
        shutil.rmtree(tmp, ignore_errors=True)


def _sources(here: Path) -> list[str]:
    """The source folders the revision's pyproject.toml names, before they are checked out."""
    import tomllib

    try:
        data = tomllib.loads((here / "pyproject.toml").read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml: invalid TOML: {exc}") from None
    sources = data.get("tool", {}).get("pfm-dash", {}).get("sources", list(DEFAULT_SOURCES))
    return [s for s in sources if isinstance(s, str)] if isinstance(sources, list) else []


def _load(top: Path, checkout: Path, prefix: str, commit: str, rev: str, root: Path) -> Project:
    """Check out the project's files of ``commit`` and import them (few git runs: they cost)."""
    here = checkout / prefix
    shown = git(top, "show", f"{commit}:{prefix}pyproject.toml")
    if shown.returncode != 0 or "[tool.pfm-dash]" not in shown.stdout:
        return _empty(here)
    here.mkdir(parents=True, exist_ok=True)
    (here / "pyproject.toml").write_text(shown.stdout, "utf-8")
    try:
        wanted = [f"{prefix}{s}" for s in _sources(here)]
        paths = git(top, "ls-tree", "--name-only", commit, "--", *wanted).stdout.splitlines()
        if not wanted or not paths:
            return _empty(here)
        done = git(checkout, "checkout", commit, "--", *paths)
        if done.returncode != 0:
            raise ConfigError(f"git checkout failed: {done.stderr.strip()}")
        config = load_config(here)
        bytecode = sys.dont_write_bytecode
        sys.dont_write_bytecode = True  # the checkout is deleted: no use caching it
        try:
            with _modules_set_aside(config, root):
                return load_project(config)
        finally:
            sys.dont_write_bytecode = bytecode
    except PfmDashError as exc:
        text = exc.render().replace(str(here.resolve()) + "/", f"{rev}:")
        text = text.replace(str(here) + "/", f"{rev}:").replace("; nothing was written.", ".")
        raise RevisionError(rev, text) from None
