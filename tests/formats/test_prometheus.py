"""Rule files and promtool test files: standard format, safe quoting, accepted by promtool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pfm_dash import AlertRule, AlertTest, Expect, Query, RuleGroup, Series, Severity, Team
from pfm_dash.formats.prometheus import rules_file, unit_tests_file

ROOT = Path(__file__).resolve().parents[2]
RULES = sorted((ROOT / "build/prometheus/rules").glob("*.rules.yml"))
TESTS = sorted((ROOT / "build/prometheus/tests").glob("*.test.yml"))
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed")

OPS = Team(name="ops")
TRICKY = AlertRule(
    name="Tricky",
    expr=Query(expr='sum by (job) (rate(x_total{path="/a: b"}[5m]))\n> 1'),
    for_="5m",
    keep_firing_for="10m",
    severity=Severity.INFO,
    team=OPS,
    summary="Colons: and 'quotes' and # hashes.",
    description="{{ $labels.job }} at {{ $value | humanizePercentage }}\nsecond line",
    runbook_url="https://runbooks.example/Tricky#anchor",
    labels={"tier": "backend"},
    tests=[
        AlertTest(
            name="fires",
            series=[Series(series='x_total{job="a", path="/a: b"}', values="0+600x20")],
            at="10m",
            expect=[
                Expect(labels={"job": "a"}, annotations={"description": "a at 1000%\nsecond line"})
            ],
        ),
        AlertTest(
            name="silent", series=[Series(series='x_total{job="a"}', values="0x20")], at="10m"
        ),
    ],
)
GROUP = RuleGroup(name="tricky", interval="1m", rules=[TRICKY])


def test_rule_file_round_trips_through_yaml() -> None:
    data = yaml.safe_load(rules_file(GROUP))
    rule = data["groups"][0]["rules"][0]
    assert data["groups"][0]["name"] == "tricky" and data["groups"][0]["interval"] == "1m"
    assert rule["expr"] == TRICKY.expression
    assert rule["for"] == "5m" and rule["keep_firing_for"] == "10m"
    assert rule["labels"] == {"severity": "info", "team": "ops", "tier": "backend"}
    assert rule["annotations"]["summary"] == TRICKY.summary
    assert rule["annotations"]["description"] == TRICKY.description


def test_multi_line_text_is_a_block_literal() -> None:
    text = rules_file(GROUP)
    assert "expr: |-\n" in text and "description: |-\n" in text


def test_test_file_fills_in_static_labels_and_annotations() -> None:
    case = yaml.safe_load(unit_tests_file(GROUP))["tests"][0]
    expected = case["alert_rule_test"][0]["exp_alerts"][0]
    assert expected["exp_labels"] == {
        "job": "a",
        "severity": "info",
        "team": "ops",
        "tier": "backend",
    }
    assert expected["exp_annotations"]["summary"] == TRICKY.summary
    assert expected["exp_annotations"]["runbook_url"] == TRICKY.runbook_url


@needs_promtool
def test_crafted_group_passes_promtool(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "rules/tricky.rules.yml").write_text(rules_file(GROUP))
    (tmp_path / "tests/tricky.test.yml").write_text(unit_tests_file(GROUP))
    check = subprocess.run(
        [
            PROMTOOL,
            "check",
            "rules",
            "--lint=all",
            "--lint-fatal",  # type: ignore[list-item]
            "rules/tricky.rules.yml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    test = subprocess.run(
        [PROMTOOL, "test", "rules", "tests/tricky.test.yml"],  # type: ignore[list-item]
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr


@needs_promtool
def test_promtool_lints_every_generated_rule_file() -> None:
    assert RULES, "build/ has no rule files"
    proc = subprocess.run(
        [PROMTOOL, "check", "rules", "--lint=all", "--lint-fatal", *map(str, RULES)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS") == len(RULES)


@needs_promtool
def test_promtool_runs_every_generated_test_file() -> None:
    assert len(TESTS) == len(RULES)
    proc = subprocess.run(
        [PROMTOOL, "test", "rules", *map(str, TESTS)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS") == len(TESTS)


@needs_promtool
def test_a_wrong_expectation_fails_promtool(tmp_path: Path) -> None:
    """The generated tests can fail: change the expected annotation and promtool says so."""
    wrong = unit_tests_file(GROUP).replace("a at 1000%", "a at 999%")
    (tmp_path / "rules").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "rules/tricky.rules.yml").write_text(rules_file(GROUP))
    (tmp_path / "tests/tricky.test.yml").write_text(wrong)
    proc = subprocess.run(
        [PROMTOOL, "test", "rules", "tests/tricky.test.yml"],  # type: ignore[list-item]
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "a at 1000%" in proc.stderr


def test_libyaml_and_pure_python_emitters_write_the_same_bytes() -> None:
    """Builds must not depend on whether PyYAML was compiled with libyaml."""
    from pfm_dash.formats.yaml import DUMPER, PY_DUMPER, dump_yaml

    for path in sorted((ROOT / "build").rglob("*.yml")):
        data = yaml.safe_load(path.read_text())
        assert dump_yaml(data, dumper=DUMPER) == dump_yaml(data, dumper=PY_DUMPER), path
