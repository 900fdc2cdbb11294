"""Catalog-free checks: each fires on its mistake, stays quiet on the correct form."""

from __future__ import annotations

import collections
from pathlib import Path

import promql_parser
import pytest
from corpus_testing import corpus_dir

from pfm_dash.checks.rulefiles import check_files
from pfm_dash.checks.rulelint import not_a_counter, result_labels


def _alert(name: str, expr: str, summary: str = "x", labels: str = "") -> str:
    return (
        f"  - alert: {name}\n    expr: '{expr}'\n    for: 5m\n"
        f"    labels: {{severity: warning{labels}}}\n"
        f"    annotations:\n      summary: '{summary}'\n"
    )


def _rules(tmp_path: Path, *alerts: str, name: str = "r.yml") -> list[tuple[str, int, str]]:
    path = tmp_path / name
    path.write_text("groups:\n- name: g\n  rules:\n" + "".join(alerts))
    findings, stats = check_files([path], promtool=False)
    assert stats.crashes == []
    return [(f.rule, f.location.line, f.message) for f in findings]


def _rule_ids(found: list[tuple[str, int, str]]) -> set[str]:
    return {rule for rule, _, _ in found}


@pytest.mark.parametrize(
    ("expr", "label", "kept"),
    [
        ("sum by (job) (rate(x_total[5m])) > 1", "instance", False),
        ("sum by (job) (rate(x_total[5m])) > 1", "job", True),
        ("sum without (instance) (x) > 1", "instance", False),
        ("sum without (instance) (x) > 1", "job", True),
        ("sum(x) > 1", "job", False),
        ('absent(up{job="a"})', "job", True),
        ('absent(up{job="a"})', "instance", False),
        ("rate(x_total[5m]) > 1", "instance", True),
        ("topk(3, x) > 1", "instance", True),
        ("sum by (job) (x) / on (job) group_left (team) y > 1", "team", True),
        ("sum by (job) (x) / on (job) group_left (team) y > 1", "pod", False),
        ("x / on (job) y > 1", "instance", False),
        ("x / ignoring (instance) y > 1", "instance", False),
        ('label_replace(sum(x), "dst", "$1", "a", "(.*)") > 1', "dst", True),
        ("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m]))) > 1", "le", False),
        ("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m]))) > 1", "job", True),
        ("sum by (job) (x) or sum by (pod) (y)", "pod", True),
        ('count_values("v", x) > 1', "v", True),
        ("vector(1)", "job", False),
    ],
)
def test_result_labels_follow_prometheus(expr: str, label: str, kept: bool) -> None:
    assert result_labels(promql_parser.parse(expr)).has(label) is kept


def test_template_on_a_label_aggregated_away(tmp_path: Path) -> None:
    found = _rules(
        tmp_path,
        _alert("Lost", "sum by (job) (rate(x_total[5m])) > 1", "{{ $labels.instance }} bad."),
        _alert("Kept", "sum by (job) (rate(x_total[5m])) > 1", "{{ $labels.job }} bad."),
    )
    hits = [(line, m) for rule, line, m in found if rule == "template-label-missing"]
    assert len(hits) == 1 and hits[0][0] == 9 and "$labels.instance" in hits[0][1]
    assert "(it keeps: job)" in hits[0][1]


def test_alert_without_comparison(tmp_path: Path) -> None:
    found = _rules(
        tmp_path,
        _alert("NoCondition", "rate(errors_total[5m])"),
        _alert("WithBool", "up == bool 0"),
        _alert("Compared", 'rate(errors_total{code!="200"}[5m]) > 1'),
        _alert("Absent", 'absent(up{job="a"})'),
        _alert("Gone", "count by (i) (x offset 1h) unless count by (i) (x)"),
        _alert("DeadMansSwitch", "vector(1)"),
    )
    hits = sorted(line for rule, line, _ in found if rule == "alert-comparison")
    assert hits == [4, 10]  # NoCondition and WithBool (bool always returns a value)


def test_rate_over_a_gauge_name_and_quantile_without_bucket(tmp_path: Path) -> None:
    found = _rules(
        tmp_path,
        _alert("A", "rate(node_memory_available[5m]) > 1"),
        _alert("B", "rate(http_requests_total[5m]) > 1"),
        _alert("C", "increase(nginx_connections_accepted[5m]) > 1"),  # old counter: quiet
        _alert("D", "histogram_quantile(0.9, rate(http_duration_seconds[5m])) > 1"),
        _alert("E", "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m]))) > 1"),
    )
    assert [(r, line) for r, line, _ in found if r.endswith(("not-counter", "not-bucket"))] == [
        ("rate-name-not-counter", 5),
        ("histogram-name-not-bucket", 23),
    ]


@pytest.mark.parametrize(
    ("name", "gauge"),
    [
        ("up", True),
        ("kube_pod_info", True),
        ("cache_hit_ratio", True),
        ("workqueue_depth", True),
        ("http_requests_total", False),
        ("x_bucket", False),
        ("node_network_receive_bytes", False),
        ("job:http_requests:rate5m", False),
    ],
)
def test_counter_names(name: str, gauge: bool) -> None:
    assert not_a_counter(name) is gauge


def test_same_alert_twice_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("groups:\n- name: a\n  rules:\n" + _alert("Dup", "up == 0"))
    (tmp_path / "b.yml").write_text(
        "groups:\n- name: b\n  rules:\n"
        + _alert("Dup", "up == 0")
        + _alert("Dup", "up == 0", labels=", team: other")  # other labels: not a copy
    )
    findings, _ = check_files([tmp_path], promtool=False)
    dups = [f for f in findings if f.rule == "alert-duplicate"]
    assert len(dups) == 1 and dups[0].location.file.endswith("b.yml")
    assert dups[0].location.line == 4 and "a.yml:4" in dups[0].message


def test_corpus_counts_stay_low(capsys: pytest.CaptureFixture[str]) -> None:
    """On real rule files the name heuristics must be nearly silent (counts in docs/check.md)."""
    findings, stats = check_files([corpus_dir()], promtool=False)
    counts = collections.Counter(f.rule for f in findings)
    with capsys.disabled():
        print(f"\ncorpus ({stats.rules} rules): {dict(sorted(counts.items()))}")
    assert counts["rate-name-not-counter"] <= 2
    assert counts["histogram-name-not-bucket"] == 0
    assert counts["alert-comparison"] <= 2
    assert counts["alert-duplicate"] == 0
    assert counts["rules-template"] == 0 and counts["rules-duration"] == 0
    assert counts["template-label-missing"] > 100  # a real mistake, common in the corpus
