"""load_at: the project at a revision, with the user's tree, modules and worktrees left alone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pfm_dash.config import load_config
from pfm_dash.errors import ConfigError
from pfm_dash.project import load_project
from pfm_dash.review.revision import RevisionError, default_base, load_at
from tests.review.conftest import Repo, make_repo


def _project_modules() -> dict[str, ModuleType]:
    return {n: m for n, m in sys.modules.items() if n.split(".")[0] in ("dashboards", "alerts")}


@pytest.fixture
def clean_modules() -> Iterator[None]:
    """Other tests import this repository's own dashboards/alerts: set them aside here."""
    saved = _project_modules()
    for name in saved:
        del sys.modules[name]
    yield
    for name in _project_modules():
        del sys.modules[name]
    sys.modules.update(saved)


@pytest.mark.usefixtures("clean_modules")
def test_load_at_restores_the_working_trees_modules(repo: Repo) -> None:
    (repo.path / "dashboards" / "scratch.py").write_text(
        (repo.path / "dashboards" / "scratch.py").read_text().replace('"Scratch"', '"Now"')
    )
    sys.path.insert(0, str(repo.path))
    try:
        mine = load_project(load_config(repo.path))
        module = sys.modules["dashboards.scratch"]
        with load_at(repo.path, "HEAD") as at:
            titles = {d.uid: d.title for d in at.project.dashboards}
            assert titles["scratch"] == "Scratch"
            assert at.commit == repo.git("rev-parse", "HEAD")
            assert at.path.is_dir() and not (at.path / "build").exists()
        assert sys.modules["dashboards.scratch"] is module
        assert {d.uid: d.title for d in mine.dashboards}["scratch"] == "Now"
        assert not at.path.exists()
        assert repo.git("worktree", "list").count("\n") == 0
    finally:
        sys.path.remove(str(repo.path))


def test_unborn_branch_and_missing_project_are_empty(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", with_project=False)
    with load_at(repo.path, "HEAD") as at:
        assert at.commit == "" and at.project.dashboards == []
    repo.commit("readme only")
    with load_at(repo.path, "HEAD") as at:
        assert at.project.groups == [] and at.commit


def test_bad_revisions_and_no_repository(tmp_path: Path, repo: Repo) -> None:
    with pytest.raises(ConfigError, match="not a revision"), load_at(repo.path, "nope"):
        pass
    with pytest.raises(ConfigError, match="not in a git repository"), load_at(tmp_path, "HEAD"):
        pass
    assert default_base(repo.path) == "HEAD"


def test_a_broken_revision_names_itself(repo: Repo) -> None:
    path = repo.path / "dashboards" / "scratch.py"
    path.write_text(path.read_text() + "\nraise ValueError('boom')\n")
    repo.commit("broken")
    with pytest.raises(RevisionError) as caught, load_at(repo.path, "HEAD"):
        pass
    assert "HEAD:dashboards/scratch.py:8" in caught.value.render()


def test_the_users_hooks_do_not_run_in_the_temporary_worktree(repo: Repo) -> None:
    hook = repo.path / ".git" / "hooks" / "post-checkout"
    marker = repo.path.parent / "hook-ran"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    with load_at(repo.path, "HEAD") as at:
        assert at.project.dashboards
    assert not marker.exists()
