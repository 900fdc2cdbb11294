"""``check-rules``: the PromQL and alert house rules over rule files anyone wrote.

Real-world files are messy (Helm templates, PrometheusRule wrappers, tabs, odd types), so
nothing here may raise: a file that cannot be read becomes a ``rules-file`` finding, and every
rule is read defensively from the YAML node tree, which also gives each rule its line.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pfm_dash.checks import Finding, finding, sort_findings
from pfm_dash.checks.alerts import AlertView, house_rules
from pfm_dash.checks.promql import (
    UNKNOWN_TOOL,
    Site,
    parse,
    parse_promtool,
    site_findings,
    tool_failure,
)
from pfm_dash.errors import Location, ToolError
from pfm_dash.tools import run_tool

RULE_SUFFIXES = (".yml", ".yaml")
_GROUP_RULE = re.compile(r'group "([^"]*)", rule (\d+), ')
# libyaml when present: the pure-Python composer takes seconds over a large corpus.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def rule_paths(targets: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            out.extend(sorted(p for p in target.rglob("*") if p.suffix in RULE_SUFFIXES))
        else:
            out.append(target)
    return out


def _value(node: yaml.Node | None) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _strings(node: yaml.Node | None) -> dict[str, str]:
    return {k: str(v.value) for k, v in _mapping(node).items() if isinstance(v, yaml.ScalarNode)}


def read_rules(path: Path) -> tuple[list[_Rule], list[Finding]]:
    """The rules of one file with their lines, or why the file could not be read."""
    file = str(path)
    try:
        root = yaml.compose(path.read_text("utf-8", errors="replace"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return [], [finding("rules-file", Location(file, line), path.name, f"invalid YAML: {exc}")]
    groups = _mapping(root).get("groups")
    if not isinstance(groups, yaml.SequenceNode):
        return [], [finding("rules-file", Location(file, 1), path.name, "no 'groups:' list")]
    rules: list[_Rule] = []
    problems: list[Finding] = []
    for group_node in groups.value:
        group = _mapping(group_node)
        name = str(_value(group.get("name")) or "")
        rule_nodes = group.get("rules")
        if not isinstance(rule_nodes, yaml.SequenceNode):
            where = Location(file, group_node.start_mark.line + 1)
            problems.append(finding("rules-file", where, f"group {name}", "no 'rules:' list"))
            continue
        for number, rule_node in enumerate(rule_nodes.value, start=1):
            problem = _malformed(rule_node)
            if problem:
                where = Location(file, rule_node.start_mark.line + 1)
                problems.append(
                    finding("rules-file", where, f"group {name} rule {number}", problem)
                )
                continue
            rules.append(_read_rule(file, name, number, rule_node))
    return rules, problems


def _malformed(node: yaml.Node) -> str:
    """What Prometheus would refuse in a rule's structure (rulefmt), or ''."""
    fields = _mapping(node)
    if not isinstance(node, yaml.MappingNode):
        return "a rule must be a mapping"
    if ("alert" in fields) == ("record" in fields):
        return "a rule needs exactly one of 'alert' and 'record'"
    if not isinstance(fields.get("expr"), yaml.ScalarNode) or not _value(fields.get("expr")):
        return "the rule has no 'expr'"
    return ""


def _read_rule(file: str, group: str, number: int, node: yaml.Node) -> _Rule:
    fields = _mapping(node)
    expr_node = fields.get("expr")
    expr = str(_value(expr_node) or "")
    line = (expr_node or node).start_mark.line + 1
    if isinstance(expr_node, yaml.ScalarNode) and expr_node.style in ("|", ">"):
        line += 1  # the expression starts on the line after the block indicator
    alert = _value(fields.get("alert"))
    record = _value(fields.get("record"))
    obj = f"alert {alert}" if alert is not None else f"record {record}"
    site = Site(expr, Location(file, line), obj)
    view = None
    if alert is not None:
        view = AlertView(
            name=str(alert),
            expr=expr,
            for_=_value(fields.get("for")),
            labels=_strings(fields.get("labels")),
            annotations=_strings(fields.get("annotations")),
            location=Location(file, node.start_mark.line + 1),
        )
    return _Rule(site, group, number, view)


def _promtool(paths: list[Path], rules: dict[str, list[_Rule]]) -> dict[tuple[str, int], Any]:
    """(file, index in file) -> promtool's parse error, for every file it could read."""
    exe = shutil.which("promtool")
    out: dict[tuple[str, int], Any] = {}
    if exe is None:
        return out
    for start in range(0, len(paths), 50):
        chunk = paths[start : start + 50]
        proc = run_tool([exe, "check", "rules", "--lint=none", *map(str, chunk)], timeout=120)
        if proc.returncode != 0 and not any(f"{p}: " in proc.stderr for p in chunk):
            raise ToolError(tool_failure("promtool check rules", proc))
        for path in chunk:
            file_rules = rules.get(str(path), [])
            numbering = {(r.group, r.number): i for i, r in enumerate(file_rules)}
            prefix = f"{path}: "
            lines = [ln for ln in proc.stderr.splitlines() if ln.startswith(prefix)]
            for line in lines:
                m = _GROUP_RULE.search(line)
                index = numbering.get((m.group(1), int(m.group(2)))) if m else None
                if m is None or index is None:
                    continue
                group = m.group(1)
                text = file_rules[index].site.text
                found = parse_promtool(
                    line.replace(f'group "{group}"', 'group "g"'), _constant(text)
                )
                if found:
                    out[(str(path), index)] = next(iter(found.values()))
    return out


def _constant(text: str) -> Callable[[int], str]:
    """An expression lookup that always answers ``text`` (one rule's expression)."""
    return lambda _name: text


def check_files(
    targets: Iterable[Path], *, promtool: bool | None = None
) -> tuple[list[Finding], Stats]:
    """Findings over every rule file under ``targets``, and the counts the corpus test wants."""
    stats = Stats()
    findings: list[Finding] = []
    paths = rule_paths(targets)
    per_file: dict[str, list[_Rule]] = {}
    for path in paths:
        stats.files += 1
        try:
            rules, problems = read_rules(path)
        except Exception as exc:  # never crash on someone's file: count it and go on
            stats.crashes.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        stats.unreadable_files += bool(problems)
        findings.extend(problems)
        per_file[str(path)] = rules
    tool_ran = promtool is not False and shutil.which("promtool") is not None
    try:
        tool = _promtool(paths, per_file) if promtool is not False else {}
    except ToolError as exc:
        tool, tool_ran = {}, False
        findings.append(finding("tool-failed", UNKNOWN_TOOL, "promtool", str(exc)))
    for file, rules in per_file.items():
        for index, rule in enumerate(rules):
            try:
                findings.extend(_check_rule(rule, tool_ran, tool.get((file, index)), stats))
            except Exception as exc:
                stats.crashes.append(f"{file} rule {index + 1}: {type(exc).__name__}: {exc}")
    return sort_findings(findings), stats


def _check_rule(rule: _Rule, tool_ran: bool, by_tool: Any, stats: Stats) -> Iterator[Finding]:
    stats.rules += 1
    if rule.site.expr.strip():
        stats.expressions += 1
        parse(rule.site)
        found = site_findings(rule.site, tool_ran, by_tool)
        if rule.site.ast is not None:
            stats.parsed += 1
        else:
            parse_errors = [f for f in found if f.rule.startswith("promql-")]
            if any("^" in f.excerpt for f in parse_errors):
                stats.errors_with_position += 1
            else:
                stats.errors_without_position += 1
        yield from found
    if rule.view is not None:
        yield from house_rules(rule.view)
