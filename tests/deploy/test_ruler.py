"""sync_ruler against the fake Mimir ruler on a real socket: create, idempotence, update,
prune, limits, dry run, the Alertmanager config, and the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from pfm_dash.client import RetryPolicy
from pfm_dash.deploy.ruler import (
    RulerOptions,
    RulerSettings,
    group_difference,
    render_text,
    summary_json,
    sync_ruler,
)
from pfm_dash.errors import DeclarationErrors
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.model.alerting import RecordingRule, RuleGroup
from pfm_dash.push.types import Action, PushSummary
from pfm_dash.testing.fake_ruler import FakeRuler

TENANT = "team-a"
NS = "app"
AM = "route:\n  receiver: default\nreceivers:\n- name: default\n"


@pytest.fixture
def ruler() -> Iterator[FakeRuler]:
    with FakeRuler() as fake:
        yield fake


def group(name: str, expr: str = "up == 0", rules: int = 1, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "interval": "30s", **extra}
    body["rules"] = [
        {"alert": f"A{i}", "expr": expr, "for": "5m", "labels": {"severity": "page"}}
        for i in range(rules)
    ]
    return body


def files(*groups: dict[str, Any]) -> dict[str, str]:
    return {
        f"build/prometheus/rules/{g['name']}.rules.yml": dump_yaml({"groups": [g]}) for g in groups
    }


def settings(fake: FakeRuler, **kw: Any) -> RulerSettings:
    base: dict[str, Any] = {
        "tenant": TENANT,
        "namespace": NS,
        "retry": RetryPolicy(retries=3, backoff=0.01, jitter=0.0),
    }
    return RulerSettings(fake.url, **{**base, **kw})


def sync(fake: FakeRuler, *groups: dict[str, Any], **kw: Any) -> PushSummary:
    options = RulerOptions(dry_run=kw.pop("dry_run", False), prune=kw.pop("prune", False))
    am = kw.pop("alertmanager_config", None)
    return sync_ruler(
        settings(fake, **kw), options, rule_files=files(*groups), alertmanager_config=am
    )


def actions(summary: PushSummary) -> dict[str, Action]:
    return {o.title: o.action for o in summary.outcomes}


def test_first_sync_creates_every_group(ruler: FakeRuler) -> None:
    summary = sync(ruler, group("a"), group("b"))
    assert actions(summary) == {"a": Action.CREATE, "b": Action.CREATE}
    assert summary.exit_code == 0
    assert set(ruler.groups(TENANT, NS)) == {"a", "b"}
    posts = [r for r in ruler.writes() if r.method == "POST"]
    assert len(posts) == 2 and {r.caller for r in posts} == {TENANT}


def test_resync_with_nothing_changed_writes_nothing(ruler: FakeRuler) -> None:
    sync(ruler, group("a"), group("b"), alertmanager_config=AM)
    ruler.clear_log()
    summary = sync(ruler, group("a"), group("b"), alertmanager_config=AM)
    assert actions(summary) == {
        "a": Action.UNCHANGED,
        "b": Action.UNCHANGED,
        "Alertmanager config": Action.UNCHANGED,
    }
    assert ruler.writes() == []
    assert summary.requests == 2  # one list of the namespace, one read of the config


def test_equal_after_the_rulers_normalisation_is_unchanged(ruler: FakeRuler) -> None:
    # The ruler re-prints durations (60s -> 1m) and drops empty maps (rulespb/compat.go).
    first = group("a", interval="60s")
    first["rules"][0]["annotations"] = {}
    sync(ruler, first)
    assert ruler.groups(TENANT, NS)["a"]["interval"] == "1m"
    ruler.clear_log()
    assert actions(sync(ruler, first)) == {"a": Action.UNCHANGED}
    assert ruler.writes() == []


def test_a_changed_group_is_rewritten_and_says_what_changed(ruler: FakeRuler) -> None:
    sync(ruler, group("a"), group("b"))
    ruler.clear_log()
    summary = sync(ruler, group("a", expr="up == 1"), group("b"))
    assert actions(summary) == {"a": Action.UPDATE, "b": Action.UNCHANGED}
    assert summary.dashboards[0].detail == "rule 1 'A0': expr differs"
    assert [(r.method, r.path) for r in ruler.writes()] == [
        ("POST", f"/prometheus/config/v1/rules/{NS}")
    ]
    assert ruler.groups(TENANT, NS)["a"]["rules"][0]["expr"] == "up == 1"


def test_prune_deletes_only_undeclared_groups_of_its_own_namespace(ruler: FakeRuler) -> None:
    sync(ruler, group("a"), group("old"))
    sync(ruler, group("other"), namespace="elsewhere")
    sync(ruler, group("a"), tenant="team-b")
    ruler.clear_log()
    summary = sync(ruler, group("a"), prune=True)
    assert [(o.title, o.action, o.applied) for o in summary.deletions] == [
        ("old", Action.DELETE, True)
    ]
    assert set(ruler.groups(TENANT, NS)) == {"a"}
    assert set(ruler.groups(TENANT, "elsewhere")) == {"other"}
    assert set(ruler.groups("team-b", NS)) == {"a"}
    assert [(r.method, r.path) for r in ruler.writes()] == [
        ("DELETE", f"/prometheus/config/v1/rules/{NS}/old")
    ]


def test_without_prune_undeclared_groups_stay(ruler: FakeRuler) -> None:
    sync(ruler, group("a"), group("old"))
    summary = sync(ruler, group("a"))
    assert summary.deletions == [] and set(ruler.groups(TENANT, NS)) == {"a", "old"}


def test_prune_makes_room_before_creating_at_the_groups_limit(ruler: FakeRuler) -> None:
    ruler.set_limits(max_groups_per_tenant=2)
    sync(ruler, group("a"), group("b"))
    summary = sync(ruler, group("a"), group("c"), prune=True)
    assert summary.exit_code == 0, render_text(summary)
    assert set(ruler.groups(TENANT, NS)) == {"a", "c"}


def test_limits_refusal_names_the_group_and_mimirs_message(ruler: FakeRuler) -> None:
    ruler.set_limits(max_rules_per_group=3)
    summary = sync(ruler, group("small", rules=2), group("big", rules=5))
    assert actions(summary) == {"small": Action.CREATE, "big": Action.FAILED}
    assert summary.exit_code == 1
    text = render_text(summary)
    line = next(x for x in text.splitlines() if x.startswith("failed"))
    assert f"{NS}/big" in line
    assert "per-user rules per rule group limit (limit: 3 actual: 5) exceeded" in line
    assert set(ruler.groups(TENANT, NS)) == {"small"}


def test_groups_per_tenant_limit_counts_every_namespace(ruler: FakeRuler) -> None:
    ruler.set_limits(max_groups_per_tenant=2)
    sync(ruler, group("x"), namespace="elsewhere")
    summary = sync(ruler, group("a"), group("b"), concurrency=1)
    assert actions(summary) == {"a": Action.CREATE, "b": Action.FAILED}
    assert (
        "per-user rule groups limit (limit: 2 actual: 3) exceeded" in summary.dashboards[1].detail
    )


def test_dry_run_writes_nothing_and_reports_the_plan(ruler: FakeRuler) -> None:
    sync(ruler, group("a"), group("old"))
    ruler.clear_log()
    summary = sync(
        ruler,
        group("a", expr="up == 1"),
        group("new"),
        prune=True,
        dry_run=True,
        alertmanager_config=AM,
    )
    assert ruler.writes() == []
    assert actions(summary) == {
        "a": Action.UPDATE,
        "new": Action.CREATE,
        "Alertmanager config": Action.CREATE,
        "old": Action.DELETE,
    }
    assert not any(o.applied for o in summary.outcomes)
    assert "would create" in render_text(summary)
    assert summary.exit_code == 0


def test_alertmanager_config_created_then_unchanged_then_updated(ruler: FakeRuler) -> None:
    assert actions(sync(ruler, alertmanager_config=AM)) == {"Alertmanager config": Action.CREATE}
    assert ruler.alertmanager_config(TENANT) == {"alertmanager_config": AM, "template_files": {}}
    # Parsed comparison: a reformatted but equal config is not written.
    reformatted = "route: {receiver: default}\nreceivers: [{name: default}]\n"
    ruler.clear_log()
    assert actions(sync(ruler, alertmanager_config=reformatted)) == {
        "Alertmanager config": Action.UNCHANGED
    }
    assert ruler.writes() == []
    changed = AM + "  webhook_configs:\n  - url: http://hook.example/\n"
    assert actions(sync(ruler, alertmanager_config=changed)) == {
        "Alertmanager config": Action.UPDATE
    }


def test_alertmanager_config_mimir_refuses_is_a_failure_with_its_message(
    ruler: FakeRuler,
) -> None:
    bad = AM + "  slack_configs:\n  - api_url_file: /etc/slack\n    channel: x\n"
    summary = sync(ruler, alertmanager_config=bad)
    assert summary.exit_code == 1
    assert summary.dashboards[0].detail.endswith(
        "400 error validating Alertmanager config: setting Slack api_url_file and global "
        "slack_api_url_file is not allowed"
    )


def test_model_rule_groups_are_synced_too(ruler: FakeRuler) -> None:
    declared = RuleGroup(
        name="recording", rules=[RecordingRule(record="job:up:sum", expr="sum by (job) (up)")]
    )
    summary = sync_ruler(settings(ruler), groups=[declared])
    assert actions(summary) == {"recording": Action.CREATE}
    stored = ruler.groups(TENANT, NS)["recording"]
    assert stored["rules"] == [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]
    assert actions(sync_ruler(settings(ruler), groups=[declared])) == {
        "recording": Action.UNCHANGED
    }


def test_a_group_declared_twice_is_refused_before_any_request(ruler: FakeRuler) -> None:
    twice = {"x.yml": dump_yaml({"groups": [group("a"), group("a")]})}
    with pytest.raises(DeclarationErrors) as info:
        sync_ruler(settings(ruler), rule_files=twice)
    assert "rule group 'a' is declared twice" in info.value.render()
    assert info.value.exit_code == 2
    assert ruler.requests == []


def test_json_summary_has_the_push_counts(ruler: FakeRuler) -> None:
    summary = sync(ruler, group("a"))
    doc = json.loads(json.dumps(summary_json(summary)))
    assert doc["created"] == 1 and doc["exit_code"] == 0 and doc["dry_run"] is False
    assert doc["groups"] == [
        {
            "uid": f"{NS}/a",
            "title": "a",
            "action": "create",
            "applied": True,
            "source": "build/prometheus/rules/a.rules.yml",
        }
    ]


def test_group_difference_follows_compare_groups() -> None:
    base = group("a")
    assert group_difference(base, {**base, "interval": "30000ms"}) == ""
    assert group_difference(base, {**base, "interval": "1m"}) == "interval 1m -> 30s"
    # Not stored by the ruler, so never a difference.
    assert group_difference({**base, "limit": 5}, base) == ""
    swapped = {**base, "source_tenants": ["b", "a"]}
    assert group_difference({**base, "source_tenants": ["a", "b"]}, swapped) == ""
    kept = group("a")
    kept["rules"][0]["keep_firing_for"] = "10m"
    assert group_difference(kept, base) == "rule 1 'A0': keep_firing_for unset -> 10m"
