"""A build writes Grafana JSON itself: grafanalib is never imported (it was the largest
single cost of a build)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

_PROGRAM = """
import sys
from pfm_dash.cli.app import run
try:
    run(["build", "--no-cache", "--out", sys.argv[1]])
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted(name for name in sys.modules if name.split(".")[0] == "grafanalib"))
"""


def test_a_full_uncached_build_of_the_project_does_not_import_grafanalib(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "grafana" / "dashboards").iterdir()) == [
        "pfm-overview.json",
        "pfm-signals.json",
    ]
    assert proc.stdout.strip().splitlines()[-1] == "[]"
