"""``pfm-dash init``: a project that builds at once, and never a clobbered file."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import run_cli

BIN = Path(sys.executable).parent


def test_init_scaffolds_a_project_that_builds(tmp_path: Path) -> None:
    result = run_cli("init", "team-monitoring", cwd=tmp_path)
    assert result.code == 0, result.text
    root = tmp_path / "team-monitoring"
    table = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pfm-dash"]
    assert table == {
        "project": "team-monitoring",
        "sources": ["dashboards", "alerts"],
        "out": "build",
    }
    for rel in ("dashboards/__init__.py", "dashboards/catalog.py", "alerts/teams.py"):
        assert (root / rel).is_file(), rel
    hooks = (root / ".pre-commit-config.yaml").read_text()
    assert "entry: pfm-dash build --check" in hooks
    built = run_cli("build", cwd=root)
    assert built.code == 0, built.text
    assert (root / "build/alertmanager/alertmanager.yml").read_text().count("name: ops") == 1
    assert run_cli("build", "--check", cwd=root).code == 0


def test_scaffolded_modules_pass_ruff_and_mypy(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).code == 0
    for command in (
        [str(BIN / "ruff"), "check", "--no-cache", "."],
        [str(BIN / "ruff"), "format", "--check", "--no-cache", "."],
        [sys.executable, "-m", "mypy", "--no-incremental", "dashboards", "alerts"],
    ):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr


def test_init_keeps_what_exists_and_adds_the_table_to_a_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "svc"\n')
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "teams.py").write_text("# ours\n")
    result = run_cli("init", "--name", "svc-mon", cwd=tmp_path)
    assert result.code == 0, result.text
    data = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert data["project"] == {"name": "svc"}
    assert data["tool"]["pfm-dash"]["project"] == "svc-mon"
    assert (tmp_path / "alerts" / "teams.py").read_text() == "# ours\n"
    assert "kept alerts/teams.py (exists)" in result.out
    again = run_cli("init", cwd=tmp_path)
    assert again.code == 0 and "created" not in again.out
    assert (tmp_path / "pyproject.toml").read_text().count("[tool.pfm-dash]") == 1


def test_a_bad_name_is_refused(tmp_path: Path) -> None:
    result = run_cli("init", "--name", "no spaces", cwd=tmp_path)
    assert result.code == 2 and "--name" in result.err and "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == []
