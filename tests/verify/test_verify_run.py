"""`pfm-dash verify` for real: the simulated backend, Debian's Prometheus and Alertmanager.

Two runs, each under a minute on two cores: the bundled PFM monitoring must pass every
check, and a copy with one misspelled metric must fail and name the alert.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Result

from pfm_dash.project import load_config, load_project

TOOLS = ("prometheus", "promtool", "prometheus-alertmanager", "amtool")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="needs Debian's prometheus and prometheus-alertmanager (make tools)",
)


def verify(cwd: Path, report: Path, *args: str) -> tuple[Result, dict[str, Any], float]:
    """Run the CLI as a user does, in ``cwd``; the JSON report goes to ``report``."""
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", "verify", f"--report={report}", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    took = time.monotonic() - started
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    assert report.is_file(), result.text
    return result, json.loads(report.read_text()), took


def test_verify_proves_every_pfm_alert(tmp_path: Path) -> None:
    project = load_project(load_config(ROOT))
    result, report, took = verify(ROOT, tmp_path / "report.json")
    assert result.code == 0, result.text
    assert report["ok"] and report["failures"] == []
    rows = {row["alert"]: row for row in report["rows"]}
    assert set(rows) == {a.name for a in project.alerts}
    for rule in project.alerts:
        row = rows[rule.name]
        assert rule.scenario is not None
        assert row["scenario"] == rule.scenario.fault.name
        assert row["fired_after_s"] is not None, row
        assert row["receivers_got"] == row["receivers_expected"] != [], row
        assert row["resolved_after_s"] is not None and row["resolved_delivered"], row
    assert rows["HighErrorRate"]["receivers_got"] == ["platform"]
    assert rows["FailedLoginSpike"]["receivers_got"] == ["security"]
    assert rows["NoVotesRecorded"]["receivers_got"] == ["development"]
    healthy = report["healthy"]
    assert healthy["ok"] and healthy["seconds"] >= healthy["required"] >= 10
    queries = [q for d in project.dashboards for p in d.all_panels() for q in p.queries]
    assert len(report["panels"]) == len(queries)
    assert all(p["ok"] and p["series"] > 0 for p in report["panels"])
    assert report["rules"] and all(r["health"] == "ok" for r in report["rules"])
    assert "verify: every alert proven" in result.out
    assert "HighErrorRate" in result.out and "fired after" in result.out
    print(f"pfm-dash verify took {took:.1f}s (report: {report['seconds']}s)")
    assert took < 180


def test_a_misspelled_metric_fails_and_names_the_alert(pfm_copy: Path) -> None:
    containers = pfm_copy / "alerts" / "containers.py"
    source = containers.read_text()
    typo = source.replace(
        "max by (name, environment) (container_memory_usage_bytes{",
        "max by (name, environment) (container_memory_usage_byte{",
    )
    assert typo != source
    containers.write_text(typo)
    result, report, _ = verify(
        pfm_copy, pfm_copy / "report.json", "--only=ContainerMemoryHigh", "--only=ContainerCPUHigh"
    )
    assert result.code == 1, result.text
    rows = {row["alert"]: row for row in report["rows"]}
    assert set(rows) == {"ContainerMemoryHigh", "ContainerCPUHigh"}
    assert rows["ContainerCPUHigh"]["ok"], rows["ContainerCPUHigh"]
    broken = rows["ContainerMemoryHigh"]
    assert not broken["ok"] and broken["fired_after_s"] is None
    assert "did not fire" in broken["problems"][0]
    assert "FAILED ContainerMemoryHigh: did not fire" in result.err
    assert report["healthy"]["ok"], "a metric that never exists cannot fire when healthy"
    assert report["run_dir"] and "prometheus.log" in result.err
    shutil.rmtree(report["run_dir"], ignore_errors=True)
