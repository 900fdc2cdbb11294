"""Fixtures: the defect project, checked once per session (see checks_testing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checks_testing import Checked, run, write_project


@pytest.fixture(scope="session")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def checked(bad_project: Path) -> Checked:
    """``check --format json --no-promtool``: positions from our own scan."""
    proc = run(bad_project, "check", "--format", "json", "--no-promtool")
    assert proc.stderr == "", proc.stderr
    text = run(bad_project, "check", "--no-promtool").stdout
    return Checked(bad_project, proc.returncode, json.loads(proc.stdout)["findings"], text)
