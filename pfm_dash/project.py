"""Finding the project: its configuration, its declaration modules, and what they declare.

Discovery is deliberately plain: every ``*.py`` under the configured source folders is imported
as a module of the project (``dashboards.pfm_overview``), and every module-level
:class:`Dashboard`, :class:`RuleGroup` and :class:`Team` is collected, as pytest collects tests.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pfm_dash.errors import ConfigError, DeclarationError, DeclarationErrors, Location
from pfm_dash.model.alerting import AlertRule, RuleGroup, Team
from pfm_dash.model.dashboard import Dashboard

DEFAULT_SOURCES = ("dashboards", "alerts")


@dataclass(frozen=True)
class Config:
    """``[tool.pfm-dash]`` of the project's pyproject.toml, with defaults."""

    root: Path
    sources: tuple[str, ...] = DEFAULT_SOURCES
    out: str = "build"
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def out_dir(self) -> Path:
        return self.root / self.out

    def source_files(self) -> Iterator[Path]:
        """Every declaration module, in a stable order."""
        for source in self.sources:
            folder = self.root / source
            if folder.is_dir():
                yield from sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards holding a pyproject.toml with [tool.pfm-dash], else cwd."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.pfm-dash]" in candidate.read_text("utf-8"):
            return folder
    return here


def load_config(start: Path | None = None) -> Config:
    root = find_root(start)
    pyproject = root / "pyproject.toml"
    raw: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            raw = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("pfm-dash", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    sources = raw.get("sources", list(DEFAULT_SOURCES))
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ConfigError(f"{pyproject}: [tool.pfm-dash] sources must be a list of folder names")
    out = raw.get("out", "build")
    if not isinstance(out, str):
        raise ConfigError(f"{pyproject}: [tool.pfm-dash] out must be a folder name")
    return Config(root=root, sources=tuple(sources), out=out, raw=raw)


@dataclass
class Project:
    """Everything the sources declare, validated as a whole."""

    config: Config
    dashboards: list[Dashboard]
    groups: list[RuleGroup]
    teams: list[Team]

    @property
    def alerts(self) -> list[AlertRule]:
        return [a for g in self.groups for a in g.alerts]


def _module_name(config: Config, path: Path) -> str:
    rel = path.relative_to(config.root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_error(path: Path, exc: BaseException) -> DeclarationError:
    """Point at the deepest frame of the user's own file, with the original error."""
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno or 0
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = exc.lineno
    return DeclarationError(
        f"{path.name} failed to import: {type(exc).__name__}: {exc}",
        Location(str(path), line),
        "fix the error above; the module must import cleanly for pfm-dash to read it",
    )


def load_project(config: Config) -> Project:
    """Import every declaration module and collect what it declares."""
    root = str(config.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    dashboards: dict[int, Dashboard] = {}
    groups: dict[int, RuleGroup] = {}
    teams: dict[int, Team] = {}
    errors: list[DeclarationError] = []
    for path in config.source_files():
        try:
            module = importlib.import_module(_module_name(config, path))
        except DeclarationError as exc:
            errors.append(exc)
            continue
        except Exception as exc:
            errors.append(_import_error(path, exc))
            continue
        for value in vars(module).values():
            if isinstance(value, Dashboard):
                dashboards.setdefault(id(value), value)
            elif isinstance(value, RuleGroup):
                groups.setdefault(id(value), value)
            elif isinstance(value, Team):
                teams.setdefault(id(value), value)
    if errors:
        raise DeclarationErrors(errors)
    project = Project(
        config=config,
        dashboards=sorted(dashboards.values(), key=lambda d: d.uid),
        groups=sorted(groups.values(), key=lambda g: g.name),
        teams=sorted(teams.values(), key=lambda t: t.name),
    )
    from pfm_dash.validate import validate_project

    validate_project(project)
    return project
