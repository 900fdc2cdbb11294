"""Rule groups compared as declarations: alerts by name, recording rules by record and labels.

An alert's expression is compared as a word diff of the PromQL that ships (a shared query's
text after ``for_rules``), its team by name, its linked panel by dashboard and title, and its
unit tests by name: added, removed, or changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pfm_dash.model.alerting import AlertRule, AlertTest, RecordingRule, RuleGroup
from pfm_dash.review.changes import Change, Section
from pfm_dash.review.dashboards import sides
from pfm_dash.review.fields import compare_fields, plain, value_change


def _tests(subject: str, before: Sequence[AlertTest], after: Sequence[AlertTest]) -> list[Change]:
    old = {t.name: t for t in before}
    new = {t.name: t for t in after}
    out: list[Change] = []
    for name in [*new, *(n for n in old if n not in new)]:
        what = f"{subject} test {name!r}"
        if name not in old:
            out.append(Change("added", what, "test", None, plain(new[name])))
        elif name not in new:
            out.append(Change("removed", what, "test", plain(old[name]), None))
        else:
            out.extend(compare_fields(what, old[name], new[name], skip={"name"}))
    return out


def _expression(
    subject: str, before: AlertRule | RecordingRule, after: AlertRule | RecordingRule
) -> list[Change]:
    """The PromQL that ships, whether written inline or as a shared query."""
    return value_change(subject, "expr", before.expression, after.expression)


def _recording(
    key: str, before: AlertRule | RecordingRule, after: AlertRule | RecordingRule
) -> list[Change]:
    return compare_fields(
        key, before, after, special={"expr": lambda _o, _n: _expression(key, before, after)}
    )


def compare_alert(before: AlertRule, after: AlertRule) -> list[Change]:
    subject = f"alert {after.name}"
    return compare_fields(
        subject,
        before,
        after,
        skip={"name"},
        special={
            "expr": lambda _o, _n: value_change(
                subject, "expr", before.expression, after.expression
            ),
            "tests": lambda o, n: _tests(subject, o, n),
        },
    )


def _recording_key(rule: RecordingRule) -> str:
    labels = ",".join(f"{k}={v}" for k, v in rule.labels.items())
    return f"{rule.record}{{{labels}}}" if labels else rule.record


def _rule_key(rule: AlertRule | RecordingRule) -> str:
    return f"alert {rule.name}" if isinstance(rule, AlertRule) else f"record {_recording_key(rule)}"


def _rule_json(rule: AlertRule | RecordingRule) -> Any:
    data = plain(rule)
    data["expr"] = rule.expression
    return data


def compare_group(before: RuleGroup, after: RuleGroup) -> Section | None:
    changes = compare_fields(f"group {after.name}", before, after, skip={"name", "rules"})
    old = {_rule_key(r): r for r in before.rules}
    new = {_rule_key(r): r for r in after.rules}
    for key in [*new, *(k for k in old if k not in new)]:
        if key not in old:
            changes.append(Change("added", key, "rule", None, _rule_json(new[key])))
        elif key not in new:
            changes.append(Change("removed", key, "rule", _rule_json(old[key]), None))
        else:
            a, b = old[key], new[key]
            if isinstance(a, AlertRule) and isinstance(b, AlertRule):
                changes.extend(compare_alert(a, b))
            else:
                changes.extend(_recording(key, a, b))
    if not changes:
        return None
    return Section("rule group", after.name, after.name, "changed", changes)


def _whole(group: RuleGroup, op: str) -> Section:
    changes = [Change(op, _rule_key(r), "rule", *sides(op, _rule_json(r))) for r in group.rules]
    return Section("rule group", group.name, group.name, op, changes)


def compare_groups(before: Sequence[RuleGroup], after: Sequence[RuleGroup]) -> list[Section]:
    """One section per rule group added, removed or changed, by name."""
    old = {g.name: g for g in before}
    new = {g.name: g for g in after}
    out: list[Section] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            out.append(_whole(new[name], "added"))
        elif name not in new:
            out.append(_whole(old[name], "removed"))
        else:
            section = compare_group(old[name], new[name])
            if section is not None:
                out.append(section)
    return out
