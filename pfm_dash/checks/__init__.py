"""``pfm-dash check``: findings about a project that builds but may still be wrong.

Build errors (pfm_dash.validate) stop a build; findings here are what a reviewer would flag.
Each check family is one module (promql, metrics, variables, alerts, dashboards) returning
:class:`Finding` objects; this module holds the rule table, suppression and the driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pfm_dash.errors import Location, display_path

if TYPE_CHECKING:
    from pfm_dash.model.panels import Ignore
    from pfm_dash.project import Project


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    summary: str
    fix: str


def _rules(*rows: tuple[str, Level, str, str]) -> dict[str, Rule]:
    return {r[0]: Rule(*r) for r in rows}


E, W = Level.ERROR, Level.WARNING
RULES: dict[str, Rule] = _rules(
    ("promql-parse", E, "the expression does not parse", "correct the PromQL at the caret"),
    (
        "promql-promtool",
        E,
        "promtool (Prometheus 2.42) rejects what promql-parser accepts",
        "use only functions and syntax Prometheus 2.42 knows",
    ),
    (
        "promql-parser-disagrees",
        W,
        "promtool accepts what promql-parser (Prometheus 3 grammar) rejects; AST checks skipped",
        "prefer syntax both accept (e.g. double_exponential_smoothing is 3.x only)",
    ),
    (
        "promql-prom3-only",
        E,
        "a function only Prometheus 3 knows; our Prometheus is 2.42",
        "use a 2.42 function (see docs/check.md)",
    ),
    ("metric-unknown", E, "the metric is not in the catalog", "add it to the catalog or fix it"),
    (
        "label-unknown",
        E,
        "the label does not exist on that metric at that point of the query",
        "use a label the catalog declares, or keep it in the grouping",
    ),
    (
        "rate-gauge",
        E,
        "rate/increase/irate over a gauge",
        "use the gauge directly, or deriv()/delta() for its trend",
    ),
    (
        "rate-non-counter",
        E,
        "rate/increase/irate over something that is not a counter",
        "rate a counter, a histogram's _bucket/_sum/_count or a summary's _sum/_count",
    ),
    (
        "histogram-bucket",
        E,
        "histogram_quantile over a series that is not a histogram _bucket",
        "pass rate(<histogram>_bucket[...]) aggregated by le",
    ),
    (
        "histogram-le",
        E,
        "histogram_quantile input has lost the le label",
        "keep le in the grouping: sum by (le, ...) (rate(x_bucket[5m]))",
    ),
    (
        "catalog-missing",
        W,
        "the project declares no Catalog",
        "declare one (dashboards/catalog.py)",
    ),
    (
        "variable-undeclared",
        E,
        "the query uses a dashboard variable that is not declared",
        "declare it in Dashboard(variables=...) or use a Grafana built-in",
    ),
    ("variable-unused", W, "a declared variable no query uses", "use it in queries or remove it"),
    ("alert-name", E, "alert name is not CamelCase", "rename it, e.g. HighErrorRate"),
    ("alert-severity", E, "severity is not critical, warning or info", "set a known severity"),
    ("alert-team", E, "the alert has no declared team", "set team= to a declared Team"),
    ("alert-summary", E, "summary missing or not one sentence", "one sentence ending in '.'"),
    (
        "alert-description",
        E,
        "description missing or not templated",
        "describe the firing series with {{ $labels.x }} / {{ $value }}",
    ),
    ("alert-runbook", E, "runbook_url missing or not a URL", "link the runbook (https://...)"),
    (
        "alert-for",
        E,
        "no 'for': the alert fires on a single evaluation",
        "set for_= (only *Down and absent() alerts may fire at once)",
    ),
    ("alert-tests", E, "no firing and no silent unit test", "add both AlertTest cases"),
    (
        "alert-test-failed",
        E,
        "a declared AlertTest fails under promtool test rules",
        "fix the expression, the series or the expected labels and annotations",
    ),
    (
        "alert-panel-link",
        E,
        "the alert does not link to the panel showing its signal",
        "add panel=PanelLink(dashboard=..., panel=...)",
    ),
    (
        "alert-panel-missing",
        E,
        "the linked panel's dashboard is not part of the project",
        "declare the dashboard at module level in a source module",
    ),
    (
        "alert-panel-signal",
        W,
        "the linked panel shows none of the alert's metrics",
        "link the panel that plots the alert's signal",
    ),
    ("panel-id-unique", E, "two panels share an id", "remove the id override from extra="),
    ("panel-overlap", E, "two panels overlap on the grid", "move one (pos= or extra gridPos)"),
    ("panel-unit", E, "the panel has no unit", "set unit= (Unit.NONE when it has none)"),
    (
        "query-datasource",
        E,
        "a query does not use the dashboard's datasource variable",
        "declare DatasourceVariable() and drop datasource overrides from extra=",
    ),
    ("panel-title", E, "empty title", "give it a title"),
    ("ignore-unknown-rule", E, "ignore= names no known rule", "use a rule id from docs/check.md"),
    ("ignore-unused", W, "ignore= suppresses nothing", "remove the ignore"),
    (
        "alertmanager-config",
        E,
        "amtool check-config refuses the Alertmanager configuration build writes",
        "fix the receiver or routing declaration amtool names (webhook URLs, templates)",
    ),
    (
        "tool-failed",
        E,
        "an external tool failed or hung, so what it checks was not checked",
        "run the tool's command by hand to see why; reinstall it if it is broken",
    ),
    ("rules-file", E, "Prometheus would refuse the rule file's structure", "fix the YAML"),
    (
        "rules-duration",
        E,
        "a 'for', 'keep_firing_for' or group 'interval' Prometheus cannot parse",
        "write a duration like 90s, 5m, 1h30m or 1d (units ms s m h d w y, no fractions)",
    ),
    (
        "rules-template",
        E,
        "a label or annotation template Go's text/template refuses",
        "close every {{ with }}, quote strings, use only defined functions and variables",
    ),
    (
        "template-label-missing",
        E,
        "a template uses a label the alert's expression aggregates away",
        "keep the label in the aggregation (sum by (job, instance)) or drop it from the text",
    ),
    (
        "alert-comparison",
        W,
        "the alert expression has no comparison and no absent(): it fires whenever a series exists",
        "compare against a threshold (> 0.05), or use absent() for missing series",
    ),
    (
        "rate-name-not-counter",
        W,
        "rate/increase/irate over a metric whose name says it is not a counter",
        "rate a counter (_total, _count, _sum, _bucket); use deriv()/delta() for a gauge",
    ),
    (
        "histogram-name-not-bucket",
        W,
        "histogram_quantile over a series whose name has no _bucket",
        "pass rate(<histogram>_bucket[5m]) aggregated by le",
    ),
    (
        "alert-duplicate",
        E,
        "the same alert name with the same labels is defined twice",
        "rename one, give them distinct labels, or delete the copy",
    ),
)
# What Prometheus itself refuses (or a tool we could not ask): never turned off by selection.
LOCKED = frozenset(
    {
        "promql-parse",
        "promql-promtool",
        "promql-prom3-only",
        "rules-file",
        "rules-duration",
        "rules-template",
        "tool-failed",
    }
)


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, where, on what, what is wrong and how to mend it."""

    rule: str
    location: Location
    object: str
    message: str
    excerpt: str = ""
    fix: str = ""
    suppressed: str | None = None
    ignores: tuple[Ignore, ...] = field(default=(), compare=False, repr=False)
    # 1-based column in the file (editors, GitHub annotations); None where only the line is known.
    column: int | None = None

    @property
    def level(self) -> Level:
        return RULES[self.rule].level

    @property
    def how_to_fix(self) -> str:
        return self.fix or RULES[self.rule].fix

    def json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.level.value,
            "file": display_path(self.location.file),
            "line": self.location.line,
            "column": self.column,
            "object": self.object,
            "message": self.message,
            "excerpt": self.excerpt,
            "fix": self.how_to_fix,
            "suppressed": self.suppressed,
        }


def finding(
    rule: str,
    location: Location,
    obj: str,
    message: str,
    *,
    excerpt: str = "",
    fix: str = "",
    ignores: Sequence[Ignore] = (),
    column: int | None = None,
) -> Finding:
    assert rule in RULES, rule
    return Finding(rule, location, obj, message, excerpt, fix, None, tuple(ignores), column)


def apply_ignores(findings: list[Finding], declared: Sequence[tuple[str, Ignore]]) -> list[Finding]:
    """Mark findings their declaration ignores; report unknown and unused ignores."""
    used: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        hit = next((i for i in f.ignores if i.rule == f.rule), None)
        if hit is not None:
            used.add(id(hit))
            f = replace(f, suppressed=hit.reason)
        out.append(f)
    for obj, ignore in declared:
        if ignore.rule not in RULES:
            out.append(
                finding("ignore-unknown-rule", ignore.location, obj, f"no rule {ignore.rule!r}")
            )
        elif id(ignore) not in used:
            out.append(
                finding(
                    "ignore-unused",
                    ignore.location,
                    obj,
                    f"ignore of {ignore.rule} suppresses nothing here",
                )
            )
    return out


def check_project(project: Project, *, promtool: bool | None = None) -> list[Finding]:
    """Every finding about a project, suppressions applied, sorted by file and line."""
    from pfm_dash.checks import (
        alerts,
        dashboards,
        metrics,
        promql,
        shipped,
        unit_tests,
        variables,
    )

    sites = promql.project_sites(project)
    findings = promql.check(sites, promtool=promtool)
    findings += metrics.check(project, sites)
    findings += variables.check(project)
    findings += alerts.check_project(project, sites)
    findings += dashboards.check(project)
    findings += shipped.alertmanager_findings(project)
    promtool_broken = any(f.rule == "tool-failed" and f.object == "promtool" for f in findings)
    if promtool is not False and not promtool_broken:  # a broken promtool is reported once
        findings += unit_tests.alert_test_findings(project)
    declared = [(f"alert {a.name}", i) for a in project.alerts for i in a.ignore]
    declared += [
        (f"panel {p.title!r}", i)
        for d in project.dashboards
        for p in d.all_panels()
        for i in p.ignore
    ]
    # A metric used twice in one query is one mistake: each finding is reported once.
    return sort_findings(apply_ignores(list(dict.fromkeys(findings)), declared))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (f.location.file, f.location.line, f.column or 0, f.rule, f.message),
    )
