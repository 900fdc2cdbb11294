"""Shared fixtures: throwaway projects and running the real CLI in a subprocess.

The CLI runs in a fresh interpreter for each call, as a user runs it, so module caching,
exit codes and "no traceback" are tested for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PYPROJECT = """\
[project]
name = "fixture"
version = "0"

[tool.pfm-dash]
sources = ["dashboards", "alerts"]
out = "build"
"""


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(*args: str, cwd: Path) -> Result:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


MakeProject = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write a small project: {relative path: source}; packages get their __init__.py."""

    def make(files: dict[str, str]) -> Path:
        (tmp_path / "pyproject.toml").write_text(PYPROJECT)
        for folder in ("dashboards", "alerts"):
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / "__init__.py").touch()
        for rel, source in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source))
        return tmp_path

    return make


@pytest.fixture
def pfm_copy(tmp_path: Path) -> Path:
    """A copy of the bundled PFM monitoring with its committed build/."""
    for name in ("dashboards", "alerts", "build"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path
