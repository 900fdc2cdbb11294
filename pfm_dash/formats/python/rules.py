"""A rule group written as the Python module a person would write (``alerts/<group>.py``).

One variable per rule, named from the alert or record (``KubeAPIDown`` -> ``kube_api_down``),
then the group built from them; a rule's team is the ``Team`` variable of the teams module,
never a string. Only what differs from the DSL's defaults is written, through the shared
helpers of :mod:`pfm_dash.formats.python.source`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pfm_dash.formats.python.source import Imports, Names, assignment, module, value
from pfm_dash.model.alerting import AlertRule, RuleGroup, Team

__all__ = ["module_name", "rule_group_module", "team_variable"]

# Splits CamelCase at each word: "KubeAPIErrorBudgetBurn" -> "Kube API Error Budget Burn".
_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


_LONGEST = 48  # a variable name leaves room for `` = RecordingRule(`` within 100 columns


def _words(name: str) -> str:
    """Words of a name, at most ``_LONGEST`` characters of them (whole words where it can)."""
    words = _WORDS.sub(" ", name)
    if len(words) <= _LONGEST:
        return words
    cut = max(words.rfind(sep, 0, _LONGEST) for sep in " _:.-")
    return words[: cut if cut > _LONGEST // 2 else _LONGEST]


def module_name(group: RuleGroup) -> str:
    """The module (file stem) of a group: ``general.rules`` -> ``general_rules``."""
    return Names().make(_words(group.name), fallback="rules")


def team_variable(team: str) -> str:
    """The teams module's variable for a team: ``data-platform`` -> ``DATA_PLATFORM``."""
    return re.sub(r"[^0-9A-Z]+", "_", team.upper()).strip("_") or "TEAM"


def rule_group_module(
    group: RuleGroup,
    *,
    teams_module: str = "alerts.teams",
    team_refs: Mapping[str, tuple[str, str]] | None = None,
    source: str = "",
    pfm_dash_is_local: bool = False,
) -> str:
    """The module text for ``group``: its rules, then ``<module> = RuleGroup(...)``.

    ``team_refs`` maps a team name to the module and variable declaring it; a team it lacks
    is ``teams_module``'s upper-cased name (``data-platform`` -> ``DATA_PLATFORM``).
    ``source`` is where the group came from, for the docstring.
    ``pfm_dash_is_local`` says the project holds pfm_dash itself: then isort puts its
    imports in one section with the teams module's, else pfm_dash is third-party and
    comes first, a section of its own.
    """
    imports = Imports()
    local = imports if pfm_dash_is_local else Imports()
    names = Names()
    group_var = names.make(_words(group.name), fallback="rules")
    refs: dict[int, str] = {}
    statements: list[str] = []
    for rule in group.rules:
        if isinstance(rule, AlertRule) and rule.team is not None:
            refs[id(rule.team)] = _team(rule.team, teams_module, team_refs, local)
        label = rule.name if isinstance(rule, AlertRule) else rule.record
        var = names.make(_words(label), fallback="rule")
        statements.append(assignment(var, value(rule, imports, refs)))
        refs[id(rule)] = var
    statements.append(assignment(group_var, value(group, imports, refs)))
    # RuleGroup's rules list may hold only names; make sure the class is imported anyway.
    imports.add("pfm_dash", "RuleGroup")
    origin = f", imported from {source}" if source else ""
    doc = f"Rule group {group.name!r}{origin} by pfm-dash import."
    sections = [] if local is imports else [local.render()]
    return module(doc, imports, [s for s in sections if s] + statements)


def _team(
    team: Team,
    teams_module: str,
    team_refs: Mapping[str, tuple[str, str]] | None,
    imports: Imports,
) -> str:
    where, var = (team_refs or {}).get(team.name) or (teams_module, team_variable(team.name))
    return imports.add(where, var)
