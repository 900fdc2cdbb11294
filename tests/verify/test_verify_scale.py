"""Waves scale: PFM's alerts plus 48 generated ones, each with its own fault, are all proven in
as many waves as PFM's alone, since no generated fault touches what another alert reads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from verify.generated_project import add_generated, copy_pfm

pytestmark = pytest.mark.skipif(
    shutil.which("prometheus") is None, reason="needs prometheus and alertmanager (make tools)"
)


def test_48_generated_alerts_are_proven_in_the_same_waves(tmp_path: Path) -> None:
    project = copy_pfm(tmp_path / "project")
    generated = add_generated(project, 48)
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", "verify", f"--report={report}"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = {row["alert"]: row for row in json.loads(report.read_text())["rows"]}
    assert len(rows) == 60 and set(generated) <= set(rows)
    assert all(row["ok"] for row in rows.values())
    assert {rows[name]["wave"] for name in generated} == {1}
    assert max(row["wave"] for row in rows.values()) == 2, "only ServiceDown waits"
    assert {rows[name]["receivers_got"][0] for name in generated} == {"platform"}
