"""check and verify judge the Alertmanager file build ships with the real amtool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from checks_testing import run, write_project

pytestmark = pytest.mark.skipif(shutil.which("amtool") is None, reason="needs amtool (make tools)")

# Accepted by the DSL (settings are not declarations) but refused by Alertmanager.
BAD_SMTP = '\n[tool.pfm-dash.alertmanager]\nsmtp_smarthost = "nohostport"\n'


def _broken(tmp_path: Path) -> Path:
    root = write_project(tmp_path)
    with (root / "pyproject.toml").open("a") as f:
        f.write(BAD_SMTP)
    return root


def test_check_fails_when_amtool_refuses_the_shipped_file(tmp_path: Path) -> None:
    proc = run(_broken(tmp_path), "check", "--format", "json", "--no-promtool")
    assert proc.returncode == 1
    hits = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "alertmanager-config"]
    assert len(hits) == 1, proc.stdout
    assert hits[0]["file"].endswith("build/alertmanager/alertmanager.yml")
    assert "missing port in address" in hits[0]["message"]


def test_check_is_quiet_when_amtool_accepts(tmp_path: Path) -> None:
    proc = run(write_project(tmp_path), "check", "--format", "json", "--no-promtool")
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert "alertmanager-config" not in rules and "tool-failed" not in rules


def test_verify_refuses_before_starting_anything(tmp_path: Path) -> None:
    proc = run(_broken(tmp_path), "verify")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "amtool check-config refuses the file build writes" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "starting" not in proc.stdout.lower()


def test_check_runs_the_declared_alert_tests_with_promtool(pfm_copy: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.skip("needs promtool (make tools)")
    business = pfm_copy / "alerts" / "business.py"
    text = business.read_text()
    old = 'labels={"environment": "production"},\n                    annotations'
    assert old in text
    business.write_text(text.replace(old, old.replace("production", "staging"), 1))
    proc = run(pfm_copy, "check", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [hit] = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "alert-test-failed"]
    assert hit["file"].endswith("alerts/business.py") and hit["object"] == "alert NoVotesRecorded"
    assert 'environment="staging"' in hit["message"] and "got:" in hit["message"]
