"""``check-rules``: the PromQL and alert house rules over rule files anyone wrote.

Real-world files are messy (Helm templates, PrometheusRule wrappers, tabs, odd types), so
nothing here may raise: a file that cannot be read becomes a ``rules-file`` finding, and every
rule is read defensively from the YAML node tree, which also gives each rule its line.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import promql_parser
import yaml

from pfm_dash.checks import Finding, finding, gotemplate, promtool_batches, rulelint, sort_findings
from pfm_dash.checks.alerts import AlertView, house_rules
from pfm_dash.checks.promql import (
    UNKNOWN_TOOL,
    Site,
    end_of_content,
    parse,
    parse_promtool,
    site_findings,
)
from pfm_dash.checks.promtool_batches import Background, Verdict, rule_paths
from pfm_dash.errors import Location, ToolError
from pfm_dash.settings import duration_problem

# libyaml when present: the pure-Python composer takes seconds over a large corpus.
_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Loader(_BASE):  # type: ignore[misc]
    """Tags only what is read here (null or not): the full implicit resolver is a third of
    composing a large file, spent on int/float/bool/timestamp tags nothing looks at."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULLS:
                return _NULL
            return "tag:yaml.org,2002:str"
        return str(super().resolve(kind, value, implicit))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered: nothing to track on the way down or up."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


_LOADER: Any = _Loader


@dataclass
class Stats:
    files: int = 0
    rules: int = 0
    expressions: int = 0
    parsed: int = 0
    errors_with_position: int = 0
    errors_without_position: int = 0
    unreadable_files: int = 0
    crashes: list[str] = field(default_factory=list)


@dataclass
class _Rule:
    site: Site
    group: str
    number: int
    view: AlertView | None
    line: int
    cheap: bool = False  # parsed with placeholder regexes (see _parse)
    # (label or annotation, key, value node): the templates Prometheus parses.
    templates: list[tuple[str, str, yaml.ScalarNode]] = field(default_factory=list)


@dataclass
class _File:
    """What one file holds, and what our own reading found Prometheus would refuse."""

    path: Path
    source: str = ""
    rules: list[_Rule] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


# rulefmt (prometheus/prometheus model/rulefmt/rulefmt.go, 2.42): the keys it unmarshals
# strictly; any other key stops promtool at the file ("field x not found in type ...").
GROUP_KEYS = frozenset({"name", "interval", "limit", "rules"})
RULE_KEYS = frozenset(
    {"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
)
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


def _value(node: yaml.Node | None) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _keys(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [k for k, _ in node.value if isinstance(k, yaml.ScalarNode)]


def _strings(node: yaml.Node | None) -> dict[str, str]:
    return {k: str(v.value) for k, v in _mapping(node).items() if isinstance(v, yaml.ScalarNode)}


def _is_null(node: yaml.Node) -> bool:
    return node.tag == _NULL


def source_position(source: str, node: yaml.ScalarNode, offset: int) -> tuple[int, int]:
    """File (line, 1-based column) of character ``offset`` of a scalar's value.

    Walks the value and its source text together, skipping what YAML removed (indentation,
    quotes, escapes, folded line breaks), so a block ``expr: |`` maps each line to its own.
    """
    value = str(node.value)
    offset = end_of_content(value, offset)
    j = node.start_mark.index
    if node.style in ("|", ">"):
        j = source.find("\n", j) + 1 or node.end_mark.index
    elif node.style in ("'", '"'):
        j += 1
    end = node.end_mark.index
    i = 0
    while i < min(offset, len(value)) and j < end:
        if value[i] == source[j]:
            i += 1
            j += 1
        elif value[i].isspace() and not source[j].isspace():
            i += 1
        else:
            j += 1
    while j < end and offset < len(value) and source[j].isspace() and not value[i].isspace():
        j += 1
    line_start = source.rfind("\n", 0, j) + 1
    return source.count("\n", 0, j) + 1, j - line_start + 1


def read_rules(path: Path) -> tuple[list[_Rule], list[Finding]]:
    """The rules of one file with their lines, or why the file could not be read."""
    read = read_file(path)
    return read.rules, read.problems


def read_file(path: Path) -> _File:
    """One file's rules, and each thing in its structure Prometheus would refuse."""
    file = str(path)
    out = _File(path)
    out.source = path.read_text("utf-8", errors="replace")

    def problem(rule: str, node: yaml.Node, obj: str, message: str, **kw: Any) -> None:
        where = Location(file, node.start_mark.line + 1)
        col = node.start_mark.column + 1
        out.problems.append(finding(rule, where, obj, message, column=col, **kw))

    try:
        root = yaml.compose(out.source, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        out.problems.append(
            finding("rules-file", Location(file, line), path.name, f"invalid YAML: {exc}")
        )
        return out
    groups = _mapping(root).get("groups")
    if not isinstance(groups, yaml.SequenceNode):
        out.problems.append(
            finding("rules-file", Location(file, 1), path.name, "no 'groups:' list")
        )
        return out
    seen_groups: set[str] = set()
    for group_node in groups.value:
        group = _mapping(group_node)
        name = str(_value(group.get("name")) or "")
        for key in _keys(group_node):
            if key.value not in GROUP_KEYS:
                problem("rules-file", key, f"group {name}", f"unknown group field {key.value!r}")
        if not name:
            problem("rules-file", group.get("name") or group_node, "group", "group name is empty")
        elif name in seen_groups:
            problem("rules-file", group["name"], f"group {name}", f"group {name!r} is repeated")
        seen_groups.add(name)
        interval = group.get("interval")
        if (
            isinstance(interval, yaml.ScalarNode)
            and not _is_null(interval)
            and (msg := duration_problem(str(interval.value)))
        ):
            problem("rules-duration", interval, f"group {name}", f"interval: {msg}")
        rule_nodes = group.get("rules")
        if not isinstance(rule_nodes, yaml.SequenceNode):
            where = Location(file, group_node.start_mark.line + 1)
            out.problems.append(finding("rules-file", where, f"group {name}", "no 'rules:' list"))
            continue
        for number, rule_node in enumerate(rule_nodes.value, start=1):
            obj = f"group {name} rule {number}"
            fields = _mapping(rule_node)  # read once: each rule is looked at several times
            bad = _malformed(rule_node, fields)
            if bad:
                problem("rules-file", rule_node, obj, bad)
                continue
            rule = _read_rule(out.source, file, name, number, rule_node, fields)
            obj = rule.site.obj
            if not RULE_KEYS.issuperset(fields):
                for key in _keys(rule_node):
                    if key.value not in RULE_KEYS:
                        problem("rules-file", key, obj, f"unknown rule field {key.value!r}")
            for field_name in ("for", "keep_firing_for"):
                node = fields.get(field_name)
                if (
                    isinstance(node, yaml.ScalarNode)
                    and not _is_null(node)
                    and (msg := duration_problem(str(node.value)))
                ):
                    problem("rules-duration", node, obj, f"{field_name}: {msg}")
            record = _value(fields.get("record"))
            if record is not None and not _METRIC_NAME.match(str(record)):
                problem(
                    "rules-file", fields["record"], obj, f"invalid recording rule name: {record}"
                )
            for kind in ("labels", "annotations"):
                holder = fields.get(kind)
                for key in _keys(holder):
                    if not _LABEL_NAME.match(str(key.value)):
                        problem("rules-file", key, obj, f"invalid {kind[:-1]} name: {key.value}")
                if isinstance(holder, yaml.MappingNode):
                    for key_node, value_node in holder.value:
                        if not isinstance(value_node, yaml.ScalarNode):
                            problem(
                                "rules-file",
                                value_node,
                                obj,
                                f"{kind[:-1]} {key_node.value!r} must be a string",
                            )
            for kind, template_key, value in rule.templates:
                error = gotemplate.check(str(value.value))
                if error is not None:
                    line, col = source_position(out.source, value, error.offset)
                    out.problems.append(
                        finding(
                            "rules-template",
                            Location(file, line),
                            obj,
                            f"{kind} {template_key!r}: template: {error.message}",
                            column=col,
                        )
                    )
            out.rules.append(rule)
    return out


def _malformed(node: yaml.Node, fields: dict[str, yaml.Node]) -> str:
    """What Prometheus would refuse in a rule's structure (rulefmt), or ''."""
    if not isinstance(node, yaml.MappingNode):
        return "a rule must be a mapping"
    if ("alert" in fields) == ("record" in fields):
        return "a rule needs exactly one of 'alert' and 'record'"
    if not isinstance(fields.get("expr"), yaml.ScalarNode) or not _value(fields.get("expr")):
        return "the rule has no 'expr'"
    return ""


def _read_rule(
    source: str, file: str, group: str, number: int, node: yaml.Node, fields: dict[str, yaml.Node]
) -> _Rule:
    expr_node = fields.get("expr")
    assert isinstance(expr_node, yaml.ScalarNode)
    expr = str(expr_node.value)
    line = expr_node.start_mark.line + 1
    if expr_node.style in ("|", ">"):
        line += 1  # the expression starts on the line after the block indicator
    alert = _value(fields.get("alert"))
    record = _value(fields.get("record"))
    obj = f"alert {alert}" if alert is not None else f"record {record}"
    site = Site(expr, Location(file, line), obj)
    site.place = lambda offset: source_position(source, expr_node, offset)
    view = None
    templates: list[tuple[str, str, yaml.ScalarNode]] = []
    # Only alerting rules' labels and annotations are templates (recording labels are static).
    for kind in ("labels", "annotations") if alert is not None else ():
        holder = fields.get(kind)
        if isinstance(holder, yaml.MappingNode):
            for k, v in holder.value:
                if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode):
                    templates.append((kind[:-1], str(k.value), v))
    if alert is not None:
        view = AlertView(
            name=str(alert),
            expr=expr,
            for_=_value(fields.get("for")),
            labels=_strings(fields.get("labels")),
            annotations=_strings(fields.get("annotations")),
            location=Location(file, node.start_mark.line + 1),
        )
    return _Rule(site, group, number, view, node.start_mark.line + 1, templates=templates)


def _promtool_findings(read: _File, verdict: Verdict) -> tuple[dict[int, Any], list[Finding]]:
    """(rule index -> parse error) and promtool's other refusals we did not find ourselves."""
    file = str(read.path)
    numbering = {(r.group, r.number): i for i, r in enumerate(read.rules)}
    ours = {(f.location.line, f.rule) for f in read.problems}
    own_kinds = {f.rule for f in read.problems}
    parse_errors: dict[int, Any] = {}
    extra: list[Finding] = []
    for line, message in verdict.file_errors:
        if "duration" in message and "rules-duration" in own_kinds:
            continue
        if (line, "rules-file") in ours or (line == 0 and "rules-file" in own_kinds):
            continue
        where = Location(file, line or 1)
        extra.append(finding("rules-file", where, read.path.name, f"promtool: {message}"))
    templated = {f.object for f in read.problems if f.rule == "rules-template"}
    flagged = {f.object for f in read.problems if f.rule == "rules-file"}
    for (group, number), lines in verdict.rule_errors.items():
        index = numbering.get((group, number))
        if index is None:
            continue  # a rule we could not read: our own rules-file finding says why
        rule = read.rules[index]
        for text in lines:
            body = text[text.index(", rule ") :]
            if "could not parse expression" in body:
                found = parse_promtool(
                    body.replace(", rule", 'group "g", rule', 1), _constant(rule.site.text)
                )
                if found:
                    parse_errors[index] = next(iter(found.values()))
                continue
            if ": template: " in body:
                if rule.site.obj in templated:
                    continue
                kind = "rules-template"
            elif rule.site.obj in flagged:
                continue
            else:
                kind = "rules-file"
            message = body.split('": ', 1)[-1]
            extra.append(
                finding(kind, Location(file, rule.line), rule.site.obj, f"promtool: {message}")
            )
    return parse_errors, extra


def _constant(text: str) -> Callable[[int], str]:
    """An expression lookup that always answers ``text`` (one rule's expression)."""
    return lambda _name: text


def check_files(
    targets: Iterable[Path], *, promtool: bool | None = None
) -> tuple[list[Finding], Stats]:
    """Findings over every rule file under ``targets``, and the counts the corpus test wants."""
    paths = rule_paths(targets)
    return check_paths(paths, promtool_batches.start(paths, promtool))


def check_paths(paths: list[Path], background: Background | None) -> tuple[list[Finding], Stats]:
    """Findings over ``paths``, with promtool's verdicts from ``background`` (None: no
    promtool; only our own parser judges the PromQL)."""
    # Tens of thousands of YAML nodes stay alive until the end: the cyclic GC would walk
    # them again and again for nothing (a tenth of the run on 10,000 rules).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_paths(paths, background)
    finally:
        if enabled:
            gc.enable()


def _check_paths(paths: list[Path], background: Background | None) -> tuple[list[Finding], Stats]:
    stats = Stats()
    findings: list[Finding] = []
    # promtool works in the background (started by the caller, as early as it could) while
    # this process reads, parses and lints every rule: only what depends on its answer waits.
    files: list[_File] = []
    for path in paths:
        stats.files += 1
        try:
            read = read_file(path)
            for rule in read.rules:
                rule.cheap = _parse(rule.site, cheap=background is not None)
                if rule.view is not None:
                    findings.extend(house_rules(rule.view))
        except Exception as exc:  # never crash on someone's file: count it and go on
            stats.crashes.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        stats.unreadable_files += any(f.rule == "rules-file" for f in read.problems)
        findings.extend(read.problems)
        files.append(read)
    try:
        findings.extend(rulelint.check([_lint_rule(read, r) for read in files for r in read.rules]))
    except Exception as exc:
        stats.crashes.append(f"cross-file checks: {type(exc).__name__}: {exc}")
    verdicts: dict[str, Verdict] | None = None
    if background is not None:
        try:
            verdicts = background.join()
        except ToolError as exc:
            findings.append(finding("tool-failed", UNKNOWN_TOOL, "promtool", str(exc)))
    for read in files:
        verdict = verdicts.get(str(read.path), Verdict()) if verdicts is not None else None
        # A file promtool stopped on before reading its PromQL: promql-parser is the judge.
        tool_ran = verdict is not None and verdict.checked
        tool: dict[int, Any] = {}
        if verdict is not None:
            tool, extra = _promtool_findings(read, verdict)
            findings.extend(extra)
        for index, rule in enumerate(read.rules):
            if rule.cheap and (not tool_ran or index in tool):
                parse(rule.site)  # promtool did not vouch for its regexes: parse what was written
            try:
                findings.extend(_check_rule(rule, tool_ran, tool.get(index), stats))
            except Exception as exc:
                stats.crashes.append(f"{read.path} rule {index + 1}: {type(exc).__name__}: {exc}")
    return sort_findings(findings), stats


# A regex matcher: promql-parser compiles each regex, even a trivial one (30-100 us, most of
# a parse).
_REGEX_MATCHER = re.compile(r"""[=!]~\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""")
# What replaces it: a matcher with no regex that no check here reads (they read only ``=``
# matchers: a selector's ``__name__``, absent()'s labels). If the selector is left with only
# matchers that match the empty string, the cheap parse fails and the rule is parsed as written.
_NO_REGEX = '!="x"'


def _parse(site: Site, *, cheap: bool) -> bool:
    """Parse ``site``; with ``cheap``, its regex matchers replaced (promtool checks them
    meanwhile).

    Nothing here reads a regex matcher, so the tree serves every check; a rule promtool
    does not vouch for is parsed again as written. Returns whether the tree is the cheap one.
    """
    if cheap and "~" in site.text:
        text = _REGEX_MATCHER.sub(_NO_REGEX, site.text)
        try:
            site.ast = promql_parser.parse(text)
        except ValueError:
            pass
        else:
            return True
    parse(site)
    return False


def _lint_rule(read: _File, rule: _Rule) -> rulelint.LintRule:
    def place(node: yaml.ScalarNode) -> Callable[[int], tuple[int, int]]:
        return lambda offset: source_position(read.source, node, offset)

    templates = [
        rulelint.Template(kind, key, str(node.value), place(node))
        for kind, key, node in rule.templates
    ]
    return rulelint.LintRule(rule.site, rule.view, templates)


def _check_rule(rule: _Rule, tool_ran: bool, by_tool: Any, stats: Stats) -> list[Finding]:
    """The parse findings of one (already parsed) rule, given promtool's answer."""
    stats.rules += 1
    if not rule.site.expr.strip():
        return []
    stats.expressions += 1
    found = site_findings(rule.site, tool_ran, by_tool)
    if rule.site.ast is not None:
        stats.parsed += 1
    else:
        parse_errors = [f for f in found if f.rule.startswith("promql-")]
        if any("^" in f.excerpt for f in parse_errors):
            stats.errors_with_position += 1
        else:
            stats.errors_without_position += 1
    return found
