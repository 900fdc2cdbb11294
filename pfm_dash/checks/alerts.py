"""Alert house rules, in the spirit of mixtool's and pint's lints.

They run on :class:`AlertView`, what an alert looks like in any rule file, so ``check-rules``
applies the same rules to files nobody here wrote; the DSL-only rules (tests, panel link)
are in :func:`check_project`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pfm_dash.checks import Finding, finding
from pfm_dash.checks.promql import Site, selector_name, walk
from pfm_dash.errors import Location

if TYPE_CHECKING:
    from pfm_dash.model.alerting import AlertRule
    from pfm_dash.model.panels import Ignore
    from pfm_dash.project import Project

CAMEL = re.compile(r"^[A-Z][a-zA-Z0-9]*$")
SEVERITIES = ("critical", "warning", "info")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class AlertView:
    """An alerting rule reduced to what the house rules read."""

    name: str
    expr: str
    for_: str | None
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    location: Location
    ignores: tuple[Ignore, ...] = ()
    team_declared: bool | None = None  # None: no teams to check against (rule files)

    @property
    def obj(self) -> str:
        return f"alert {self.name}"


def _exempt_from_for(view: AlertView) -> bool:
    """ServiceDown-style alerts: a target that is down is down at the first look."""
    return view.name.endswith("Down") or view.expr.lstrip().startswith("absent")


def house_rules(view: AlertView) -> list[Finding]:
    out: list[Finding] = []

    def report(rule: str, message: str) -> None:
        out.append(finding(rule, view.location, view.obj, message, ignores=view.ignores))

    if not CAMEL.match(view.name):
        report("alert-name", f"{view.name!r} is not CamelCase")
    severity = view.labels.get("severity")
    if severity not in SEVERITIES:
        report("alert-severity", f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if view.team_declared is False or (view.team_declared is None and "team" not in view.labels):
        report("alert-team", "no declared team owns this alert")
    summary = view.annotations.get("summary", "").strip()
    if not summary:
        report("alert-summary", "no summary annotation")
    elif "\n" in summary or _SENTENCE_BREAK.search(summary) or summary[-1] not in ".!?":
        report("alert-summary", f"summary is not one sentence: {summary!r}")
    description = view.annotations.get("description", "").strip()
    if not description:
        report("alert-description", "no description annotation")
    elif "{{" not in description:
        report("alert-description", "description has no template ({{ $labels.x }}, {{ $value }})")
    runbook = view.annotations.get("runbook_url", "").strip()
    if not _URL.match(runbook):
        report("alert-runbook", "no runbook_url" if not runbook else f"runbook_url {runbook!r}")
    if not view.for_ and not _exempt_from_for(view):
        report("alert-for", "no 'for': one bad evaluation pages someone")
    return out


def view_of(rule: AlertRule, declared_teams: set[str]) -> AlertView:
    return AlertView(
        name=rule.name,
        expr=rule.expression,
        for_=rule.for_,
        labels=rule.all_labels,
        annotations=rule.all_annotations,
        location=rule.location,
        ignores=tuple(rule.ignore),
        team_declared=rule.team is not None and rule.team.name in declared_teams,
    )


def _metrics(site: Site | None) -> set[str]:
    if site is None or site.ast is None:
        return set()
    return {
        name
        for node in walk(site.ast)
        if type(node).__name__ == "VectorSelector" and (name := selector_name(node))
    }


def check_project(project: Project, sites: Sequence[Site]) -> list[Finding]:
    """House rules on every DSL alert, plus unit tests and the link to its panel."""
    teams = {t.name for t in project.teams}
    dashboards = {id(d) for d in project.dashboards}
    by_location = {(s.location, s.obj): s for s in sites}
    out: list[Finding] = []
    for rule in project.alerts:
        out.extend(house_rules(view_of(rule, teams)))

        def report(rid: str, message: str, rule: AlertRule = rule) -> None:
            out.append(
                finding(rid, rule.location, f"alert {rule.name}", message, ignores=rule.ignore)
            )

        fires = any(t.fires for t in rule.tests)
        silent = any(not t.fires for t in rule.tests)
        if not (fires and silent):
            report("alert-tests", f"tests: firing case {fires}, silent case {silent}")
        if rule.panel is None:
            report("alert-panel-link", "no panel= link to the dashboard panel showing its signal")
            continue
        if id(rule.panel.dashboard) not in dashboards:
            report(
                "alert-panel-missing",
                f"dashboard {rule.panel.dashboard.uid!r} of the linked panel is not in the project",
            )
            continue
        alert_metrics = _metrics(by_location.get((rule.location, f"alert {rule.name}")))
        panel_metrics: set[str] = set()
        for site in sites:
            if site.dashboard is rule.panel.dashboard and site.obj.startswith(
                f"panel {rule.panel.panel.title!r} "
            ):
                panel_metrics |= _metrics(site)
        if alert_metrics and panel_metrics and not alert_metrics & panel_metrics:
            report(
                "alert-panel-signal",
                f"panel {rule.panel.panel.title!r} shows {', '.join(sorted(panel_metrics))}; "
                f"the alert reads {', '.join(sorted(alert_metrics))}",
            )
    return out
