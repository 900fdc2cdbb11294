"""pfm_dash.routing matches alerts to receivers exactly as Alertmanager's own amtool does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from pfm_dash.config import load_config
from pfm_dash.formats.alertmanager import firing_labels, settings_from
from pfm_dash.project import load_project
from pfm_dash.routing import alert_labels, deliveries, matches, resolve, walk
from pfm_dash.verify.probes import routed_receivers

ROOT = Path(__file__).resolve().parents[1]
EMITTED = ROOT / "build" / "alertmanager" / "alertmanager.yml"
AMTOOL = shutil.which("amtool")
needs_amtool = pytest.mark.skipif(AMTOOL is None, reason="amtool is not installed")

# A tree with every feature the matcher supports: continue, nesting, inherited timings,
# negative and regex matchers, the older match/match_re maps, a missing label.
TREE: dict[str, Any] = {
    "receiver": "root",
    "group_by": ["alertname"],
    "group_wait": "10s",
    "routes": [
        {"receiver": "pager", "matchers": ['severity="critical"', 'env!~"staging|dev"'],
         "continue": True, "repeat_interval": "1h"},
        {"receiver": "db", "match_re": {"service": "postgres|redis"}, "group_interval": "2m",
         "routes": [{"receiver": "db-night", "matchers": ['env="staging"'], "group_wait": "5m"}]},
        {"receiver": "web", "match": {"team": "web"}},
        {"receiver": "never", "matchers": ['team="web"']},
        {"receiver": "quiet", "matchers": ['owner=""']},
    ],
}  # fmt: skip
CASES = [
    {"severity": "critical", "env": "prod", "team": "web", "owner": "x"},
    {"severity": "critical", "env": "staging", "team": "web", "owner": "x"},
    {"severity": "warning", "service": "redis", "env": "staging"},
    {"severity": "critical", "service": "postgres", "env": "prod", "owner": "x"},
    {"severity": "info", "owner": "x"},
    {"severity": "info"},
]


def test_children_inherit_timings_and_continue_delivers_twice() -> None:
    got = deliveries(TREE, CASES[3])
    assert [d.receiver for d in got] == ["pager", "db"]
    assert (got[0].group_wait, got[0].repeat_interval) == ("10s", "1h")
    assert (got[1].group_interval, got[1].repeat_interval) == ("2m", "4h")
    night = deliveries(TREE, CASES[2])
    assert [(d.receiver, d.group_wait, d.group_interval, d.depth) for d in night] == [
        ("db-night", "5m", "2m", 2)
    ]
    assert night[0].group_by == ("alertname",)
    assert resolve(TREE, CASES[4]) == [("root", 0)]
    assert "wait 10s" in got[0].describe()


def test_matchers_read_escapes_and_refuse_garbage() -> None:
    assert matches('a="x\\"y"', {"a": 'x"y'})
    assert matches('a=~"x|y"', {"a": "y"}) and not matches('a=~"x"', {"a": "xx"})
    assert matches("a!=b", {"a": "c"})
    with pytest.raises(ValueError, match="cannot read matcher"):
        matches("not a matcher", {})


def test_alert_labels_one_per_environment_unless_pinned() -> None:
    assert alert_labels("A", {"team": "t"}, ["p", "s"]) == [
        {"alertname": "A", "team": "t", "environment": "p"},
        {"alertname": "A", "team": "t", "environment": "s"},
    ]
    assert alert_labels("A", {"environment": "p"}, ["p", "s"]) == [
        {"alertname": "A", "environment": "p"}
    ]


@needs_amtool
def test_the_feature_tree_agrees_with_amtool(tmp_path: Path) -> None:
    assert AMTOOL is not None
    config = tmp_path / "am.yml"
    receivers = [{"name": r["receiver"]} for r in walk(TREE)]
    config.write_text(yaml.safe_dump({"route": TREE, "receivers": receivers}))
    for labels in CASES:
        ours = [d.receiver for d in deliveries(TREE, labels)]
        assert ours == routed_receivers(AMTOOL, str(config), labels), labels


@needs_amtool
def test_every_pfm_alert_routes_as_amtool_says_on_the_built_file() -> None:
    assert AMTOOL is not None
    project = load_project(load_config(ROOT))
    route = yaml.safe_load(EMITTED.read_text())["route"]
    settings = settings_from(project.config)
    cases = [labels for rule in project.alerts for labels in firing_labels(rule, settings)]
    assert len(cases) == 2 * len(project.alerts) >= 24
    for labels in cases:
        ours = [d.receiver for d in deliveries(route, labels)]
        assert ours == routed_receivers(AMTOOL, str(EMITTED), labels), labels
        assert all(d.depth > 0 for d in deliveries(route, labels))


def test_inhibitors_follow_alertmanagers_inhibit_rules() -> None:
    from pfm_dash.routing import inhibitors

    rules = [
        {
            "source_matchers": ['severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": ["environment"],
        }
    ]
    warning = {"alertname": "A", "severity": "warning", "environment": "prod"}
    critical = {"alertname": "B", "severity": "critical", "environment": "prod"}
    elsewhere = {**critical, "environment": "staging"}
    unlabelled = {"alertname": "C", "severity": "critical"}
    assert inhibitors(rules, warning, [critical, elsewhere]) == [critical]
    assert inhibitors(rules, critical, [warning]) == [], "the target side must match"
    assert inhibitors(rules, {**warning, "environment": ""}, [unlabelled]) == [unlabelled], (
        "a missing label equals an empty one"
    )
    legacy = [{"source_match": {"severity": "critical"}, "target_match_re": {"severity": "warn.*"}}]
    assert inhibitors(legacy, warning, [elsewhere]) == [elsewhere], "no equal: any environment"
    both = [{"source_matchers": ['team="ops"'], "target_matchers": ['team="ops"']}]
    one, two = {"alertname": "X", "team": "ops"}, {"alertname": "Y", "team": "ops"}
    assert inhibitors(both, one, [two]) == [], "an alert on both sides is not muted by another"
