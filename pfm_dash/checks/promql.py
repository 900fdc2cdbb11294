"""PromQL: every expression parses, and for the Prometheus we run (2.42).

promql-parser builds the ASTs the other checks walk, in microseconds, but it reports no
position and follows the Prometheus 3 grammar. Positions therefore come from promtool when it
is on PATH (its ``1:86:`` is exact), else from :func:`locate`, our own scan: it finds unbalanced
brackets and quotes, and the token an error message names (unknown function, bad duration).
When neither knows, the finding says "position unknown" rather than guess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import promql_parser

from pfm_dash.checks import Finding, finding
from pfm_dash.errors import Location, ToolError
from pfm_dash.tools import run_tool

if TYPE_CHECKING:
    from pfm_dash.model.dashboard import Dashboard
    from pfm_dash.model.panels import Ignore
    from pfm_dash.project import Project

# In promql-parser 0.12 but not in Prometheus 2.42 (measured: docs/check.md).
PROM3_ONLY = frozenset(
    {
        "double_exponential_smoothing",
        "sort_by_label",
        "sort_by_label_desc",
        "limitk",
        "limit_ratio",
        "mad_over_time",
        "info",
        "ts_of_max_over_time",
        "ts_of_min_over_time",
        "ts_of_last_over_time",
    }
)
_PROM3_NAMED = re.compile("|".join(sorted(PROM3_ONLY)))
# Where a variable stands for a duration: in a range or subquery, or after ``offset``.
_RANGE_CONTEXT = re.compile(r"(?:[\[:]|\boffset)\s*-?\s*$")
# A Grafana variable used as a grouping label: which label it names is known only at view time.
VARIABLE_LABEL = "__grafana_variable__"
# Where it stands for a label name: inside by/without/on/ignoring/group_left/group_right (...).
_LABEL_CONTEXT = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*$", re.IGNORECASE
)


@dataclass
class Site:
    """One expression where it was declared; ``ast`` is set once it parsed."""

    expr: str
    location: Location
    obj: str
    ignores: tuple[Ignore, ...] = ()
    dashboard: Dashboard | None = None
    text: str = ""
    ast: Any = None
    error: str = ""
    # Offset in ``expr`` -> (file line, 1-based column), where the source text is known.
    place: Callable[[int], tuple[int, int]] | None = field(default=None, repr=False)
    _spans: list[tuple[int, int, int, int]] = field(default_factory=list, repr=False)
    _nodes: list[Any] | None = field(default=None, repr=False)

    def nodes(self) -> list[Any]:
        """Every node of the parsed expression, walked once (each child access copies it)."""
        if self._nodes is None:
            self._nodes = list(walk(self.ast)) if self.ast is not None else []
        return self._nodes

    def __post_init__(self) -> None:
        self.text, self._spans = substitute(self.expr)

    def at(self, offset: int | None) -> tuple[Location, int | None]:
        """Where an offset into the expression stands in the file (line of the error)."""
        if offset is None or self.place is None:
            return self.location, None
        line, col = self.place(offset)
        return Location(self.location.file, line), col

    def original_offset(self, offset: int) -> int:
        """Map an offset in the substituted text back to what the user wrote."""
        shift = 0
        for start, end, new_start, new_end in self._spans:
            if offset < new_start:
                break
            if offset < new_end:
                return start
            shift = end - new_end
        return offset + shift


def substitute(expr: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Grafana variables to PromQL a parser accepts; (orig start, end, new start, end) spans.

    Inside a string a variable stays (it is text to PromQL); in a range or after ``offset`` it
    becomes ``5m``; in a grouping a label name; elsewhere ``1``.
    """
    if "$" not in expr:
        return expr, []  # no variable: spares importing the DSL (rule files never have one)
    from pfm_dash.model.query import VARIABLE

    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = new = 0
    in_quote = ""
    i = 0
    for match in VARIABLE.finditer(expr):
        # Track whether the match sits inside a string literal.
        while i < match.start():
            ch = expr[i]
            if in_quote:
                if ch == "\\":
                    i += 1
                elif ch == in_quote:
                    in_quote = ""
            elif ch in "\"'`":
                in_quote = ch
            i += 1
        i = match.end()
        if in_quote:
            continue
        before = expr[pos : match.start()]
        head = expr[: match.start()]
        if _RANGE_CONTEXT.search(head):
            value = "5m"
        elif _LABEL_CONTEXT.search(head):
            value = VARIABLE_LABEL
        else:
            value = "1"
        out.append(before)
        new += len(before)
        spans.append((match.start(), match.end(), new, new + len(value)))
        out.append(value)
        new += len(value)
        pos = match.end()
    out.append(expr[pos:])
    return "".join(out), spans


def _scan(text: str) -> int | None:
    """Where promtool's lexer stops on a bracket or quote problem, or None when there is none.

    Measured against promtool 2.42 (tests/checks/test_promql.py): an unterminated quote at the
    quote, a stray or mismatched closer just after it, an unclosed opener at the end of input.
    """
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'`":
            end = i + 1
            while end < len(text) and text[end] != ch:
                end += 2 if text[end] == "\\" and ch != "`" else 1
            if end >= len(text):
                return i
            i = end
        elif ch == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif ch in "([{":
            stack.append((ch, i))
        elif ch in ")]}":
            if not stack or stack[-1][0] != pairs[ch]:
                return i + 1
            stack.pop()
        i += 1
    return len(text) if stack else None


def _find_token(text: str, token: str, call: bool = False) -> int | None:
    pattern = rf"(?<![\w:]){re.escape(token)}" + (r"\s*\(" if call else "")
    found = re.search(pattern, text)
    return found.start() if found else None


# A '(' inside a grouping's label list: promtool stops there ("unexpected ( in grouping opts").
_GROUPING_PAREN = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([\w\s,]*(\()", re.IGNORECASE
)


# An operator followed by and/or/unless: Prometheus reads the keyword as a metric name and
# stops at the token after it ("unexpected <on>").
_OPERATOR_KEYWORD = re.compile(r"(?:[-+*/%^]|==|!=|>=|<=|>|<)\s*(?:and|or|unless)\s+(\S)")


def _innermost(text: str, message: str) -> int:
    """Start of the innermost parenthesised part that fails alone with the same message.

    promtool places errors about a whole node (a binary expression's operand types, a grouping
    on ``and``) at the node's start; re-parsing each bracket's content finds that node.
    """
    best = len(text) - len(text.lstrip())
    depth_best = -1
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            inner = text[start + 1 : i]
            if len(stack) < depth_best or not inner.strip():
                continue
            try:
                promql_parser.parse(inner)
            except ValueError as exc:
                if str(exc) == message:
                    best = start + 1 + len(inner) - len(inner.lstrip())
                    depth_best = len(stack)
    return best


def locate(text: str, message: str) -> int | None:
    """The offset promtool would give for promql-parser's ``message`` on ``text``, or None."""
    if m := re.search(r"unknown function with name '([^']+)'", message):
        return _find_token(text, m.group(1), call=True)
    if m := re.search(r"bad number or duration syntax: (\S+)", message):
        return _find_token(text, m.group(1))
    if m := re.search(r"expected .*argument\(s\) in call to (?:function )?'(\w+)'", message):
        return _find_token(text, m.group(1), call=True)
    if m := re.search(r"in call to (?:function )?'(\w+)'", message):
        call = re.search(rf"(?<![\w:]){m.group(1)}\s*\(\s*", text)
        return call.end() if call else None
    if m := re.search(r"illegal regex for (.+)$", message):
        at = text.find(m.group(1))
        if at < 0:
            return None
        matcher = re.search(r"([A-Za-z_]\w*)\s*[=!]~\s*[\"'`]?$", text[:at])
        return matcher.start() if matcher else at
    if "vector selector must contain" in message:
        brace = re.search(r"(?<![\w:}])\{", text)
        return brace.start() if brace else None
    if m := _GROUPING_PAREN.search(text):
        return m.start(1)
    scanned = _scan(text)
    if scanned is not None:
        return scanned
    if message == "invalid promql query" and (m := _OPERATOR_KEYWORD.search(text)):
        return m.start(1)
    if "end of input" in message or message == "invalid promql query":
        stripped = text.rstrip()
        if re.search(r"(==|!=|>=|<=|[-+*/%^<>]|\b(and|or|unless|bool))$", stripped):
            return len(text)
        return None
    return _innermost(text, message)


def end_of_content(text: str, offset: int) -> int:
    """An offset in trailing blank lines (promtool's "end of input") moved to the last text."""
    content = len(text.rstrip())
    return content if offset > content and "\n" in text[content:offset] else offset


def caret(expr: str, offset: int | None) -> str:
    """The expression's line holding ``offset`` with a caret under it (all of it if unknown)."""
    if offset is None:
        return "\n".join(f"    {line}" for line in expr.strip("\n").splitlines()) + (
            "\n    (position unknown: promql-parser gives none; install promtool for it)"
        )
    offset = end_of_content(expr, offset)
    start = expr.rfind("\n", 0, offset) + 1
    end = expr.find("\n", offset)
    line = expr[start : end if end >= 0 else len(expr)]
    col = offset - start
    prefix = f"line {expr.count(chr(10), 0, offset) + 1}: " if "\n" in expr.strip("\n") else ""
    return f"    {prefix}{line}\n    {' ' * (len(prefix) + col)}^"


def parse(site: Site) -> None:
    try:
        site.ast = promql_parser.parse(site.text)
    except ValueError as exc:
        site.error = str(exc)


def _aggregation(node: Any) -> str:
    return str(node.op) if type(node).__name__ == "AggregateExpr" else ""


def selector_name(node: Any) -> str | None:
    """The metric a vector selector names (``x`` or ``{__name__="x"}``), if any."""
    if node.name:
        return str(node.name)
    for m in node.matchers.matchers:
        if m.name == "__name__" and str(m.op) == "MatchOp.Equal":
            return str(m.value)
    return None


def walk(node: Any) -> Iterator[Any]:
    """Every node under ``node``, depth first."""
    yield node
    for attr in ("lhs", "rhs", "expr", "param", "vector_selector"):
        child = getattr(node, attr, None)
        if child is not None and not isinstance(child, (str, int, float)):
            yield from walk(child)
    for arg in getattr(node, "args", None) or ():
        yield from walk(arg)


def project_sites(project: Project) -> list[Site]:
    """Every panel query, alert and recording expression of a project, in source order."""
    from pfm_dash.model.alerting import AlertRule

    sites: list[Site] = []
    for dashboard in project.dashboards:
        for panel in dashboard.all_panels():
            for n, query in enumerate(panel.queries):
                ref = query.ref_id or chr(ord("A") + n)
                sites.append(
                    Site(
                        query.expr,
                        query.location,
                        f"panel {panel.title!r} query {ref}",
                        tuple(panel.ignore),
                        dashboard,
                    )
                )
    for group in project.groups:
        for rule in group.rules:
            if isinstance(rule, AlertRule):
                sites.append(
                    Site(rule.expression, rule.location, f"alert {rule.name}", tuple(rule.ignore))
                )
            else:
                sites.append(Site(rule.expression, rule.location, f"record {rule.record}"))
    return sites


PromtoolResult = dict[int, tuple[int | None, str]]
# Seconds: promtool checks thousands of expressions in well under one. The variable is for tests.
TOOL_TIMEOUT = float(os.environ.get("PFM_DASH_TOOL_TIMEOUT", "60"))
# Findings about a tool rather than a declaration are listed under this name.
UNKNOWN_TOOL = Location("<promtool>", 0)


def promtool_errors(texts: Sequence[str]) -> PromtoolResult | None:
    """index -> (offset or None, message) for each text promtool refuses; None without promtool."""
    exe = shutil.which("promtool")
    if exe is None or not texts:
        return None
    from pfm_dash.formats.yaml import dump_yaml

    rules = [{"record": f"pfm_dash_check_{i}", "expr": t} for i, t in enumerate(texts)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.rules.yml"
        path.write_text(dump_yaml({"groups": [{"name": "check", "rules": rules}]}))
        proc = run_tool([exe, "check", "rules", "--lint=none", str(path)], timeout=TOOL_TIMEOUT)
    found = parse_promtool(proc.stderr, lambda rule_no: texts[rule_no - 1])
    if proc.returncode != 0 and not found:
        raise ToolError(tool_failure("promtool check rules", proc))
    return found


def tool_failure(what: str, proc: subprocess.CompletedProcess[str]) -> str:
    """One line for a tool that failed without the answer we parse: never a silent pass."""
    said = (proc.stderr or proc.stdout).strip().splitlines()
    tail = said[-1] if said else "no output"
    return f"{what} exited {proc.returncode} without naming a rule ({tail})"


_PROMTOOL = re.compile(
    r'group "(?P<group>[^"]*)", rule (?P<rule>\d+), "[^"]*": could not parse expression: '
    r"(?:(?P<line>\d+):(?P<col>\d+): )?(?:parse error: )?(?P<msg>.*)$"
)


def parse_promtool(stderr: str, text_of: Callable[[int], str]) -> PromtoolResult:
    """Parse-error lines of ``promtool check rules`` as offsets into each expression."""
    out: PromtoolResult = {}
    for raw in stderr.splitlines():
        m = _PROMTOOL.search(raw)
        if m is None:
            continue
        index = int(m.group("rule")) - 1
        offset = None
        if m.group("line"):
            offset = line_col_offset(text_of(index + 1), int(m.group("line")), int(m.group("col")))
        out[index] = (offset, m.group("msg"))
    return out


def line_col_offset(text: str, line: int, col: int) -> int:
    """promtool's 1-based line:col (col counts bytes) to a character offset."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1])
    target = lines[line - 1] if line - 1 < len(lines) else ""
    data = target.encode()[: max(col - 1, 0)]
    return min(start + len(data.decode(errors="ignore")), len(text))


def check(sites: Sequence[Site], *, promtool: bool | None = None) -> list[Finding]:
    """Parse every site; with promtool (default: when on PATH) also ask 2.42 and compare."""
    for site in sites:
        parse(site)
    out: list[Finding] = []
    try:
        tool = promtool_errors([s.text for s in sites]) if promtool is not False else None
    except ToolError as exc:
        tool = None
        out.append(finding("tool-failed", UNKNOWN_TOOL, "promtool", str(exc)))
    for index, site in enumerate(sites):
        by_tool = tool.get(index) if tool is not None else None
        out.extend(site_findings(site, tool is not None, by_tool))
    return out


def site_findings(
    site: Site, tool_ran: bool, by_tool: tuple[int | None, str] | None
) -> list[Finding]:
    """Findings for one parsed site, given what promtool said about it (if it ran)."""
    out: list[Finding] = []
    if site.error and (by_tool is not None or not tool_ran):
        offset = by_tool[0] if by_tool else locate(site.text, site.error)
        where = None if offset is None else site.original_offset(offset)
        message = by_tool[1] if by_tool else site.error
        out.append(_at(site, "promql-parse", message, where))
    elif site.error:
        found = locate(site.text, site.error)
        where = None if found is None else site.original_offset(found)
        message = f"promql-parser: {site.error}; promtool accepts it"
        out.append(_at(site, "promql-parser-disagrees", message, where))
    elif by_tool is not None:
        where = None if by_tool[0] is None else site.original_offset(by_tool[0])
        out.append(_at(site, "promql-promtool", by_tool[1], where))
    if site.ast is not None and _PROM3_NAMED.search(site.text):
        for node in site.nodes():
            func = getattr(node, "func", None)
            name = func.name if func is not None else _aggregation(node)
            if name in PROM3_ONLY and by_tool is None:
                offset = _find_token(site.expr, name)
                message = f"{name}() exists only in Prometheus 3"
                out.append(_at(site, "promql-prom3-only", message, offset))
    return out


def _at(site: Site, rule: str, message: str, where: int | None) -> Finding:
    """A finding on ``site`` placed at the error's own line and column when known."""
    location, column = site.at(where)
    excerpt = caret(site.expr, where)
    return finding(
        rule, location, site.obj, message, excerpt=excerpt, ignores=site.ignores, column=column
    )
