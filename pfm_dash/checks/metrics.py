"""Metrics and labels: every selector, label and function argument against the catalog.

The walk infers, bottom-up, which labels each sub-expression carries (``None`` when it cannot
know, e.g. after ``absent()`` or on an unknown metric, which then accepts anything), so a
``by (x)`` or ``on (x)`` is checked against what actually reaches it, not just the metric.
Recording-rule outputs are resolved the same way, in declaration order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import promql_parser as pp

from pfm_dash.catalog import SeriesKind, merge
from pfm_dash.checks import Finding, finding
from pfm_dash.checks.promql import VARIABLE_LABEL, Site, selector_name, walk

if TYPE_CHECKING:
    from pfm_dash.catalog import Series
    from pfm_dash.project import Project

Labels = frozenset[str] | None
EMPTY: frozenset[str] = frozenset()
RATES = frozenset({"rate", "increase", "irate"})


class Walker:
    """Label inference over one expression, collecting findings on the way."""

    def __init__(self, site: Site, index: dict[str, Series], recorded: dict[str, Labels]) -> None:
        self.site = site
        self.index = index
        self.recorded = recorded
        self.findings: list[Finding] = []

    def report(self, rule: str, message: str) -> None:
        self.findings.append(
            finding(rule, self.site.location, self.site.obj, message, ignores=self.site.ignores)
        )

    def need(self, label: str, have: Labels, where: str) -> None:
        if label == VARIABLE_LABEL:
            return  # chosen by the viewer: nothing to check statically
        if have is not None and label not in have:
            known = ", ".join(sorted(have)) or "none"
            self.report("label-unknown", f"{where}: label {label!r} is not there (has: {known})")

    def labels(self, node: Any) -> Labels:
        kind = type(node).__name__
        if kind == "VectorSelector":
            return self.selector(node)
        if kind == "MatrixSelector":
            return self.labels(node.vector_selector)
        if kind in ("SubqueryExpr", "ParenExpr", "UnaryExpr"):
            return self.labels(node.expr)
        if kind in ("NumberLiteral", "StringLiteral"):
            return EMPTY
        if kind == "Call":
            return self.call(node)
        if kind == "AggregateExpr":
            return self.aggregate(node)
        if kind == "BinaryExpr":
            return self.binary(node)
        return None

    def selector(self, node: Any) -> Labels:
        name = selector_name(node)
        if name is None:
            return None
        have: Labels
        if name in self.index:
            have = self.index[name].labels
        elif name in self.recorded:
            have = self.recorded[name]
        else:
            self.report("metric-unknown", f"metric {name} is not in the catalog")
            return None
        matchers = list(node.matchers.matchers)
        for group in node.matchers.or_matchers or ():
            matchers.extend(group)
        for m in matchers:
            if m.name != "__name__":
                self.need(m.name, have, f"{name}{{{m.name}...}}")
        return have

    def series(self, node: Any) -> Series | str | None:
        """The catalog series (or recorded name) a range function's argument selects."""
        if type(node).__name__ != "MatrixSelector":
            return None
        name = selector_name(node.vector_selector)
        if name is None:
            return None
        return self.index.get(name) or (name if name in self.recorded else None)

    def call(self, node: Any) -> Labels:
        name = node.func.name
        args = list(node.args)
        arg_labels = [self.labels(a) for a in args]
        if name in RATES and args:
            rated = _subquery_call(args[0])
            if rated is not None:
                self.report(
                    "rate-non-counter",
                    f"{name}() over the result of {rated}(), which is not a counter",
                )
            target = self.series(args[0])
            if isinstance(target, str):
                self.report("rate-non-counter", f"{name}() over recorded series {target}")
            elif target is not None and target.kind is SeriesKind.GAUGE:
                self.report("rate-gauge", f"{name}() over gauge {target.name}")
            elif target is not None and not target.kind.rateable:
                self.report(
                    "rate-non-counter", f"{name}() over {target.name} ({target.kind.value})"
                )
        if name == "histogram_quantile" and len(args) == 2:
            inner = arg_labels[1]
            if inner is not None and "le" not in inner:
                self.report("histogram-le", "histogram_quantile input has no le label")
            for sub in walk(args[1]):
                if type(sub).__name__ == "VectorSelector":
                    hit = self.index.get(selector_name(sub) or "")
                    if hit is not None and hit.kind is not SeriesKind.BUCKET:
                        self.report(
                            "histogram-bucket",
                            f"histogram_quantile over {hit.name}, a {hit.kind.value} series",
                        )
            return None if inner is None else inner - {"le"}
        if name in ("label_replace", "label_join") and len(args) >= 2:
            base = arg_labels[0]
            dst = getattr(args[1], "val", "")
            for src in args[3:4] if name == "label_replace" else args[3:]:
                value = getattr(src, "val", "")
                if value:
                    self.need(value, base, f"{name}() source")
            return None if base is None or not dst else base | {dst}
        if name in ("absent", "absent_over_time"):
            return None
        if node.func.return_type == pp.ValueType.Scalar:
            return EMPTY
        for arg, labels in zip(args, arg_labels, strict=True):
            if type(arg).__name__ not in ("NumberLiteral", "StringLiteral"):
                return labels
        return EMPTY

    def aggregate(self, node: Any) -> Labels:
        op = str(node.op)
        inner = self.labels(node.expr)
        if node.param is not None:
            self.labels(node.param)
        modifier = node.modifier
        grouping = list(modifier.labels) if modifier is not None else []
        for label in grouping:
            self.need(label, inner, f"{op} by/without ({label})")
        if op in ("topk", "bottomk", "limitk", "limit_ratio"):
            return inner
        if modifier is None:
            out: Labels = EMPTY
        elif str(modifier.type) == "AggModifierType.By":
            out = frozenset(grouping)
        else:
            out = None if inner is None else inner - set(grouping)
        if op == "count_values" and out is not None:
            out = out | {getattr(node.param, "val", "")}
        return out

    def binary(self, node: Any) -> Labels:
        left, right = self.labels(node.lhs), self.labels(node.rhs)
        op = str(node.op)
        if _scalar(node.lhs) or _scalar(node.rhs):
            return right if _scalar(node.lhs) else left
        modifier = node.modifier
        matching = modifier.matching if modifier is not None else None
        card = str(modifier.card) if modifier is not None else ""
        if matching is not None:
            on = str(matching.type) == "LabelModifierType.Include"
            for label in matching.labels:
                if on:
                    self.need(label, left, f"left of {op} on ({label})")
                    self.need(label, right, f"right of {op} on ({label})")
        if modifier is not None:
            one_side = right if card.endswith("ManyToOne") else left
            for label in modifier.group_labels or ():
                self.need(label, one_side, f"{op} group_x ({label})")
        if op == "or":
            return None if left is None or right is None else left | right
        if card.endswith("OneToMany"):
            return None if right is None else right | set(modifier.group_labels or ())
        if card.endswith("ManyToOne"):
            return None if left is None else left | set(modifier.group_labels or ())
        if op in ("and", "unless") or matching is None or not matching.labels:
            return left
        # One-to-one with on/ignoring: Prometheus keeps only the on() labels, or drops the
        # ignoring() ones (resultMetric in promql/engine.go).
        if str(matching.type) == "LabelModifierType.Include":
            return frozenset(matching.labels)
        return None if left is None else left - set(matching.labels)


def _subquery_call(node: Any) -> str | None:
    """The function a subquery evaluates (``rate(rate(x[5m])[10m:1m])`` -> "rate"), if any:
    a function's result is never a counter, so rating it is a mistake."""
    if type(node).__name__ != "SubqueryExpr":
        return None
    inner = node.expr
    while type(inner).__name__ == "ParenExpr":
        inner = inner.expr
    return str(inner.func.name) if type(inner).__name__ == "Call" else None


def _scalar(node: Any) -> bool:
    kind = type(node).__name__
    if kind in ("NumberLiteral",):
        return True
    if kind in ("ParenExpr", "UnaryExpr"):
        return _scalar(node.expr)
    if kind == "Call":
        return bool(node.func.return_type == pp.ValueType.Scalar)
    if kind == "BinaryExpr":
        return _scalar(node.lhs) and _scalar(node.rhs)
    return False


def check(project: Project, sites: Sequence[Site]) -> list[Finding]:
    """Metric, label and type findings for every parsed site; one warning without a catalog."""
    from pfm_dash.model.alerting import RecordingRule

    if not project.catalogs:
        if not sites:
            return []
        root = project.config.root / "pyproject.toml"
        from pfm_dash.errors import Location

        return [
            finding(
                "catalog-missing",
                Location(str(root), 0),
                "project",
                "no Catalog is declared: metric and label checks were skipped",
            )
        ]
    index = merge(project.catalogs)
    recorded: dict[str, Labels] = {}
    by_location = {(s.location, s.obj): s for s in sites}
    out: list[Finding] = []
    # Recording rules first, so alerts and panels can use their outputs.
    for group in project.groups:
        for rule in group.rules:
            if isinstance(rule, RecordingRule):
                site = by_location.get((rule.location, f"record {rule.record}"))
                labels: Labels = None
                if site is not None and site.ast is not None:
                    walker = Walker(site, index, recorded)
                    labels = walker.labels(site.ast)
                    out.extend(walker.findings)
                recorded[rule.record] = None if labels is None else labels | set(rule.labels)
    for site in sites:
        if site.ast is not None and not site.obj.startswith("record "):
            walker = Walker(site, index, recorded)
            walker.labels(site.ast)
            out.extend(walker.findings)
    out.extend(_test_series(project, index, recorded))
    return out


def _test_series(
    project: Project, index: dict[str, Series], recorded: dict[str, Labels]
) -> list[Finding]:
    """Alert unit tests feed series too: their metrics and labels must be real ones."""
    out: list[Finding] = []
    for alert in project.alerts:
        for test in alert.tests:
            for series in test.series:
                site = Site(series.series, test.location, f"test {test.name!r} of {alert.name}")
                try:
                    site.ast = pp.parse(series.series)
                except ValueError:
                    continue
                walker = Walker(site, index, recorded)
                walker.labels(site.ast)
                out.extend(walker.findings)
    return out
