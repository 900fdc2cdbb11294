"""The README's tour works word for word: its Python goes into a copy of the project, which
then builds, passes the project's own ruff and mypy, whose new alert passes promtool, and
which `pfm-dash verify --only <the new alert>` proves with the README's own command.

A block whose first line is ``# path/to/module.py`` is that whole file; ``# path (add at the
end)`` is appended to an existing one. Every Python block in the README must be one of these.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

BLOCK = re.compile(r"```python\n(.*?)```", re.S)
SHELL = re.compile(r"```sh\n(.*?)```", re.S)
VERIFY = re.compile(r"^\.venv/bin/pfm-dash (verify --only \w+)$", re.M)
TARGET = re.compile(r"# (?P<path>[\w/]+\.py)(?P<add> \(add at the end\))?\n")


def blocks() -> list[tuple[str, bool, str]]:
    """(relative path, append?, code) for every Python block of the README."""
    out = []
    for code in BLOCK.findall((ROOT / "README.md").read_text("utf-8")):
        head = TARGET.match(code)
        assert head, f"a README Python block does not start with '# path.py':\n{code[:200]}"
        out.append((head["path"], bool(head["add"]), code[head.end() :]))
    return out


def test_every_python_block_names_its_file() -> None:
    assert len(blocks()) >= 3


def test_the_tours_build_and_lint_in_a_copy_of_the_project(pfm_copy: Path) -> None:
    written = []
    for rel, append, code in blocks():
        path = pfm_copy / rel
        if append:
            assert path.exists(), f"the README adds to {rel}, which the project does not have"
            path.write_text(path.read_text("utf-8") + "\n\n" + code, "utf-8")
        else:
            assert not path.exists(), f"the README's new module {rel} already exists"
            path.write_text(code, "utf-8")
        written.append(str(path))
    built = run_cli("build", cwd=pfm_copy)
    assert built.code == 0, built.text
    assert "pfm-cache.json" in built.out and "pfm-cache.rules.yml" in built.out
    tools = Path(sys.executable).parent
    for argv in (
        [str(tools / "ruff"), "check", *written],
        [str(tools / "ruff"), "format", "--check", *written],
        [str(tools / "mypy"), "--strict", "dashboards", "alerts"],
    ):
        done = subprocess.run(argv, cwd=pfm_copy, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{' '.join(argv[:2])}:\n{done.stdout}{done.stderr}"
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (make tools): the alert's tests were not run")
    tested = subprocess.run(
        [promtool, "test", "rules", "build/prometheus/tests/pfm-cache.test.yml"],
        cwd=pfm_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    if shutil.which("prometheus") is None:
        pytest.skip("prometheus is not installed (make tools): the tour's verify was not run")
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = [c for block in SHELL.findall(readme) for c in VERIFY.findall(block)]
    assert commands == ["verify --only CacheHitRatioLow"], "the tour ends by proving its alert"
    proven = run_cli(*commands[0].split(), cwd=pfm_copy)
    assert proven.code == 0, proven.text
    assert "CacheHitRatioLow: fired after" in proven.out and "['platform']" in proven.out
    assert "verify: every alert proven" in proven.out
