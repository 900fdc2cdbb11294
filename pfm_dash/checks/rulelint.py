"""Catalog-free PromQL checks that catch real mistakes, in the spirit of pint.

They read only the rule itself (its expression's AST, its templates, its name), so they run on
any rule file: a template naming a label the expression aggregates away, an alert with nothing
to compare, rate() over a metric whose name says it is no counter, histogram_quantile() over
something that is not a ``_bucket``, and the same alert defined twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pfm_dash.checks import Finding, finding
from pfm_dash.checks.alerts import AlertView
from pfm_dash.checks.gotemplate import labels_used
from pfm_dash.checks.promql import Site, selector_name, walk
from pfm_dash.errors import Location, display_path

COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
# Functions whose result has no labels of their input.
_NO_LABELS = frozenset({"vector", "time", "scalar", "pi", "minute", "hour", "day_of_week"})
# Aggregations that keep each input series' labels.
_KEEP = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
# Counters by convention (prometheus.io naming): a rate over these is what rate is for.
COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")
# Names that say "a current value": a gauge, an info or a timestamp. Only these are flagged, so
# old counters without _total (node_exporter before 0.16) stay quiet.
_GAUGE_NAME = re.compile(
    r"(?:^up|_up|_info|_ratio|_percent(?:age)?|_timestamp(?:_seconds)?|_celsius|_temperature"
    r"|_in_progress|_inflight|_in_flight|_depth|_limit|_capacity|_available|_free|_size"
    r"|_size_bytes|_usage_bytes|_utilization|_used_bytes|_queue_length|_last_seen"
    r"|_last_\w+_seconds|_gauge)$"
)


@dataclass(frozen=True)
class Template:
    """One label or annotation value, and where an offset into it stands in the file."""

    kind: str
    key: str
    text: str
    place: Callable[[int], tuple[int, int]]


@dataclass(frozen=True)
class LintRule:
    site: Site
    view: AlertView | None
    templates: Sequence[Template]


@dataclass(frozen=True)
class Labels:
    """Labels a result may carry: exactly ``names`` when closed, else any but ``names``."""

    closed: bool
    names: frozenset[str]

    def has(self, label: str) -> bool:
        return (label in self.names) == self.closed


OPEN = Labels(False, frozenset())
NONE = Labels(True, frozenset())


def _keep(inner: Labels, names: frozenset[str]) -> Labels:
    return Labels(True, inner.names & names if inner.closed else names - inner.names)


def _drop(inner: Labels, names: frozenset[str]) -> Labels:
    return Labels(True, inner.names - names) if inner.closed else Labels(False, inner.names | names)


def _add(inner: Labels, names: frozenset[str]) -> Labels:
    return Labels(True, inner.names | names) if inner.closed else Labels(False, inner.names - names)


def _union(a: Labels, b: Labels) -> Labels:
    if a.closed and b.closed:
        return Labels(True, a.names | b.names)
    if not a.closed and not b.closed:
        return Labels(False, a.names & b.names)
    opened, closed = (a, b) if not a.closed else (b, a)
    return Labels(False, opened.names - closed.names)


def _is_scalar(node: Any) -> bool:
    kind = type(node).__name__
    if kind in ("ParenExpr", "UnaryExpr"):
        return _is_scalar(node.expr)
    if kind == "Call":
        return str(node.func.name) in ("scalar", "time", "pi")
    return kind in ("NumberLiteral", "StringLiteral")


def _string(node: Any) -> str | None:
    if type(node).__name__ != "StringLiteral":
        return None
    return str(node).strip("\"'`")


def result_labels(node: Any) -> Labels:
    """The labels an expression's result series can carry (bottom-up, as Prometheus sets them)."""
    kind = type(node).__name__
    if kind in ("VectorSelector", "MatrixSelector", "SubqueryExpr"):
        return OPEN
    if kind in ("ParenExpr", "UnaryExpr"):
        return result_labels(node.expr)
    if kind in ("NumberLiteral", "StringLiteral"):
        return NONE
    if kind == "AggregateExpr":
        inner = result_labels(node.expr)
        op = str(node.op)
        if op in _KEEP:
            return inner
        mod = node.modifier
        if mod is None:
            out = NONE
        elif str(mod.type).endswith("By"):
            out = _keep(inner, frozenset(mod.labels))
        else:
            out = _drop(inner, frozenset(mod.labels))
        if op == "count_values" and (name := _string(node.param)):
            out = _add(out, frozenset({name}))
        return out
    if kind == "Call":
        return _call_labels(node)
    if kind == "BinaryExpr":
        return _binary_labels(node)
    return OPEN


def _call_labels(node: Any) -> Labels:
    name = str(node.func.name)
    args = list(node.args or ())
    if name in ("absent", "absent_over_time"):
        selector: Any = args[0] if args else None
        if type(selector).__name__ == "MatrixSelector":
            selector = selector.vector_selector
        if type(selector).__name__ != "VectorSelector":
            return NONE
        equal = {
            m.name
            for m in selector.matchers.matchers
            if str(m.op) == "MatchOp.Equal" and m.name != "__name__"
        }
        return Labels(True, frozenset(equal))
    if name in _NO_LABELS:
        return NONE
    vectors = [a for a in args if not _is_scalar(a)]
    inner = result_labels(vectors[0]) if vectors else NONE
    if name in ("label_replace", "label_join") and len(args) > 1 and (dst := _string(args[1])):
        return _add(inner, frozenset({dst}))
    if name == "histogram_quantile":
        return _drop(inner, frozenset({"le"}))
    return inner


def _binary_labels(node: Any) -> Labels:
    # Each side is read once (every access copies its subtree) and inferred only if needed.
    left, right = node.lhs, node.rhs
    if _is_scalar(left):
        return result_labels(right)
    if _is_scalar(right):
        return result_labels(left)
    op = str(node.op)
    if op == "or":
        return _union(result_labels(left), result_labels(right))
    mod = node.modifier if op not in ("and", "unless") else None
    matching = getattr(mod, "matching", None) if mod is not None else None
    card = str(getattr(mod, "card", "")) if mod is not None else ""
    extra = frozenset(getattr(mod, "group_labels", None) or ())
    if card.endswith("OneToMany"):
        return _add(result_labels(right), extra)
    lhs = result_labels(left)
    if card.endswith("ManyToOne"):
        return _add(lhs, extra)
    if matching is None:
        return lhs
    names = frozenset(matching.labels)
    if str(matching.type).endswith("Include"):
        return _keep(lhs, names)
    return _drop(lhs, names)


def _selectors(node: Any) -> list[str]:
    return [
        name
        for n in walk(node)
        if type(n).__name__ == "VectorSelector" and (name := selector_name(n))
    ]


def not_a_counter(name: str) -> bool:
    """Whether a metric's name says it holds a current value rather than a running count."""
    base = name.rsplit(":", 1)[-1] if ":" in name else name
    if base.endswith(COUNTER_SUFFIXES) or "total" in base:
        return False
    return bool(_GAUGE_NAME.search(base))


# Cheap text tests that spare walking the AST (each child access copies a subtree in
# promql-parser's binding) when the answer cannot depend on it.
_RATE_OR_QUANTILE = re.compile(r"\b(?:i?rate|increase|histogram_quantile)\s*\(")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`|\{[^{}]*\}')
_COMPARISON = re.compile(r"==|!=|>=|<=|>|<")


_WORD = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def _may_flag(text: str) -> bool:
    """Whether the AST walk could find anything: a histogram_quantile(), or a rate() with a
    word outside strings and matchers that reads as no counter (names in ``__name__``
    matchers are not seen here, so those expressions are always walked)."""
    if not _RATE_OR_QUANTILE.search(text):
        return False
    if "histogram_quantile" in text or "__name__" in text:
        return True
    return any(not_a_counter(w) for w in set(_WORD.findall(_STRINGS.sub(" ", text))))


def _expression_findings(site: Site) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    if not _may_flag(site.text):
        return out
    for node in site.nodes():
        func = getattr(node, "func", None)
        name = str(func.name) if func is not None else ""
        if name in ("rate", "increase", "irate") and node.args:
            arg = node.args[0]
            if type(arg).__name__ == "MatrixSelector":
                metric = selector_name(arg.vector_selector)
                if metric and metric not in seen and not_a_counter(metric):
                    seen.add(metric)
                    out.append(
                        finding(
                            "rate-name-not-counter",
                            site.location,
                            site.obj,
                            f"{name}() over {metric}, whose name says it is not a counter",
                        )
                    )
        if name == "histogram_quantile" and len(node.args) > 1:
            names = _selectors(node.args[1])
            if names and not any("bucket" in n for n in names):
                out.append(
                    finding(
                        "histogram-name-not-bucket",
                        site.location,
                        site.obj,
                        f"histogram_quantile() over {', '.join(sorted(set(names)))}: no _bucket",
                    )
                )
    return out


def _always_fires(site: Site) -> bool:
    top = site.ast
    while type(top).__name__ == "ParenExpr":
        top = top.expr
    if type(top).__name__ == "Call" and str(top.func.name) == "vector":
        return False  # vector(1): a deliberate always-firing alert (a dead man's switch)
    bare = _STRINGS.sub(" ", site.text)  # matchers and strings hold no comparison
    if _COMPARISON.search(bare) and "bool" not in bare:
        return False
    if not _COMPARISON.search(bare) and not re.search(r"absent|unless", bare):
        return True
    for node in site.nodes():
        kind = type(node).__name__
        if (
            kind == "BinaryExpr"
            and str(node.op) in COMPARISONS
            and (node.modifier is None or not node.modifier.return_bool)
        ):
            return False
        if kind == "Call" and str(node.func.name) in ("absent", "absent_over_time"):
            return False
        if kind == "BinaryExpr" and str(node.op) == "unless":
            return False  # series present before but not now: a condition of its own
    return True


def _alert_findings(rule: LintRule) -> list[Finding]:
    site, view = rule.site, rule.view
    assert view is not None
    out: list[Finding] = []
    if _always_fires(site):
        out.append(
            finding(
                "alert-comparison",
                view.location,
                site.obj,
                "no comparison and no absent(): it fires for every series the expression returns",
            )
        )
    labels: Labels | None = None
    for template in rule.templates:
        for label, offset in labels_used(template.text):
            labels = labels or result_labels(site.ast)
            if labels.has(label):
                continue
            line, col = template.place(offset)
            out.append(
                finding(
                    "template-label-missing",
                    Location(site.location.file, line),
                    site.obj,
                    f"{template.kind} {template.key!r} uses $labels.{label}, which the "
                    f"expression does not keep (it keeps: {_describe(labels)})",
                    column=col,
                )
            )
    return out


def _describe(labels: Labels) -> str:
    if labels.closed:
        return ", ".join(sorted(labels.names)) or "no labels"
    return "all but " + ", ".join(sorted(labels.names))


def check(rules: Sequence[LintRule]) -> list[Finding]:
    """Every catalog-free finding over ``rules`` (parsed already), across all their files."""
    out: list[Finding] = []
    first: dict[tuple[str, frozenset[tuple[str, str]]], Location] = {}
    for rule in rules:
        if rule.site.ast is not None:
            out.extend(_expression_findings(rule.site))
            if rule.view is not None:
                out.extend(_alert_findings(rule))
        view = rule.view
        if view is None:
            continue
        key = (view.name, frozenset(view.labels.items()))
        seen = first.setdefault(key, view.location)
        if seen is not view.location:
            out.append(
                finding(
                    "alert-duplicate",
                    view.location,
                    view.obj,
                    f"alert {view.name} with these labels is already defined at "
                    f"{display_path(seen.file)}:{seen.line}",
                )
            )
    return out
