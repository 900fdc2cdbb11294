"""``pfm-dash check`` and ``check-rules`` as a user runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from checks_testing import ROOT, run, write_project


def test_bundled_pfm_monitoring_is_clean() -> None:
    proc = run(ROOT, "check", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert summary == {"errors": 0, "warnings": 0, "suppressed": 0}


def test_json_findings_carry_every_field(tmp_path: Path) -> None:
    proc = run(write_project(tmp_path), "check", "--format", "json", "--no-promtool")
    assert proc.returncode == 1
    first = json.loads(proc.stdout)["findings"][0]
    assert set(first) == {
        "rule",
        "severity",
        "file",
        "line",
        "column",
        "object",
        "message",
        "excerpt",
        "fix",
        "suppressed",
    }


def test_check_rules_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: InstanceDown\n    expr: up == 0\n"
        "    labels: {severity: critical, team: ops}\n    annotations:\n"
        "      summary: An instance is down.\n"
        "      description: '{{ $labels.instance }} is down.'\n"
        "      runbook_url: https://runbooks.example/InstanceDown\n"
    )
    ok = run(tmp_path, "check-rules", str(good))
    assert ok.returncode == 0, ok.stdout
    assert "1 file(s), 1 rule(s), 1/1 expression(s) parsed" in ok.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n- name: g\n  rules:\n  - record: x\n    expr: sum(up\n")
    failed = run(tmp_path, "check-rules", str(bad))
    assert failed.returncode == 1 and "bad.yml" in failed.stdout and "^" in failed.stdout


def _fake_promtool(folder: Path, body: str) -> dict[str, str]:
    """A PATH where ``promtool`` is the given shell script (a broken or hanging install)."""
    folder.mkdir()
    tool = folder / "promtool"
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_a_failing_promtool_is_an_error_not_a_pass(tmp_path: Path) -> None:
    env = _fake_promtool(tmp_path / "bin", 'echo "promtool: broken install" >&2; exit 1')
    proc = run(ROOT, "check", "--format", "json", env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["tool-failed"]
    assert "exited 1" in findings[0]["message"] and "broken install" in findings[0]["message"]


def test_a_hanging_promtool_fails_check_in_bounded_time(tmp_path: Path) -> None:
    env = _fake_promtool(tmp_path / "bin", "sleep 600")
    env["PFM_DASH_TOOL_TIMEOUT"] = "1"
    proc = run(ROOT, "check", env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "[tool-failed] promtool: promtool did not answer within 1 s" in proc.stdout
