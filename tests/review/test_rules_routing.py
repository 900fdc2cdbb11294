"""Rule groups and routing compared as declarations: per-key labels, tests, receivers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compiler_fixtures import ROUTING_POLICY

from pfm_dash.config import Config
from pfm_dash.model.alerting import AlertRule, AlertTest, RecordingRule, RuleGroup, Series, Team
from pfm_dash.model.vocab import Severity
from pfm_dash.project import Project
from pfm_dash.review.routing import compare_routing
from pfm_dash.review.rules import compare_groups

OPS = Team(name="ops", on_call_for=Severity.CRITICAL)
WEB = Team(name="web")
DB = Team(name="db", repeat_interval="1h")
CASE = AlertTest(name="quiet", series=[Series(series="up", values="1")], at="1m")


def alert(**kw: object) -> AlertRule:
    fields: dict[str, object] = {
        "name": "Down",
        "expr": "up == 0",
        "severity": Severity.WARNING,
        "team": WEB,
        "summary": "s",
        "description": "d",
        "runbook_url": "https://r",
        "labels": {"tier": "1"},
        **kw,
    }
    return AlertRule(**fields)  # type: ignore[arg-type]


def group(*rules: AlertRule | RecordingRule, interval: str = "30s") -> RuleGroup:
    return RuleGroup(name="g", rules=list(rules), interval=interval)


def project(*rules: AlertRule) -> Project:
    return Project(
        config=Config(root=Path("."), raw={"alertmanager": ROUTING_POLICY}),
        dashboards=[],
        groups=[group(*rules)],
        teams=[DB, OPS, WEB],
    )


def test_alert_fields_labels_tests_and_recording_rules() -> None:
    rec = RecordingRule(record="job:up:sum", expr="sum by (job) (up)")
    before = group(alert(tests=[CASE]), rec)
    after = group(
        alert(expr="up == 0 or absent(up)", labels={"tier": "2", "svc": "x"}, for_="5m"),
        replace(rec, expr="sum by (job, env) (up)"),
        interval="1m",
    )
    [section] = compare_groups([before], [after])
    got = {(c.op, c.subject, c.field): c for c in section.changes}
    assert got[("changed", "group g", "interval")].after == "1m"
    assert got[("changed", "alert Down", "label tier")].before == "1"
    assert got[("added", "alert Down", "label svc")].after == "x"
    assert got[("changed", "alert Down", "for")].after == "5m"
    assert ("+", " or absent(up)") in got[("changed", "alert Down", "expression")].words
    assert ("removed", "alert Down test 'quiet'", "test") in got
    assert ("changed", "record job:up:sum", "expression") in got


def test_routing_names_the_receivers_and_waits() -> None:
    before = project(alert())
    after = project(alert(severity=Severity.CRITICAL, team=DB))
    [section] = compare_routing(before, after)
    notes = {c.subject: c.note for c in section.changes}
    assert notes["alert Down in production"] == "no longer reaches web; now reaches db, ops"
    assert notes["alert Down in staging"] == "no longer reaches web; now reaches db"
    change = next(c for c in section.changes if c.subject == "alert Down in staging")
    assert change.after == {"staging": ["db (wait 2m, every 5m, repeat 12h)"]}
    assert compare_routing(before, before) == []


def test_teams_added_and_changed_show_their_fields() -> None:
    before = project(alert())
    after = replace(before, teams=[replace(DB, repeat_interval="2h"), OPS, WEB, Team(name="new")])
    [section] = compare_routing(before, after)
    got = {(c.op, c.subject, c.field): c for c in section.changes}
    assert got[("changed", "team db", "repeat interval")].after == "2h"
    assert got[("added", "team new", "team")].after == {"name": "new"}
