"""Whole-project rules that no single declaration can check on its own.

These are build errors (exit 2): the output would be wrong or refused by Prometheus or
Grafana. Style and consistency findings belong to ``pfm-dash check``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pfm_dash.errors import DeclarationError, DeclarationErrors
from pfm_dash.model.alerting import AlertRule
from pfm_dash.model.base import duplicates
from pfm_dash.model.dashboard import Row
from pfm_dash.model.layout import layout
from pfm_dash.model.panels import Panel
from pfm_dash.model.query import variables_in

if TYPE_CHECKING:
    from pfm_dash.project import Project


def validate_project(project: Project) -> None:
    errors: list[DeclarationError] = []
    _unique_dashboards(project, errors)
    _layouts(project, errors)
    _panels(project, errors)
    _groups(project, errors)
    _expressions(project, errors)
    _routing(project, errors)
    if errors:
        raise DeclarationErrors(errors)


def _routing(project: Project, errors: list[DeclarationError]) -> None:
    """Every team reachable, every alert routed to a team (rules in formats/alertmanager)."""
    from pfm_dash.formats.alertmanager import routing_errors, settings_from

    errors.extend(routing_errors(project.teams, project.alerts, settings_from(project.config)))


def _unique_dashboards(project: Project, errors: list[DeclarationError]) -> None:
    for first, dashboard in duplicates(project.dashboards, lambda d: d.uid):
        errors.append(
            DeclarationError(
                f"dashboard uid {dashboard.uid!r} is already used at {first.location}",
                dashboard.location,
                "give each dashboard its own uid",
            )
        )


def _panels(project: Project, errors: list[DeclarationError]) -> None:
    """One object in two places, or two panels with one title and no pinned id, is refused.

    A panel's id follows its title unless ``id=`` pins it (model/ids.py): two panels titled
    alike would get ids that depend on their order, and links to them would break when the
    dashboard is rearranged. Imported dashboards pin their ids, so theirs may repeat titles.
    """
    for dashboard in project.dashboards:
        items: list[Panel | Row] = []
        for item in dashboard.panels:
            items.append(item)
            if isinstance(item, Row):
                items.extend(item.panels)
        placed = Counter(id(item) for item in items)
        reported: set[int] = set()
        titles: dict[str, Panel | Row] = {}
        for item in items:
            what = "row" if isinstance(item, Row) else "panel"
            if placed[id(item)] > 1:
                if id(item) not in reported:
                    reported.add(id(item))
                    errors.append(
                        DeclarationError(
                            f"{what} {item.title!r} is placed {placed[id(item)]} times in "
                            f"dashboard {dashboard.uid!r}",
                            item.location,
                            f"declare another {what} (dataclasses.replace copies one) instead "
                            "of placing one object twice",
                        )
                    )
                continue
            if item.id is not None:
                continue
            other = titles.setdefault(f"{what}:{item.title}", item)
            if other is not item:
                errors.append(
                    DeclarationError(
                        f"{what} title {item.title!r} is used twice in dashboard "
                        f"{dashboard.uid!r} (also at {other.location})",
                        item.location,
                        f"give each {what} its own title, or pin both ids with id=",
                    )
                )


def _layouts(project: Project, errors: list[DeclarationError]) -> None:
    for dashboard in project.dashboards:
        try:
            layout(dashboard)
        except DeclarationError as exc:
            errors.append(exc)


def _expressions(project: Project, errors: list[DeclarationError]) -> None:
    """A rule Prometheus could not parse would make the whole rule file refused on load."""
    import promql_parser  # 8 ms, paid only by builds with rules

    for group in project.groups:
        for rule in group.rules:
            try:
                promql_parser.parse(rule.expression)
            except ValueError as exc:
                name = rule.name if isinstance(rule, AlertRule) else rule.record
                errors.append(
                    DeclarationError(
                        f"{'alert' if isinstance(rule, AlertRule) else 'recording rule'} "
                        f"{name}: the expression does not parse: {exc}",
                        rule.location,
                        "correct the PromQL (pfm-dash check points at the error with a caret)",
                    )
                )


def _groups(project: Project, errors: list[DeclarationError]) -> None:
    declared_teams = {id(team) for team in project.teams}
    team_names = {team.name: team for team in project.teams}
    for first, repeat in duplicates(project.groups, lambda g: g.name):
        errors.append(
            DeclarationError(
                f"rule group {repeat.name!r} is already declared at {first.location}",
                repeat.location,
                "rename one of the groups (the name is the rule file's name)",
            )
        )
    for group in project.groups:
        # Prometheus keeps same-named alerts apart by their labels (a warning and a critical
        # variant, as kube-prometheus writes them); only a true copy is a mistake.
        names: dict[tuple[str, tuple[tuple[str, str], ...]], AlertRule] = {}
        for rule in group.alerts:
            key = (rule.name, tuple(sorted(rule.all_labels.items())))
            first_rule = names.get(key)
            names.setdefault(key, rule)
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
    team = rule.team  # no team at all is `pfm-dash check`'s alert-team finding
    if team is not None and id(team) not in declared_teams and team_names.get(team.name) != team:
        known = ", ".join(sorted(team_names)) or "none"
        errors.append(
            DeclarationError(
                f"alert {rule.name} belongs to team {team.name!r}, which is not declared "
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
    if rule.ignores("alert-tests"):
        pass  # waived with a reason (imported rules), reported by `pfm-dash check`
    elif not any(t.fires for t in rule.tests) or all(t.fires for t in rule.tests):
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
