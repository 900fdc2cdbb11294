"""The project's dashboards as they were at a git revision, for ``preview --base``.

The revision's files come from ``git archive`` into a temporary folder (the user's tree is
never touched) and are imported there. Declaration modules have the same names at both
revisions (``dashboards.overview``), so the working tree's modules are set aside while the
base is imported and put back after. A revision where the project did not exist yet has no
dashboards, so everything shows as added.

When the review package's loader (``pfm_dash.review.revision.load_at``, shared with
``pfm-dash diff``) is installed it is used instead, so both commands read a revision alike.
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pfm_dash.config import load_config
from pfm_dash.errors import ConfigError, PfmDashError
from pfm_dash.model.dashboard import Dashboard


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120
    )
    if done.returncode != 0:
        raise ConfigError(
            f"git {' '.join(args)} failed in {root}: {done.stderr.decode(errors='replace').strip()}"
        )
    return done.stdout


@contextmanager
def _isolated(packages: tuple[str, ...], root: Path) -> Iterator[None]:
    """Import ``packages`` afresh from ``root``; the caller's modules come back afterwards."""

    def ours(name: str) -> bool:
        return any(name == p or name.startswith(p + ".") for p in packages)

    saved = {n: m for n, m in sys.modules.items() if ours(n)}
    for name in saved:
        del sys.modules[name]
    saved_path = list(sys.path)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
        sys.path[:] = saved_path
        importlib.invalidate_caches()


def _review_loader() -> Any:
    """``pfm_dash.review.revision.load_at`` (the diff command's loader) once it is merged."""
    try:
        module = importlib.import_module("pfm_dash.review.revision")
    except ImportError:
        return None
    return getattr(module, "load_at", None)


def dashboards_at(root: Path, rev: str) -> list[Dashboard]:
    """Every dashboard the project at ``rev`` declares (none when it had no project yet)."""
    loader = _review_loader()
    if loader is not None:
        with loader(root, rev) as at:
            return list(at.project.dashboards)
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode()
    except ConfigError:
        raise ConfigError(
            f"--base {rev!r} is not a revision of the git repository at {root}",
        ) from None
    commit = commit.strip()
    archive = _git(root, "archive", "--format=tar", commit)
    with tempfile.TemporaryDirectory(prefix="pfm-dash-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        base_root = Path(tmp)
        pyproject = base_root / "pyproject.toml"
        if not pyproject.is_file() or "[tool.pfm-dash]" not in pyproject.read_text("utf-8"):
            return []
        from pfm_dash.project import load_project

        try:
            config = load_config(base_root)
            with _isolated(config.sources, base_root):
                return load_project(config).dashboards
        except PfmDashError as exc:
            text = exc.render().replace(str(base_root) + "/", "")
            raise ConfigError(
                f"the project at {rev} ({commit[:12]}) does not load:\n{text}"
            ) from None
