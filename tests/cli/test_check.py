"""``pfm-dash check`` and ``check-rules`` as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
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


REFUSED = (
    "groups:\n- name: g\n  interval: 5x\n  rules:\n  - record: x\n    expr: sum by (job) (up\n"
)


def test_check_rules_fails_a_file_promtool_stops_on_and_reports_both(tmp_path: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not on PATH (make test installs it)")
    path = tmp_path / "refused.yml"
    path.write_text(REFUSED)
    proc = run(tmp_path, "check-rules", "--promtool", str(path))
    assert proc.returncode == 1, proc.stdout
    assert "refused.yml:3:13: error [rules-duration] group g: interval:" in proc.stdout
    assert "refused.yml:6:27: error [promql-parse] record x: unclosed left parenthesis" in (
        proc.stdout
    )
    assert "promql-parser-disagrees" not in proc.stdout


def test_check_rules_github_annotations(tmp_path: Path) -> None:
    path = tmp_path / "refused.yml"
    path.write_text(REFUSED)
    proc = run(tmp_path, "check-rules", "--no-promtool", "--format", "github", str(path))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert any(
        line.startswith("::error file=refused.yml,line=6,col=27,title=[promql-parse] record x::")
        for line in lines
    ), proc.stdout
    assert all(line.startswith("::") for line in lines[:-1])


def test_check_rules_json_has_the_column(tmp_path: Path) -> None:
    path = tmp_path / "refused.yml"
    path.write_text(REFUSED)
    proc = run(tmp_path, "check-rules", "--no-promtool", "--format", "json", str(path))
    found = {f["rule"]: (f["line"], f["column"]) for f in json.loads(proc.stdout)["findings"]}
    assert found["promql-parse"] == (6, 27) and found["rules-duration"] == (3, 13)


NOISY = (
    "groups:\n- name: g\n  rules:\n  - alert: lower\n    expr: up == 0\n    for: 5m\n"
    "    labels: {severity: warning}\n"
)


def test_select_and_ignore_like_ruff(tmp_path: Path) -> None:
    path = tmp_path / "noisy.yml"
    path.write_text(NOISY + "  - record: r\n    expr: sum(up\n")
    every = run(tmp_path, "check-rules", "--no-promtool", "--format", "json", str(path))
    rules = {f["rule"] for f in json.loads(every.stdout)["findings"]}
    assert {"alert-name", "alert-team", "alert-runbook", "promql-parse"} <= rules
    quiet = run(
        tmp_path,
        "check-rules",
        "--no-promtool",
        "--format",
        "json",
        "--ignore",
        "alert,promql-parse",
        "--select",
        "ALL,alert-name",
        str(path),
    )
    assert quiet.returncode == 1
    rules = {f["rule"] for f in json.loads(quiet.stdout)["findings"]}
    assert rules == {"alert-name", "promql-parse"}  # promql-parse cannot be turned off
    assert "promql-parse cannot be turned off" in quiet.stderr


def test_check_table_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "noisy.yml").write_text(NOISY)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.pfm-dash]\nsources = []\n\n[tool.pfm-dash.check]\nignore = ["alert"]\n'
    )
    proc = run(tmp_path, "check-rules", "--no-promtool", "noisy.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s), 0 warning(s)" in proc.stdout
    pyproject.write_text('[tool.pfm-dash]\nsources = []\n\n[tool.pfm-dash.check]\nignor = ["a"]\n')
    bad = run(tmp_path, "check-rules", "--no-promtool", "noisy.yml")
    assert bad.returncode == 2 and "ignor" in bad.stderr and "Traceback" not in bad.stderr
    pyproject.write_text('[tool.pfm-dash]\n\n[tool.pfm-dash.check]\nselect = ["alert-tem"]\n')
    typo = run(tmp_path, "check-rules", "--no-promtool", "noisy.yml")
    assert typo.returncode == 2 and "did you mean 'alert-team'" in typo.stderr


def test_check_takes_the_same_selection(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    proc = run(root, "check", "--no-promtool", "--format", "json", "--select", "panel-unit")
    assert {f["rule"] for f in json.loads(proc.stdout)["findings"]} <= {
        "panel-unit",
        "promql-parse",
        "promql-prom3-only",
    }
