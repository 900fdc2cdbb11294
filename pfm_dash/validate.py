"""Whole-project rules that no single declaration can check on its own.

These are build errors (exit 2): the output would be wrong or refused by Prometheus or
Grafana. Style and consistency findings belong to ``pfm-dash check``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pfm_dash.errors import DeclarationError, DeclarationErrors
from pfm_dash.model.alerting import AlertRule, RuleGroup
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.layout import layout
from pfm_dash.model.query import variables_in

if TYPE_CHECKING:
    from pfm_dash.project import Project


def validate_project(project: Project) -> None:
    errors: list[DeclarationError] = []
    _unique_dashboards(project, errors)
    _layouts(project, errors)
    _groups(project, errors)
    _routing(project, errors)
    if errors:
        raise DeclarationErrors(errors)


def _routing(project: Project, errors: list[DeclarationError]) -> None:
    """Every team reachable, every alert routed to a team (rules in formats/alertmanager)."""
    from pfm_dash.formats.alertmanager import routing_errors

    errors.extend(routing_errors(project))


def _unique_dashboards(project: Project, errors: list[DeclarationError]) -> None:
    seen: dict[str, Dashboard] = {}
    for dashboard in project.dashboards:
        first = seen.setdefault(dashboard.uid, dashboard)
        if first is not dashboard:
            errors.append(
                DeclarationError(
                    f"dashboard uid {dashboard.uid!r} is already used at {first.location}",
                    dashboard.location,
                    "give each dashboard its own uid",
                )
            )


def _layouts(project: Project, errors: list[DeclarationError]) -> None:
    for dashboard in project.dashboards:
        try:
            layout(dashboard)
        except DeclarationError as exc:
            errors.append(exc)


def _groups(project: Project, errors: list[DeclarationError]) -> None:
    declared_teams = {id(team) for team in project.teams}
    team_names = {team.name: team for team in project.teams}
    seen_groups: dict[str, RuleGroup] = {}
    for group in project.groups:
        first = seen_groups.setdefault(group.name, group)
        if first is not group:
            errors.append(
                DeclarationError(
                    f"rule group {group.name!r} is already declared at {first.location}",
                    group.location,
                    "rename one of the groups (the name is the rule file's name)",
                )
            )
        names: dict[str, AlertRule] = {}
        for rule in group.alerts:
            first_rule = names.get(rule.name)
            names.setdefault(rule.name, rule)
            if first_rule is not None:
                errors.append(
                    DeclarationError(
                        f"alert {rule.name} is declared twice in group {group.name!r} "
                        f"(first at {first_rule.location})",
                        rule.location,
                        "rename it or remove the copy",
                    )
                )
            _alert(rule, declared_teams, team_names, errors)


def _alert(
    rule: AlertRule,
    declared_teams: set[int],
    team_names: Mapping[str, object],
    errors: list[DeclarationError],
) -> None:
    if id(rule.team) not in declared_teams and team_names.get(rule.team.name) != rule.team:
        known = ", ".join(sorted(team_names)) or "none"
        errors.append(
            DeclarationError(
                f"alert {rule.name} belongs to team {rule.team.name!r}, which is not declared "
                f"(declared: {known})",
                rule.location,
                "declare the Team at module level in a source module and import it here",
            )
        )
    leftover = variables_in(rule.expression)
    if leftover:
        errors.append(
            DeclarationError(
                f"alert {rule.name} uses Grafana variable ${leftover[0]} in its expression",
                rule.location,
                "use query.for_rules(window=..., name=value) to give rules concrete values",
            )
        )
    if not any(t.fires for t in rule.tests) or all(t.fires for t in rule.tests):
        missing = "a case where it fires" if not any(t.fires for t in rule.tests) else ""
        silent = "a case where it stays silent" if all(t.fires for t in rule.tests) else ""
        what = " and ".join(x for x in (missing, silent) if x)
        errors.append(
            DeclarationError(
                f"alert {rule.name} has no unit test with {what}",
                rule.location,
                "add tests=[AlertTest(..., expect=[Expect(...)]), AlertTest(..., expect=[])]",
            )
        )
    for test in rule.tests:
        for expect in test.expect:
            missing_ann = [
                k
                for k, v in rule.all_annotations.items()
                if "{{" in v and k not in expect.annotations
            ]
            if missing_ann:
                errors.append(
                    DeclarationError(
                        f"test {test.name!r} of {rule.name} does not give the rendered "
                        f"{', '.join(missing_ann)} annotation(s)",
                        test.location,
                        "promtool compares annotations: add them to Expect(annotations=...)",
                    )
                )
