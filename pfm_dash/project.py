"""Loading the project: importing its declaration modules and collecting what they declare.

Discovery is deliberately plain: every ``*.py`` under the configured source folders is
imported as a module of the project (``dashboards/overview.py`` as ``dashboards.overview``),
and every module-level :class:`Dashboard`, :class:`RuleGroup`, :class:`Team`,
:class:`Catalog` and the one :class:`Simulation` is collected,
as pytest collects tests. A module-level ``grafanalib.core.Dashboard`` is collected too,
through its JSON (:mod:`pfm_dash.formats.grafana.parse.grafanalib`); grafanalib is imported
only when a module declares one.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from pfm_dash.catalog import Catalog
from pfm_dash.config import Config, find_root, load_config
from pfm_dash.errors import DeclarationError, DeclarationErrors, Location, collecting
from pfm_dash.model.alerting import AlertRule, RuleGroup, Team
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.simulation import Simulation
from pfm_dash.records import field, record

__all__ = ["Config", "Project", "find_root", "load_config", "load_project"]


@record
class Project:
    """Everything the sources declare, validated as a whole."""

    config: Config
    dashboards: list[Dashboard]
    groups: list[RuleGroup]
    teams: list[Team]
    catalogs: list[Catalog] = field(default_factory=list)
    simulation: Simulation = field(default_factory=Simulation)

    @property
    def alerts(self) -> list[AlertRule]:
        return [a for g in self.groups for a in g.alerts]


def _module_name(config: Config, path: Path) -> str:
    rel = path.relative_to(config.root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_error(config: Config, path: Path, exc: BaseException) -> DeclarationError:
    """Point where the error was raised in the user's files, with the original error.

    That is the deepest frame in a declaration module, not the module being imported: when
    ``alerts/x.py`` imports a broken ``dashboards/y.py``, the mistake is in ``y.py``.
    """
    import traceback  # only when a user's module fails: a build never pays for it

    sources = {p.resolve() for p in config.source_files()}
    where = Location(str(path), 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() in sources:
            where = Location(frame.filename, frame.lineno or 0)
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        where = Location(exc.filename, exc.lineno)
    return DeclarationError(
        f"{Path(where.file).name} failed to import: {type(exc).__name__}: {exc}",
        where,
        "fix the error above; the module must import cleanly for pfm-dash to read it",
    )


def _is_grafanalib_dashboard(value: object) -> bool:
    """Checked by type name, so that a build without grafanalib objects never imports it."""
    kind = type(value)
    return kind.__module__ == "grafanalib.core" and kind.__name__ == "Dashboard"


def _assignment_line(path: Path, name: str) -> int:
    """The line where ``name`` is assigned at module level (0 when not found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    pattern = re.compile(rf"^{re.escape(name)}\s*(:[^=]*)?=")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 0)


def _from_grafanalib(value: object, path: Path, name: str) -> Dashboard:
    """A grafanalib Dashboard as a model Dashboard, located where the module assigns it."""
    from pfm_dash.formats.grafana.parse.grafanalib import parse_grafanalib

    where = Location(str(path), _assignment_line(path, name))
    try:
        board = parse_grafanalib(value, source=f"{where} ({name}, grafanalib)").dashboard
    except DeclarationError:
        raise
    except Exception as exc:  # grafanalib's own to_json_data() failing on the user's values
        raise DeclarationError(
            f"grafanalib dashboard {name!r} could not be turned into JSON: "
            f"{type(exc).__name__}: {exc}",
            where,
            "check the grafanalib objects it holds",
        ) from None
    object.__setattr__(board, "location", where)  # errors point at the user's declaration
    return board


def load_project(config: Config) -> Project:
    """Import every declaration module and collect what it declares."""
    root = str(config.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    dashboards: dict[int, Dashboard] = {}
    groups: dict[int, RuleGroup] = {}
    teams: dict[int, Team] = {}
    catalogs: dict[int, Catalog] = {}
    simulations: dict[int, Simulation] = {}
    errors: list[DeclarationError] = []
    before = set(sys.modules)
    for path in config.source_files():
        try:
            with collecting() as found:
                try:
                    module = importlib.import_module(_module_name(config, path))
                finally:
                    errors.extend(found)
        except DeclarationError as exc:
            errors.append(exc)
            continue
        except Exception as exc:
            errors.append(_import_error(config, path, exc))
            continue
        for name, value in vars(module).items():
            if isinstance(value, Dashboard):
                dashboards.setdefault(id(value), value)
            elif _is_grafanalib_dashboard(value) and id(value) not in dashboards:
                try:
                    dashboards[id(value)] = _from_grafanalib(value, path, name)
                except DeclarationError as exc:
                    errors.append(exc)
            elif isinstance(value, RuleGroup):
                groups.setdefault(id(value), value)
            elif isinstance(value, Team):
                teams.setdefault(id(value), value)
            elif isinstance(value, Catalog):
                catalogs.setdefault(id(value), value)
            elif isinstance(value, Simulation):
                simulations.setdefault(id(value), value)
    from pfm_dash.bytecode import pin_to_content

    pin_to_content((sys.modules[n] for n in sys.modules.keys() - before), config.root)
    if len(simulations) > 1:
        first, *others = simulations.values()
        errors += [
            DeclarationError(
                f"a second Simulation is declared (the first is at {first.location})",
                other.location,
                "declare one Simulation for the project",
            )
            for other in others
        ]
    if errors:
        # A broken module is run again by every module that imports it: report it once.
        unique = {(str(e.location), e.message): e for e in errors}
        raise DeclarationErrors(list(unique.values()))
    project = Project(
        config=config,
        dashboards=sorted(dashboards.values(), key=lambda d: d.uid),
        groups=sorted(groups.values(), key=lambda g: g.name),
        teams=sorted(teams.values(), key=lambda t: t.name),
        catalogs=list(catalogs.values()),
        simulation=next(iter(simulations.values()), Simulation()),
    )
    from pfm_dash.validate import validate_project

    validate_project(project)
    return project
