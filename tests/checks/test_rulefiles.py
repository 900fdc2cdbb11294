"""check-rules over files nobody here wrote: never crashes, every expression accounted for."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from corpus_testing import corpus_dir

from pfm_dash.checks.rulefiles import check_files, rule_paths

BAD = """\
groups:
  - name: g
    rules:
      - alert: lower_case
        expr: up == 0
        labels:
          severity: page
        annotations:
          summary: Down
      - record: job:up:sum
        expr: |
          sum by (job) (up)
            + foo_bar(up)
      - alert: Fine
        expr: sum(up
        for: 5m
"""


def test_findings_point_at_the_rule_and_the_expression_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rules.yml"
    path.write_text(BAD)
    findings, stats = check_files([path], promtool=False)
    by = {(f.rule, f.location.line) for f in findings}
    assert ("alert-name", 4) in by and ("alert-severity", 4) in by and ("alert-team", 4) in by
    assert ("alert-summary", 4) in by and ("alert-runbook", 4) in by and ("alert-for", 4) in by
    # The multi-line block's error is on its second line (file line 13), not the block's first.
    assert ("promql-parse", 13) in by and ("promql-parse", 15) in by
    assert stats.expressions == 3 and stats.parsed == 1 and stats.errors_with_position == 2
    unknown = next(f for f in findings if f.rule == "promql-parse" and f.location.line == 13)
    assert unknown.column == BAD.splitlines()[12].index("foo_bar") + 1
    excerpt, caret = unknown.excerpt.splitlines()
    assert excerpt[caret.index("^") :].startswith("foo_bar")


def test_unreadable_files_are_findings_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("groups: [\n")
    (tmp_path / "b.yml").write_text("just: text\n")
    (tmp_path / "c.yml").write_text("groups:\n  - rules: 3\n  - 7\n")
    findings, stats = check_files([tmp_path])
    assert stats.crashes == [] and stats.files == 3
    files = [f.location.file[-5:] for f in findings if f.rule == "rules-file"]
    assert sorted(set(files)) == ["a.yml", "b.yml", "c.yml"] and files.count("c.yml") >= 2


def test_rules_prometheus_would_refuse_are_findings(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(
        "groups:\n  - name: g\n    rules:\n      - record: no_expr\n"
        "      - alert: Both\n        record: both\n        expr: up\n"
        "      - expr: up\n"
    )
    findings, stats = check_files([path], promtool=False)
    assert [(f.rule, f.location.line) for f in findings] == [
        ("rules-file", 4),
        ("rules-file", 5),
        ("rules-file", 8),
    ]
    assert stats.expressions == 0


@pytest.fixture(scope="module")
def corpus() -> Path:
    return corpus_dir()


def test_corpus_no_crash_every_expression_accounted_for(corpus: Path) -> None:
    findings, stats = check_files([corpus])
    print(
        f"\ncorpus: {stats.files} files, {stats.rules} rules, {stats.parsed}/{stats.expressions}"
        f" parsed, {stats.errors_with_position} errors with a position,"
        f" {stats.errors_without_position} without, {len(stats.crashes)} crashes,"
        f" {len(findings)} findings"
    )
    assert stats.crashes == []
    assert stats.files >= 120 and stats.rules > 1000
    assert stats.errors_without_position == 0
    assert stats.parsed + stats.errors_with_position == stats.expressions


def test_corpus_broken_on_purpose_still_reports_positions(corpus: Path, tmp_path: Path) -> None:
    """The corpus parses cleanly, so break each expression and demand a position each time."""
    rng = random.Random(4)
    breakers = [
        lambda e: e + ")",
        lambda e: e.replace("(", "((", 1) if "(" in e else "(" + e,
        lambda e: "foo_bar(" + e + ")",
        lambda e: re.sub(r"\[(\d+)([smhd])\]", r"[\1x]", e, count=1) if "[" in e else e + " +",
    ]
    for path in rule_paths([corpus]):
        text = path.read_text()
        out = re.sub(
            r"^(\s*expr: )(['\"]?)(.+?)\2$",
            lambda m: f"{m.group(1)}{m.group(2)}{rng.choice(breakers)(m.group(3))}{m.group(2)}",
            text,
            flags=re.M,
        )
        (tmp_path / f"{path.parent.name}-{path.name}").write_text(out)
    _, stats = check_files([tmp_path])
    print(
        f"\nbroken corpus: {stats.expressions} expressions, {stats.parsed} still parse, "
        f"{stats.errors_with_position} with a position, {stats.errors_without_position} without"
    )
    assert stats.crashes == []
    assert stats.errors_with_position > 500
    assert stats.errors_without_position == 0


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not on PATH (make test installs it)")
    return found


MODES = [pytest.param(False, id="without-promtool"), pytest.param(True, id="with-promtool")]

REFUSED = """\
groups:
  - name: g
    interval: 5x
    rules:
      - alert: Bad
        expr: sum by (job) (up
        for: 1.5h
        keep_firing_for: "5m "
        annotations:
          summary: '{{ $labels.instance .'
      - record: job:up:sum
        expr: |
          sum by (job) (up)
            + foo_bar(up)
"""


@pytest.mark.parametrize("promtool", MODES)
def test_what_prometheus_refuses_is_an_error_with_its_line(promtool: bool, tmp_path: Path) -> None:
    """A file promtool stops on (bad interval) still gets every PromQL error, as errors."""
    if promtool:
        _promtool()
    path = tmp_path / "refused.yml"
    path.write_text(REFUSED)
    findings, _ = check_files([path], promtool=promtool)
    got = {(f.rule, f.location.line, f.column) for f in findings if f.level.value == "error"}
    assert ("rules-duration", 3, 15) in got  # interval: 5x
    assert ("rules-duration", 7, 14) in got  # for: 1.5h
    assert ("rules-duration", 8, 26) in got  # keep_firing_for: "5m "
    assert ("rules-template", 10, 42) in got  # unclosed action, at the end of the value
    assert ("promql-parse", 6, 31) in got  # end of input, where promtool puts it
    assert ("promql-parse", 14, 15) in got  # the block's second line, at foo_bar
    assert not [f for f in findings if f.rule == "promql-parser-disagrees"]


def test_promtool_refusals_we_do_not_know_are_passed_on(tmp_path: Path) -> None:
    _promtool()
    path = tmp_path / "f.yml"
    path.write_text("groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    labels:\n")
    path.write_text(path.read_text() + "      a: {b: c}\n")
    findings, _ = check_files([path], promtool=True)
    assert [(f.rule, f.location.line) for f in findings] == [("rules-file", 7)]
    findings, _ = check_files([path], promtool=False)
    assert [(f.rule, f.location.line) for f in findings] == [("rules-file", 7)]


@pytest.mark.parametrize(
    "expr",
    [
        'sum(rate(http_requests_total{status=~"5.."}[5m]) / sum(rate(http_requests_total[5m]))',
        "rate(http_requests_total[5x])",
        'http_requests_total{status=~"5.."',
        "foo_bar(up)",
        "rate(up)",
        "up == ",
        'up{job="a"} and on(instance) group_left up',
        '{status=~".*"}',
        "up[5m] + 1",
        "sum by (job (up)",
        "sum(up)) + 1",
        'up{job="a}',
        "sum(up[5m] + 1)",
        'up{job=~"a("}',
        "abs(up, 1)",
        "sum(rate(x[5m])) by (job",
    ],
)
def test_carets_without_promtool_agree_with_promtool(expr: str, tmp_path: Path) -> None:
    _promtool()
    path = tmp_path / "c.yml"
    path.write_text(f"groups:\n- name: g\n  rules:\n  - record: r\n    expr: {json.dumps(expr)}\n")
    ours, _ = check_files([path], promtool=False)
    theirs, _ = check_files([path], promtool=True)
    ours_at = [(f.location.line, f.column) for f in ours if f.rule == "promql-parse"]
    theirs_at = [(f.location.line, f.column) for f in theirs if f.rule == "promql-parse"]
    assert len(theirs_at) == 1 and theirs_at[0][1] is not None
    assert ours_at == theirs_at


@pytest.mark.parametrize("promtool", MODES)
def test_parse_errors_after_a_templated_alert(promtool: bool, tmp_path: Path) -> None:
    """promtool's answer is matched to its rule by group and number, templates or not."""
    if promtool:
        _promtool()
    path = tmp_path / "g.yml"
    path.write_text(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n"
        "    annotations:\n      summary: '{{ $labels.job }} is down.'\n"
        "  - record: r\n    expr: up +\n\n      and on(job) up\n"
    )
    findings, _ = check_files([path], promtool=promtool)
    assert [
        (f.rule, f.location.line, f.column) for f in findings if f.rule.startswith("promql")
    ] == [("promql-parse", 11, 11)]


REGEXES = """\
groups:
  - name: g
    rules:
      - alert: OnlyRegex
        expr: sum by (job) ({job=~".+"}) > 0
        annotations:
          summary: '{{ $labels.instance }} is gone.'
      - alert: Absent
        expr: absent(up{job="a", instance=~"x.*"})
        annotations:
          summary: '{{ $labels.job }} and {{ $labels.instance }} are gone.'
      - alert: BadRegex
        expr: up{job=~"("} == 0
      - record: r:ratio
        expr: rate(node_memory_free{job!~"b|c"}[5m])
"""


def test_regex_matchers_read_alike_with_and_without_promtool(tmp_path: Path) -> None:
    """With promtool, regex matchers are parsed as placeholders: no finding may change."""
    _promtool()
    path = tmp_path / "regexes.rules.yml"
    path.write_text(REGEXES)
    seen = []
    for promtool in (False, True):
        findings, stats = check_files([path], promtool=promtool)
        assert stats.crashes == []
        seen.append(sorted((f.rule, f.location.line) for f in findings if f.rule != "tool-failed"))
    assert seen[0] == seen[1]
    got = set(seen[1])
    assert ("template-label-missing", 7) in got  # instance aggregated away
    # absent() keeps its = matchers' labels (job), not its regex matchers' (instance): once.
    assert seen[1].count(("template-label-missing", 11)) == 1
    assert ("promql-parse", 13) in got  # promtool's regex error, and ours
    assert ("rate-name-not-counter", 15) in got
