"""Each check fires on its crafted defect, at the declaration's file:line, and nowhere else."""

from __future__ import annotations

import re

import pytest
from checks_testing import Checked

BOARD = "dashboards/board.py"
RULES = "alerts/rules.py"


@pytest.mark.parametrize(
    ("rule", "marker"),
    [
        ("promql-parse", "parse"),
        ("metric-unknown", "unknown-metric"),
        ("label-unknown", "unknown-label"),
        ("rate-gauge", "rate-gauge"),
        ("rate-non-counter", "rate-summary"),
        ("rate-non-counter", "rate-recorded"),
        ("rate-non-counter", "rate-of-rate"),
        ("histogram-le", "no-le"),
        ("histogram-bucket", "not-bucket"),
        ("variable-undeclared", "undeclared-var"),
        ("variable-unused", "unused-var"),
        ("promql-prom3-only", "prom3"),
        ("label-unknown", "on-label"),
        ("label-unknown", "on-drops"),
        ("panel-unit", "no-unit"),
        ("query-datasource", "bad-ds"),
        ("panel-id-unique", "dup-id"),
        ("panel-overlap", "overlap"),
        ("panel-title", "untitled"),
        ("ignore-unknown-rule", "unknown-ignore"),
    ],
)
def test_dashboard_findings(checked: Checked, rule: str, marker: str) -> None:
    checked.at(rule, BOARD, marker)


@pytest.mark.parametrize(
    ("rule", "marker"),
    [
        ("alert-name", "alert-name"),
        ("alert-summary", "alert-summary"),
        ("alert-description", "alert-description"),
        ("alert-runbook", "alert-runbook"),
        ("alert-for", "alert-for"),
        ("alert-panel-link", "alert-panel-link"),
        ("alert-panel-signal", "alert-panel-signal"),
        ("label-unknown", "test-series"),
    ],
)
def test_alert_findings(checked: Checked, rule: str, marker: str) -> None:
    checked.at(rule, RULES, marker)


def test_clean_declarations_have_no_findings(checked: Checked) -> None:
    good = {checked.line(BOARD, m) for m in ()} | {checked.line(RULES, "exempt-for")}
    noisy = [f for f in checked.findings if f["file"].endswith(RULES) and f["line"] in good]
    assert noisy == []
    requests = [f for f in checked.findings if f["object"].startswith("panel 'Requests'")]
    assert requests == []


def test_parse_error_puts_the_caret_where_promtool_does(checked: Checked) -> None:
    """An unclosed parenthesis: promtool points at the end of input, and so do we."""
    (hit,) = checked.at("promql-parse", BOARD, "parse")
    line, caret = hit["excerpt"].splitlines()
    assert line.strip() == "sum(rate(http_requests_total[$__rate_interval])"
    assert caret.index("^") == len(line)


def test_suppression_is_reported_with_its_reason(checked: Checked) -> None:
    (hit,) = [f for f in checked.findings if f["object"] == "panel 'Quiet'"]
    assert hit["rule"] == "panel-unit" and hit["suppressed"] == "a text-like stat"
    assert "(ignored: a text-like stat)" in checked.text


def test_errors_exit_1_and_text_groups_by_file(checked: Checked) -> None:
    assert checked.code == 1
    assert checked.text.index(RULES) < checked.text.index(BOARD)
    first = checked.text.splitlines()[0]
    assert re.match(r"^alerts/rules\.py:\d+(:\d+)?: (error|warning) \[[a-z-]+\] ", first), first
    assert "\n    fix: " in checked.text
    every = {f["rule"] for f in checked.findings}
    assert {"alert-severity", "alert-team", "alert-tests"}.isdisjoint(every)


def test_a_metric_used_twice_in_one_query_is_one_finding(checked: Checked) -> None:
    assert len(checked.at("metric-unknown", BOARD, "unknown-metric")) == 1
