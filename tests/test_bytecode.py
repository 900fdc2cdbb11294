"""An edit is built even when Python's byte-code cache cannot tell it from the old file by
size and modification time: the project's modules get ``.pyc`` files checked by content."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from pfm_dash.bytecode import is_checked

# Python's default, which some sandboxes turn off: byte-code is cached.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = str(ROOT)


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", "build", *args],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def test_an_edit_of_the_same_size_in_the_same_second_is_built(pfm_copy: Path) -> None:
    source = pfm_copy / "dashboards/pfm_overview.py"
    out = pfm_copy / "build/grafana/dashboards/pfm-overview.json"
    build(pfm_copy, "--no-cache")
    stamp = source.stat().st_mtime_ns
    # The same size and the same modification time: Python's timestamp check passes.
    text = source.read_text()
    assert 'title="Error Rate"' in text
    source.write_text(text.replace('title="Error Rate"', 'title="Error Ra7e"'))
    os.utime(source, ns=(stamp, stamp))
    build(pfm_copy)
    assert '"title": "Error Ra7e"' in out.read_text()
    # ... and once more, now that the module's .pyc is the checked kind.
    source.write_text(text.replace('title="Error Rate"', 'title="Error Ra8e"'))
    os.utime(source, ns=(stamp, stamp))
    build(pfm_copy)
    assert '"title": "Error Ra8e"' in out.read_text()
    check = build(pfm_copy, "--check", "--no-cache")
    assert check.stdout == "build/ is fresh\n"


def test_only_the_projects_own_modules_get_checked_pycs(pfm_copy: Path) -> None:
    build(pfm_copy, "--no-cache")
    pycs = sorted((pfm_copy / "dashboards").glob("__pycache__/*.pyc"))
    pycs += sorted((pfm_copy / "alerts").glob("__pycache__/*.pyc"))
    assert pycs and all(is_checked(p) for p in pycs)
    # pfm-dash's own modules keep Python's timestamp kind (hashing them would slow imports).
    own = sorted((ROOT / "pfm_dash" / "__pycache__").glob("*.pyc"))
    assert not any(is_checked(p) for p in own)
