"""Prometheus rule files and promtool test files read back into the model.

The reader is as strict as Prometheus' own (``model/rulefmt/rulefmt.go``: unknown keys,
duplicate keys, a rule that is both or neither ``alert`` and ``record``, bad durations and
label names are errors) and as lossless as the model allows: every field of a rule file has
a typed home, so generating the group again gives the same groups, rules, expressions,
durations, labels and annotations. Each error names the file and line (from YAML's marks).

What a test file holds beyond alert tests (``promql_expr_test``, ``external_labels``...) has
no place in the model; :func:`parse_test_file` says so in its notes rather than dropping it
silently.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import yaml

from pfm_dash.errors import DeclarationError, Location
from pfm_dash.model.alerting import (
    AlertRule,
    AlertTest,
    Expect,
    RecordingRule,
    Rule,
    RuleGroup,
    Series,
    Team,
)
from pfm_dash.model.base import check_duration
from pfm_dash.model.vocab import Severity

__all__ = ["ParsedTests", "attach_tests", "parse_rule_file", "parse_test_file"]

# Field sets of Prometheus' rulefmt (RuleGroup and RuleNode); anything else is an error there.
GROUP_KEYS = frozenset({"name", "interval", "query_offset", "limit", "rules", "labels"})
ALERT_KEYS = frozenset({"alert", "expr", "for", "keep_firing_for", "labels", "annotations"})
RECORD_KEYS = frozenset({"record", "expr", "labels"})
# The fields of promtool's unit test file (cmd/promtool/unittest.go, unitTestFile/testGroup).
TEST_FILE_KEYS = frozenset(
    {"rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare"}
)
TEST_GROUP_KEYS = frozenset(
    {
        "name",
        "interval",
        "input_series",
        "alert_rule_test",
        "promql_expr_test",
        "external_labels",
        "external_url",
        "term",
    }
)
DEFAULT_EVALUATION_INTERVAL = "1m"
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # promtool's default evaluation_interval

_T = TypeVar("_T")
_P = ParamSpec("_P")


class _Source:
    """One YAML file: its node tree and the errors that point into it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DeclarationError(
                f"cannot read {path}: {exc}", Location(str(path), 0), "give a readable UTF-8 file"
            ) from None
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problem = getattr(exc, "problem", None) or str(exc)
            raise DeclarationError(
                f"not valid YAML: {problem}",
                Location(str(path), line),
                "fix the YAML syntax (indentation, quotes, ':' after keys)",
            ) from None

    def at(self, node: yaml.Node) -> Location:
        return Location(str(self.path), node.start_mark.line + 1)

    def error(self, node: yaml.Node, message: str, hint: str = "") -> DeclarationError:
        return DeclarationError(message, self.at(node), hint)

    def mapping(self, node: yaml.Node, what: str, allowed: frozenset[str]) -> dict[str, yaml.Node]:
        """A mapping's keys and value nodes; unknown or repeated keys are errors, as in Go."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping, not {_kind(node)}")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is None or name not in allowed:
                raise self.error(
                    key,
                    f"{what}: unknown field {name!r}",
                    f"the fields are {', '.join(sorted(allowed))}",
                )
            if name in out:
                raise self.error(key, f"{what}: field {name!r} is given twice")
            out[name] = value
        return out

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{what} must be a list, not {_kind(node)}")
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        """A scalar as Go's yaml reads it into a string field: ``5`` is ``"5"``, null is None."""
        if node is None or _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, f"{what} must be a string, not {_kind(node)}")
        return str(node.value)

    def duration(self, node: yaml.Node | None, what: str) -> str | None:
        value = self.text(node, what)
        return self.build(node, _checked_duration, value, what) if node else value

    def strings(self, node: yaml.Node | None, what: str, *, names: bool = False) -> dict[str, str]:
        """A label or annotation map: string keys, scalar values (null reads as ``""``).

        ``names``: the keys must be label names, as rulefmt demands of rule labels and
        annotations (test files' expected labels are not checked there).
        """
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping, not {_kind(node)}")
        out: dict[str, str] = {}
        for key, value in node.value:
            name = self.text(key, f"a key of {what}")
            if name is None or name in out:
                raise self.error(key, f"{what}: key {name!r} is empty or given twice")
            if names and not _LABEL_NAME.match(name):
                raise self.error(
                    key,
                    f"{what}: {name!r} is not a valid label name",
                    "use letters, digits and '_', not starting with a digit",
                )
            out[name] = self.text(value, f"{what}[{name!r}]") or ""
        return out

    def build(
        self, node: yaml.Node, make: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        """Run a model constructor; its error (and the object) points at the YAML line."""
        try:
            made = make(*args, **kwargs)
        except DeclarationError as exc:
            raise DeclarationError(exc.message, self.at(node), exc.hint) from None
        if dataclasses.is_dataclass(made) and hasattr(made, "location"):
            object.__setattr__(made, "location", self.at(node))
        return made


def _checked_duration(value: str | None, what: str) -> str | None:
    check_duration(value, what, Location("", 0))
    return value


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.value!r}"


# --- rule files ----------------------------------------------------------------------------


def parse_rule_file(path: Path) -> list[RuleGroup]:
    """Every group of a Prometheus rule file, as the model's ``RuleGroup``s.

    ``severity`` becomes a :class:`Severity` when it is one (else stays a label), ``team`` a
    :class:`Team` of that name (its receiver is the importer's business), ``summary``,
    ``description`` and ``runbook_url`` the typed fields; the rest stay labels and annotations.
    """
    src = _Source(path)
    if src.root is None or _is_null(src.root):
        return []  # an empty file is a valid rule file with no groups, for Prometheus too
    if not isinstance(src.root, yaml.MappingNode) or not any(
        isinstance(k, yaml.ScalarNode) and k.value == "groups" for k, _ in src.root.value
    ):
        raise src.error(
            src.root,
            "not a Prometheus rule file: it has no top-level 'groups:'",
            "give a rule file (groups: [{name: ..., rules: [...]}]); a promtool test file "
            "goes to --tests",
        )
    top = src.mapping(src.root, "the rule file", frozenset({"groups"}))
    groups: list[RuleGroup] = []
    seen: dict[str, int] = {}
    for node in src.sequence(top["groups"], "groups"):
        group = _group(src, node)
        if group.name in seen:
            raise src.error(
                node,
                f"group {group.name!r} is already defined at line {seen[group.name]}",
                "Prometheus refuses two groups of one name in a file: rename one",
            )
        seen[group.name] = group.location.line
        groups.append(group)
    return groups


def _group(src: _Source, node: yaml.Node) -> RuleGroup:
    fields = src.mapping(node, "a rule group", GROUP_KEYS)
    name = src.text(fields.get("name"), "group name")
    if not name:
        raise src.error(node, "rule group has no name", "add name: to the group")
    what = f"group {name!r}"
    limit_text = src.text(fields.get("limit"), f"{what} limit")
    limit: int | None = None
    if limit_text is not None:
        if not limit_text.isdigit():
            raise src.error(fields["limit"], f"{what}: limit {limit_text!r} is not a number")
        limit = int(limit_text)
    rules = [_rule(src, r) for r in src.sequence(fields.get("rules"), f"{what} rules")]
    interval = src.duration(fields.get("interval"), f"{what} interval")
    query_offset = src.duration(fields.get("query_offset"), f"{what} query_offset")
    labels = src.strings(fields.get("labels"), f"{what} labels", names=True)
    return src.build(
        node,
        RuleGroup,
        name=name,
        rules=rules,
        interval=interval,
        limit=limit,
        query_offset=query_offset,
        labels=labels,
    )


def _rule(src: _Source, node: yaml.Node) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise src.error(node, f"a rule must be a mapping, not {_kind(node)}")
    keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    if ("alert" in keys) == ("record" in keys):
        raise src.error(
            node,
            "a rule must have exactly one of 'alert' and 'record'",
            "name an alerting rule with alert: or a recording rule with record:",
        )
    if "record" in keys:
        fields = src.mapping(node, "a recording rule", RECORD_KEYS)
        record = src.text(fields["record"], "record") or ""
        expr = _expr(src, node, fields, record)
        labels = src.strings(fields.get("labels"), f"rule {record} labels", names=True)
        return src.build(node, RecordingRule, record=record, expr=expr, labels=labels)
    fields = src.mapping(node, "an alerting rule", ALERT_KEYS)
    name = src.text(fields["alert"], "alert") or ""
    expr = _expr(src, node, fields, name)
    for_ = src.duration(fields.get("for"), f"alert {name} for")
    keep = src.duration(fields.get("keep_firing_for"), f"alert {name} keep_firing_for")
    labels = src.strings(fields.get("labels"), f"alert {name} labels", names=True)
    annotations = src.strings(fields.get("annotations"), f"alert {name} annotations", names=True)
    severity: Severity | None = None
    if labels.get("severity") in Severity._value2member_map_:
        severity = Severity(labels.pop("severity"))
    team: Team | None = None
    if "team" in labels:
        try:
            team = Team(name=labels["team"])
            del labels["team"]
        except DeclarationError:
            pass  # not a name a Team may have ('Platform Team'): it stays a plain label
    typed = {
        k: annotations.pop(k) for k in ("summary", "description", "runbook_url") if k in annotations
    }
    # An empty one stays an annotation: the typed field leaves empty text out of the YAML.
    annotations.update({k: v for k, v in typed.items() if v == ""})
    return src.build(
        node,
        AlertRule,
        name=name,
        expr=expr,
        for_=for_,
        keep_firing_for=keep,
        severity=severity,
        team=team,
        labels=labels,
        annotations=annotations,
        summary=typed.get("summary", ""),
        description=typed.get("description", ""),
        runbook_url=typed.get("runbook_url", ""),
    )


def _expr(src: _Source, node: yaml.Node, fields: Mapping[str, yaml.Node], name: str) -> str:
    expr = src.text(fields.get("expr"), f"rule {name} expr")
    if not expr or not expr.strip():
        raise src.error(fields.get("expr", node), f"rule {name} has no expr", "add expr:")
    return expr


# --- promtool test files -------------------------------------------------------------------


@dataclass
class ParsedTests:
    """A promtool test file read into ``AlertTest``s, by the alert they test.

    ``expects`` holds each test's expected alerts with all their labels and annotations;
    :func:`attach_tests` trims what the rule supplies itself. ``notes`` says what the model
    has no place for.
    """

    path: Path
    by_alert: dict[str, list[AlertTest]] = field(default_factory=dict)
    evaluation_interval: str = DEFAULT_EVALUATION_INTERVAL
    notes: list[str] = field(default_factory=list)


def parse_test_file(path: Path) -> ParsedTests:
    """The alert tests of a promtool test file, one ``AlertTest`` per ``alert_rule_test``."""
    src = _Source(path)
    out = ParsedTests(path)
    if src.root is None or _is_null(src.root):
        return out
    if not isinstance(src.root, yaml.MappingNode) or not any(
        isinstance(k, yaml.ScalarNode) and k.value == "tests" for k, _ in src.root.value
    ):
        raise src.error(
            src.root,
            "not a promtool test file: it has no top-level 'tests:'",
            "give the file `promtool test rules` runs (rule_files:, tests:)",
        )
    top = src.mapping(src.root, "the test file", TEST_FILE_KEYS)
    out.evaluation_interval = (
        src.duration(top.get("evaluation_interval"), "evaluation_interval")
        or DEFAULT_EVALUATION_INTERVAL
    )
    for key in ("group_eval_order", "fuzzy_compare"):
        if key in top:
            out.notes.append(f"{path}:{src.at(top[key]).line}: {key} is not imported")
    for number, node in enumerate(src.sequence(top["tests"], "tests"), 1):
        _test_group(src, node, number, out)
    return out


def _test_group(src: _Source, node: yaml.Node, number: int, out: ParsedTests) -> None:
    fields = src.mapping(node, "a test", TEST_GROUP_KEYS)
    name = src.text(fields.get("name"), "test name") or f"test {number}"
    interval = src.duration(fields.get("interval"), f"test {name!r} interval")
    series = [
        _series(src, s)
        for s in src.sequence(fields.get("input_series"), f"test {name!r} input_series")
    ]
    for key in ("promql_expr_test", "external_labels", "external_url", "term"):
        if key in fields and not _is_null(fields[key]):
            out.notes.append(
                f"{src.path}:{src.at(fields[key]).line}: {key} of test {name!r} has no place "
                "in the model and is not imported"
            )
    cases = src.sequence(fields.get("alert_rule_test"), f"test {name!r} alert_rule_test")
    for case in cases:
        case_fields = src.mapping(
            case, "an alert_rule_test", frozenset({"eval_time", "alertname", "exp_alerts"})
        )
        alert = src.text(case_fields.get("alertname"), "alertname")
        at = src.duration(case_fields.get("eval_time"), "eval_time") or "0s"
        if not alert:
            raise src.error(case, f"test {name!r}: alert_rule_test has no alertname")
        expects = [
            _expect(src, e)
            for e in src.sequence(case_fields.get("exp_alerts"), f"test {name!r} exp_alerts")
        ]
        # Our generator names a case "<alert>: <test>"; read back, the test keeps its own name.
        title = name.removeprefix(f"{alert}: ")
        if len(cases) > 1:
            title = f"{title} at {at}"
        test = src.build(
            case,
            AlertTest,
            name=title,
            series=series,
            at=at,
            expect=expects,
            interval=interval or out.evaluation_interval,
        )
        out.by_alert.setdefault(alert, []).append(test)


def _series(src: _Source, node: yaml.Node) -> Series:
    fields = src.mapping(node, "an input series", frozenset({"series", "values"}))
    series = src.text(fields.get("series"), "series")
    if not series:
        raise src.error(node, "input series has no 'series'", "add series: 'metric{label=...}'")
    values = src.text(fields.get("values"), "values") or ""
    return src.build(node, Series, series=series, values=values)


def _expect(src: _Source, node: yaml.Node) -> Expect:
    fields = src.mapping(node, "an expected alert", frozenset({"exp_labels", "exp_annotations"}))
    labels = src.strings(fields.get("exp_labels"), "exp_labels")
    annotations = src.strings(fields.get("exp_annotations"), "exp_annotations")
    return src.build(node, Expect, labels=labels, annotations=annotations)


def attach_tests(groups: Sequence[RuleGroup], tests: ParsedTests) -> list[RuleGroup]:
    """``groups`` with each alert's tests from ``tests``; the labels and static annotations
    the rule itself supplies are trimmed from each ``Expect`` (the generator adds them back).

    Tests of an alert no group declares are reported in ``tests.notes``.
    """
    by_alert = dict(tests.by_alert)
    out: list[RuleGroup] = []
    for group in groups:
        rules: list[Rule] = []
        tested = False
        for rule in group.rules:
            found = by_alert.pop(rule.name, None) if isinstance(rule, AlertRule) else None
            if found and isinstance(rule, AlertRule):
                rule = _with_location(
                    dataclasses.replace(rule, tests=[_trim(rule, t) for t in found]),
                    rule.location,
                )
                tested = True
            rules.append(rule)
        out.append(_with_location(dataclasses.replace(group, rules=rules), group.location))
        # The generated test file evaluates at the group's interval (promtool's 1m without).
        runs_at = group.interval or DEFAULT_EVALUATION_INTERVAL
        if tested and runs_at != tests.evaluation_interval:
            tests.notes.append(
                f"{tests.path}: evaluation_interval {tests.evaluation_interval} differs from "
                f"group {group.name!r}'s interval {runs_at}; the tests will run at {runs_at}"
            )
    for alert, found in by_alert.items():
        tests.notes.append(
            f"{tests.path}: {len(found)} test(s) of alert {alert}, which no imported group "
            "declares, are not imported"
        )
    return out


def _trim(rule: AlertRule, test: AlertTest) -> AlertTest:
    own_labels = rule.all_labels
    static = {k: v for k, v in rule.all_annotations.items() if "{{" not in v}
    expects = [
        Expect(
            labels={k: v for k, v in e.labels.items() if own_labels.get(k) != v},
            annotations={k: v for k, v in e.annotations.items() if static.get(k) != v},
        )
        for e in test.expect
    ]
    return _with_location(dataclasses.replace(test, expect=expects), test.location)


def _with_location(obj: _T, location: Location) -> _T:
    object.__setattr__(obj, "location", location)
    return obj
