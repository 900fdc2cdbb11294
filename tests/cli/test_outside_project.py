"""Outside a project, the commands that need one refuse at once instead of doing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("command", [["build"], ["build", "--check"], ["check"], ["verify"]])
def test_refuses_outside_a_project(tmp_path: Path, command: list[str]) -> None:
    # A pyproject.toml without [tool.pfm-dash] is someone else's project, not ours.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n')
    result = run_cli(*command, cwd=tmp_path)
    assert result.code == 2, result.text
    assert "no pyproject.toml with [tool.pfm-dash]" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]
