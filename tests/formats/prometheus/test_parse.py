"""Rule files and promtool test files read back into the model, and written out unchanged."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from corpus_testing import corpus_dir

from pfm_dash.errors import DeclarationError
from pfm_dash.formats.prometheus import rules_file, unit_tests_file
from pfm_dash.formats.prometheus.parse import attach_tests, parse_rule_file, parse_test_file
from pfm_dash.model.alerting import AlertRule, RecordingRule
from pfm_dash.model.vocab import Severity

ROOT = Path(__file__).resolve().parents[3]
BUILD = ROOT / "build" / "prometheus"


def comparable(group: dict[str, Any]) -> dict[str, Any]:
    """A group as Prometheus reads it: ``rules: null`` is no rules, and an expression's
    surrounding whitespace (YAML's folded ``>`` and ``|`` add a newline) means nothing."""
    out = dict(group)
    out["rules"] = [
        {**rule, "expr": str(rule["expr"]).strip()} for rule in (group.get("rules") or [])
    ]
    return out


def write(tmp_path: Path, text: str, name: str = "rules.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def corpus_rule_files() -> list[Path]:
    root = corpus_dir()
    files = sorted(
        p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and "dashboards" not in p.parts
    )
    assert len(files) >= 100, f"the corpus should hold 120 rule files, found {len(files)}"
    return files


def test_every_corpus_rule_file_comes_back_the_same() -> None:
    """YAML -> model -> YAML keeps groups, rules, expressions, durations, labels, annotations."""
    rules = 0
    for path in corpus_rule_files():
        original = yaml.safe_load(path.read_text())["groups"]
        groups = parse_rule_file(path)
        assert [g.name for g in groups] == [g["name"] for g in original], path
        for group, before in zip(groups, original, strict=True):
            after = yaml.safe_load(rules_file(group))["groups"][0]
            assert comparable(after) == comparable(before), f"{path}: group {group.name}"
            rules += len(group.rules)
    assert rules >= 1188  # 234 kube-prometheus rules and 954 awesome-prometheus-alerts rules


def test_typed_fields_are_filled_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        groups:
        - name: Example
          limit: 10
          query_offset: 1m
          rules:
          - record: job:up:sum
            expr: sum by (job) (up)
            labels: {tier: "1"}
          - alert: Down
            expr: up == 0
            for: 5m
            keep_firing_for: 10m
            labels: {severity: critical, team: data-platform, zone: eu}
            annotations: {summary: Down., runbook_url: '', dashboard: x}
          - alert: Odd
            expr: vector(1)
            labels: {severity: none, team: Not A Team}
        """,
    )
    [group] = parse_rule_file(path)
    assert (group.name, group.interval, group.limit, group.query_offset) == (
        "Example",
        None,
        10,
        "1m",
    )
    record, down, odd = group.rules
    assert isinstance(record, RecordingRule) and record.labels == {"tier": "1"}
    assert isinstance(down, AlertRule) and isinstance(odd, AlertRule)
    assert down.severity is Severity.CRITICAL and down.team is not None
    assert down.team.name == "data-platform"
    assert (down.for_, down.keep_firing_for, down.summary) == ("5m", "10m", "Down.")
    assert down.labels == {"zone": "eu"}
    # an empty runbook stays an annotation: the typed field would leave it out
    assert down.annotations == {"dashboard": "x", "runbook_url": ""}
    assert down.location.file == str(path) and down.location.line == 9
    assert odd.severity is None and odd.team is None
    assert odd.labels == {"severity": "none", "team": "Not A Team"}
    again = yaml.safe_load(rules_file(group))["groups"][0]
    assert again == yaml.safe_load(path.read_text())["groups"][0]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("groups: [\n", 2, "not valid YAML"),
        ('{"panels": [], "title": "x"}\n', 1, "not a Prometheus rule file"),
        ("groups:\n- name: g\n  rules:\n  - expr: up\n", 4, "exactly one of 'alert' and 'record'"),
        (
            "groups:\n- name: g\n  rules:\n  - alert: A\n    record: b\n    expr: up\n",
            4,
            "exactly one of",
        ),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for: 5 min\n", 6, "for"),
        ("groups:\n- name: g\n  interval: often\n  rules: []\n", 3, "invalid duration 'often'"),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    fro: 5m\n", 6, "'fro'"),
        ("groups:\n- name: g\n  rules: []\n- name: g\n  rules: []\n", 4, "already defined"),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: ''\n", 5, "has no expr"),
        ("groups:\n- name: g\n  name: h\n  rules: []\n", 3, "given twice"),
        ("groups:\n- rules: []\n", 2, "has no name"),
        (
            "groups:\n- name: g\n  rules:\n  - record: a b\n    expr: up\n",
            4,
            "invalid recording rule name",
        ),
        (
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {a-b: x}\n",
            6,
            "'a-b' is not a valid label name",
        ),
        (
            "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    for: 5m\n",
            6,
            "unknown field 'for'",
        ),
    ],
)
def test_bad_input_is_one_error_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DeclarationError) as caught:
        parse_rule_file(path)
    error = caught.value
    assert error.exit_code == 2
    assert (error.location.file, error.location.line) == (str(path), line), error.render()
    assert message in error.message


def test_an_empty_file_and_an_empty_group_are_valid(tmp_path: Path) -> None:
    assert parse_rule_file(write(tmp_path, "")) == []
    [group] = parse_rule_file(write(tmp_path, "groups:\n- name: g\n  rules:\n"))
    assert group.rules == ()


def test_pfm_build_rules_and_tests_come_back_and_promtool_passes_them(tmp_path: Path) -> None:
    """Our own output read back: the same rules and the same promtool tests, still passing."""
    checked = 0
    for tests_path in sorted((BUILD / "tests").glob("*.test.yml")):
        rules_path = BUILD / "rules" / tests_path.name.replace(".test.yml", ".rules.yml")
        groups = parse_rule_file(rules_path)
        parsed = parse_test_file(tests_path)
        assert parsed.notes == []
        [group] = attach_tests(groups, parsed)
        assert parsed.notes == [], parsed.notes
        assert yaml.safe_load(rules_file(group)) == yaml.safe_load(rules_path.read_text())
        tests_text = unit_tests_file(group)
        assert yaml.safe_load(tests_text) == yaml.safe_load(tests_path.read_text())
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "tests").mkdir(exist_ok=True)
        (tmp_path / "rules" / rules_path.name).write_text(rules_file(group))
        (tmp_path / "tests" / tests_path.name).write_text(tests_text)
        checked += 1
    assert checked >= 5
    done = subprocess.run(
        ["promtool", "test", "rules", *sorted(str(p) for p in (tmp_path / "tests").iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_expect_keeps_only_what_the_rule_does_not_supply(tmp_path: Path) -> None:
    rules = write(
        tmp_path,
        """\
        groups:
        - name: g
          rules:
          - alert: Down
            expr: up == 0
            for: 1m
            labels: {severity: warning}
            annotations: {summary: It is down., description: '{{ $labels.job }} is down.'}
        """,
    )
    tests = write(
        tmp_path,
        """\
        rule_files: [rules.yml]
        evaluation_interval: 30s
        tests:
        - name: goes down
          interval: 1m
          input_series:
          - {series: 'up{job="a"}', values: '0x5'}
          alert_rule_test:
          - eval_time: 3m
            alertname: Down
            exp_alerts:
            - exp_labels: {severity: warning, job: a}
              exp_annotations: {summary: It is down., description: a is down.}
          - {eval_time: 0m, alertname: Down}
          promql_expr_test:
          - {expr: up, eval_time: 1m, exp_samples: []}
        - input_series: []
          alert_rule_test:
          - {eval_time: 1m, alertname: Missing}
        """,
        "tests.yml",
    )
    parsed = parse_test_file(tests)
    [group] = attach_tests(parse_rule_file(rules), parsed)
    [rule] = group.alerts
    fires, silent = rule.tests
    assert (fires.name, fires.at, fires.interval) == ("goes down at 3m", "3m", "1m")
    assert fires.expect[0].labels == {"job": "a"}
    assert fires.expect[0].annotations == {"description": "a is down."}
    assert silent.name == "goes down at 0m" and not silent.fires
    notes = "\n".join(parsed.notes)
    assert "promql_expr_test of test 'goes down' has no place in the model" in notes
    assert "test(s) of alert Missing, which no imported group declares" in notes
    # the group has no interval: its tests will run at promtool's 1m, not the file's 30s
    assert "evaluation_interval 30s differs from group 'g''s interval 1m" in notes


def test_a_test_file_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "groups: []\n", "tests.yml")
    with pytest.raises(DeclarationError, match="not a promtool test file"):
        parse_test_file(path)
    path = write(tmp_path, "tests:\n- alert_rule_test:\n  - {alertname: A, eval_time: 1x}\n")
    with pytest.raises(DeclarationError) as caught:
        parse_test_file(path)
    assert caught.value.location.line == 3


def test_mangled_files_give_a_parse_or_one_error_never_a_crash(tmp_path: Path) -> None:
    """Lines dropped, colons lost, junk inserted, lines cut: every outcome is a result or a
    DeclarationError at a line of the file (seeded, so a failure replays)."""
    import random

    rng = random.Random(8)
    sources = sorted(BUILD.glob("*/*.yml"))
    junk = ["  - x\n", "foo: [1]\n", "   bad: {a: 1}\n", "- 5\n", "  for: xyz\n", "\t\n"]
    outcomes = {"parsed": 0, "refused": 0}
    path = tmp_path / "mangled.yml"
    for _ in range(200):
        lines = rng.choice(sources).read_text().splitlines(keepends=True)
        at = rng.randrange(len(lines))
        match rng.randrange(4):
            case 0:
                del lines[at]
            case 1:
                lines[at] = lines[at].replace(":", "", 1)
            case 2:
                lines.insert(at, rng.choice(junk))
            case _:
                lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)] + "\n"
        path.write_text("".join(lines))
        for parse in (parse_rule_file, parse_test_file):
            try:
                parse(path)
                outcomes["parsed"] += 1
            except DeclarationError as error:
                assert error.location.file == str(path)
                assert 0 <= error.location.line <= len(lines) + 1
                outcomes["refused"] += 1
    assert outcomes["parsed"] > 25 and outcomes["refused"] > 25, outcomes
