"""``pfm-dash import`` of Prometheus rule files: one module per group in the alerts folder.

Everything is read, checked and planned before anything is written, so a bad file, a name
collision or a module that exists (without ``--force``) leaves the project as it was. A
``team`` label becomes the teams module's ``Team``; teams it lacks are declared there. What
the house rules refuse in an imported alert (no tests, no runbook, no team...) is waived with
``Ignore(rule=..., reason="imported; ...")``: the build passes and ``pfm-dash check`` lists
the debt.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from pfm_dash.checks.alerts import house_rules, view_of
from pfm_dash.config import Config, load_config
from pfm_dash.errors import ConfigError, DeclarationError, Location
from pfm_dash.formats.prometheus.parse import attach_tests, parse_rule_file, parse_test_file
from pfm_dash.formats.python.rules import module_name, rule_group_module, team_variable
from pfm_dash.formats.python.source import Imports, Names, string_literal
from pfm_dash.model.alerting import AlertRule, Rule, RuleGroup
from pfm_dash.model.panels import Ignore

__all__ = ["RulePlan", "import_rule_files", "plan_rule_import"]

TEAMS_MODULE = "teams"  # <into>/teams.py, as `pfm-dash init` lays a project out
IMPORTED = "imported"  # every waiver's reason starts with it, so they are easy to find


@dataclass
class RulePlan:
    """What an import will write: module path -> text, and what to tell the user."""

    files: dict[Path, str] = field(default_factory=dict)
    replaces: list[Path] = field(default_factory=list)
    teams_added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    groups: list[tuple[RuleGroup, Path, str]] = field(default_factory=list)


def import_rule_files(
    paths: Sequence[Path],
    *,
    tests: Path | None = None,
    into: Path | None = None,
    force: bool = False,
    config: Config | None = None,
    echo: Callable[[str], None] = click.echo,
) -> int:
    """Import ``paths`` (rule files) into ``into`` (the alerts folder); returns the exit code.

    Bad input raises ``DeclarationError`` (exit 2), a collision or an existing module
    without ``force`` ``ConfigError``; in both cases nothing is written.
    """
    config = config or load_config()
    folder = (into or _alerts_folder(config)).resolve()
    plan = plan_rule_import(paths, tests=tests, into=folder, force=force, config=config)
    folder.mkdir(parents=True, exist_ok=True)
    init = folder / "__init__.py"
    if not init.exists() and _is_package_root(folder, config):
        plan.files.setdefault(init, "")
    for path, text in plan.files.items():
        path.write_text(text, "utf-8")
    for group, path, source in plan.groups:
        verb = "replaced" if path in plan.replaces else "wrote"
        rules = len(group.rules)
        echo(f"{verb} {_shown(path, config)}: group {group.name!r} ({rules} rule(s)) from {source}")
    for team in plan.teams_added:
        echo(f"declared team {team!r} in {_shown(folder / f'{TEAMS_MODULE}.py', config)}")
    for note in plan.notes:
        echo(f"  note: {note}")
    echo(f"imported {len(plan.groups)} rule group(s)")
    return 0


def plan_rule_import(
    paths: Sequence[Path],
    *,
    tests: Path | None,
    into: Path,
    force: bool,
    config: Config,
) -> RulePlan:
    """Parse, check and render everything; raise on the first reason not to write."""
    plan = RulePlan()
    parsed: list[tuple[RuleGroup, Path]] = []
    for path in paths:
        parsed += [(group, path) for group in parse_rule_file(path)]
    if tests is not None:
        found = parse_test_file(tests)
        attached = attach_tests([g for g, _ in parsed], found)
        parsed = [(g, p) for g, (_, p) in zip(attached, parsed, strict=True)]
        plan.notes += found.notes
    declared = _Declared(config)
    _check_collisions(parsed, into, force, config, plan, declared.groups)
    sources = [(config.root / s).resolve() for s in config.sources]
    if not any(into.resolve().is_relative_to(s) for s in sources):
        plan.notes.append(
            f"{into} is not below a folder of [tool.pfm-dash] sources: "
            "pfm-dash build will not collect these modules until it is"
        )
    teams_file = into / f"{TEAMS_MODULE}.py"
    teams = _TeamsModule(teams_file, _module_path(teams_file, config))
    refs = {name: (teams.module, var) for name, var in teams.variables.items()}
    refs.update(declared.teams)  # declared in the project, wherever that is
    for group, _ in parsed:
        for rule in group.alerts:
            if rule.team is not None and rule.team.name not in refs:
                teams.need(rule.team.name)
                refs[rule.team.name] = (teams.module, teams.variables[rule.team.name])
    if teams.added:
        plan.files[teams_file] = teams.text()
        plan.teams_added = list(teams.added)
    for group, source in parsed:
        target = into / f"{module_name(group)}.py"
        shown = _shown(source, config)
        text = rule_group_module(
            _with_waivers(group),
            teams_module=teams.module,
            team_refs=refs,
            source=shown,
            pfm_dash_is_local=pfm_dash_first_party(config),
        )
        plan.files[target] = text
        if target.exists():
            plan.replaces.append(target)
        plan.groups.append((group, target, shown))
    return plan


# --- where and what collides ---------------------------------------------------------------


def _alerts_folder(config: Config) -> Path:
    """The source folder holding the teams module, else one named ``alerts``, else the last."""
    folders = [config.root / s for s in config.sources]
    for folder in folders:
        if (folder / f"{TEAMS_MODULE}.py").is_file():
            return folder
    named = [f for f in folders if f.name == "alerts"]
    if named:
        return named[0]
    if folders:
        return folders[-1]
    raise ConfigError("no source folder configured for alerts: pass --into DIR")


def pfm_dash_first_party(config: Config) -> bool:
    """Whether the project's isort counts pfm_dash as its own code: ruff's
    ``known-first-party`` names it, or the package sits at the project's root (ruff's
    default ``src``). The generated imports then share one section with the project's."""
    import tomllib

    if (config.root / "pfm_dash").is_dir():
        return True
    try:
        data = tomllib.loads((config.root / "pyproject.toml").read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    ruff = data.get("tool", {}).get("ruff", {})
    isort = ruff.get("lint", {}).get("isort") or ruff.get("isort") or {}
    return "pfm_dash" in (isort.get("known-first-party") or [])


def _is_package_root(folder: Path, config: Config) -> bool:
    """Whether the folder sits in the project, where modules import each other as packages."""
    return folder.is_relative_to(config.root)


def _module_path(path: Path, config: Config) -> str:
    """``alerts.teams`` for ``<root>/alerts/teams.py`` (what modules import it as)."""
    where = path.with_suffix("")
    rel = where.relative_to(config.root) if where.is_relative_to(config.root) else where
    parts = rel.parts[-2:] if not where.is_relative_to(config.root) else rel.parts
    return ".".join(parts)


def _shown(path: Path, config: Config) -> str:
    resolved = path.resolve()
    if resolved.is_relative_to(config.root.resolve()):
        return str(resolved.relative_to(config.root.resolve()))
    return str(path)


def _check_collisions(
    parsed: Sequence[tuple[RuleGroup, Path]],
    into: Path,
    force: bool,
    config: Config,
    plan: RulePlan,
    existing: Mapping[str, RuleGroup],
) -> None:
    """Refuse duplicate groups and modules and existing files; report shared alert names."""
    problems: list[str] = []
    by_name: dict[str, RuleGroup] = {}
    by_module: dict[str, RuleGroup] = {}
    for group, _ in parsed:
        first = by_name.setdefault(group.name, group)
        if first is not group:
            problems.append(
                f"group {group.name!r} at {group.location} is also at {first.location}; "
                "Prometheus keeps one group of a name per file and pfm-dash one per project"
            )
            continue
        mod = module_name(group)
        first = by_module.setdefault(mod, group)
        if first is not group:
            problems.append(
                f"groups {first.name!r} ({first.location}) and {group.name!r} "
                f"({group.location}) would both be written to {mod}.py"
            )
    for group, _ in parsed:
        target = (into / f"{module_name(group)}.py").resolve()
        there = existing.get(group.name)
        if there is not None and Path(there.location.file).resolve() != target:
            problems.append(
                f"group {group.name!r} is already declared at {there.location}; "
                "rename one of them (the name is the rule file's name)"
            )
        if target.exists() and not force:
            problems.append(f"{_shown(target, config)} exists; pass --force to replace it")
        for rule in group.alerts:
            for other in existing.values():
                if other.name == group.name:
                    continue
                if any(a.name == rule.name for a in other.alerts):
                    plan.notes.append(
                        f"alert {rule.name} of group {group.name!r} is also an alert of group "
                        f"{other.name!r} ({other.location})"
                    )
    if problems:
        raise ConfigError(
            "nothing was imported:\n  " + "\n  ".join(dict.fromkeys(problems)),
        )


class _Declared:
    """What the project declares already: its groups by name, and where each team lives
    (team name -> module and variable), so an import reuses a team rather than copying it."""

    def __init__(self, config: Config) -> None:
        self.groups: dict[str, RuleGroup] = {}
        self.teams: dict[str, tuple[str, str]] = {}
        if not any(True for _ in config.source_files()):
            return
        from pfm_dash.project import load_project

        project = load_project(config)
        self.groups = {g.name: g for g in project.groups}
        root = config.root.resolve()
        for team in project.teams:
            path = Path(team.location.file).resolve()
            if not path.is_relative_to(root):
                continue
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            names = vars(sys.modules.get(module, object()))
            var = next((n for n, v in names.items() if v is team and n.isupper()), None)
            if var is not None:
                self.teams.setdefault(team.name, (module, var))


# --- waivers -------------------------------------------------------------------------------


def _with_waivers(group: RuleGroup) -> RuleGroup:
    """The group with each alert's house-rule debts waived by a reasoned ``Ignore``."""
    rules: list[Rule] = []
    for rule in group.rules:
        if isinstance(rule, AlertRule):
            waived = dataclasses.replace(rule, ignore=[*rule.ignore, *waivers(rule)])
            object.__setattr__(waived, "location", rule.location)
            rule = waived
        rules.append(rule)
    out = dataclasses.replace(group, rules=rules)
    object.__setattr__(out, "location", group.location)
    return out


def waivers(rule: AlertRule) -> list[Ignore]:
    """One ``Ignore`` per house rule the alert breaks, the finding as its reason."""
    team = {rule.team.name} if rule.team is not None else set()
    reasons: dict[str, str] = {}
    for finding in house_rules(view_of(rule, team)):
        reasons.setdefault(finding.rule, finding.message)
    fires = any(t.fires for t in rule.tests)
    silent = any(not t.fires for t in rule.tests)
    if not (fires and silent):
        missing = [what for what, ok in (("firing", fires), ("silent", silent)) if not ok]
        reasons["alert-tests"] = f"no {' and no '.join(missing)} test case"
    if rule.panel is None:
        reasons["alert-panel-link"] = "no panel shows its signal yet"
    done = {i.rule for i in rule.ignore}
    return [
        Ignore(rule=rid, reason=f"{IMPORTED}; {why}")
        for rid, why in reasons.items()
        if rid not in done
    ]


# --- the teams module ----------------------------------------------------------------------


class _TeamsModule:
    """The teams module: the teams it declares, and the text with the missing ones added."""

    def __init__(self, path: Path, module: str) -> None:
        self.path = path
        self.module = module
        self.source = path.read_text("utf-8") if path.is_file() else ""
        self.variables: dict[str, str] = {}  # team name -> variable
        self.added: list[str] = []
        taken: set[str] = set()
        if self.source:
            try:
                tree = ast.parse(self.source, str(path))
            except SyntaxError as exc:
                raise DeclarationError(
                    f"the teams module does not parse: {exc.msg}",
                    Location(str(path), exc.lineno or 0),
                    "fix it before importing rules into this folder",
                ) from None
            self.tree: ast.Module | None = tree
            for node in tree.body:
                for target, value in _assignments(node):
                    taken.add(target)
                    name = _team_name(value)
                    if name is not None:
                        self.variables.setdefault(name, target)
        else:
            self.tree = None
        self.names = Names(taken)

    def need(self, team: str) -> None:
        if team not in self.variables:
            self.variables[team] = self.names.make(team_variable(team), fallback="team").upper()
            self.added.append(team)

    def text(self) -> str:
        """The module text with a declaration per added team (a receiver to fill in)."""
        blocks = [
            f"{self.variables[t]} = Team(\n"
            f"    name={string_literal(t)},\n"
            f"    description={string_literal(f'Owns the alerts imported with team={t}.')},\n"
            f"    receiver=Receiver(email_env={string_literal(_email_env(t))}),\n"
            ")\n"
            for t in self.added
        ]
        if self.tree is None:
            head = (
                '"""The teams that own the alerts. Each name is the ``team`` label and the '
                'receiver\'s name."""\n\nfrom pfm_dash import Receiver, Team\n'
            )
            return head + "".join(f"\n{b}" for b in blocks)  # one blank line, as isort has it
        source = self._with_imports({"Receiver", "Team"})
        return source.rstrip("\n") + "\n" + "".join(f"\n\n{b}" for b in blocks)

    def _with_imports(self, needed: set[str]) -> str:
        """The source with ``needed`` added to its ``from pfm_dash import ...``."""
        assert self.tree is not None
        lines = self.source.splitlines(keepends=True)
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "pfm_dash" and not node.level:
                have = {a.name for a in node.names if a.asname is None}
                if needed <= have:
                    return self.source
                if any(a.asname for a in node.names):
                    continue
                imports = Imports()
                for name in have | needed:
                    imports.add("pfm_dash", name)
                end = node.end_lineno or node.lineno
                return "".join([*lines[: node.lineno - 1], imports.render() + "\n", *lines[end:]])
        last = max(
            (
                n.end_lineno or n.lineno
                for n in self.tree.body
                if isinstance(n, ast.Import | ast.ImportFrom)
            ),
            default=_docstring_end(self.tree),
        )
        imports = Imports()
        for name in needed:
            imports.add("pfm_dash", name)
        return "".join([*lines[:last], imports.render() + "\n", *lines[last:]])


def _docstring_end(tree: ast.Module) -> int:
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.end_lineno or first.lineno
    return 0


def _assignments(node: ast.stmt) -> Iterable[tuple[str, ast.expr | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        yield node.target.id, node.value
    elif isinstance(node, ast.FunctionDef | ast.ClassDef):
        yield node.name, None


def _team_name(value: ast.expr | None) -> str | None:
    """``"x"`` from ``Team(name="x", ...)``."""
    if not (isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Team"):
        return None
    for keyword in value.keywords:
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _email_env(team: str) -> str:
    return f"{team_variable(team)}_TEAM_EMAIL"
