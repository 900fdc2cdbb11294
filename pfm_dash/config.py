"""The project's configuration: ``[tool.pfm-dash]`` in the nearest pyproject.toml.

Kept apart from the model so that commands which only need settings (a cached build, push's
defaults) import nothing of the DSL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pfm_dash.errors import ConfigError
from pfm_dash.root import find_root, project_root

__all__ = ["Config", "find_root", "load_config"]

DEFAULT_SOURCES = ("dashboards", "alerts")


@dataclass(frozen=True)
class Config:
    """``[tool.pfm-dash]`` of the project's pyproject.toml, with defaults."""

    root: Path
    # Who pushed a dashboard, written in its pfm-dash mark: prune deletes only its own.
    project: str = ""
    # Whether ``project`` was set in [tool.pfm-dash] rather than defaulted from [project] name
    # or the folder's name; ``push --prune`` needs it set (two checkouts could share a default).
    project_declared: bool = False
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


def load_config(start: Path | None = None) -> Config:
    import tomllib  # 30 ms of start-up that a cached build does without

    found = project_root(start)
    if found is None:
        # Outside a project, build would write an empty build/ and check would pass on nothing.
        raise ConfigError(
            f"no pyproject.toml with [tool.pfm-dash] in {(start or Path.cwd()).resolve()} or any "
            "folder above it; run pfm-dash inside a project (or create one with a "
            "[tool.pfm-dash] table)"
        )
    root = found
    pyproject = root / "pyproject.toml"
    data: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    raw: dict[str, Any] = data.get("tool", {}).get("pfm-dash", {})
    declared = raw.get("project")
    if declared is not None and (not isinstance(declared, str) or not declared.strip()):
        raise ConfigError(f"{pyproject}: [tool.pfm-dash] project must be a non-empty name")
    project = declared or data.get("project", {}).get("name") or root.name
    if not isinstance(project, str):
        raise ConfigError(f"{pyproject}: [project] name must be a string")
    sources = raw.get("sources", list(DEFAULT_SOURCES))
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ConfigError(f"{pyproject}: [tool.pfm-dash] sources must be a list of folder names")
    missing = [s for s in sources if not (root / s).is_dir()]
    if "sources" in raw and missing:
        # A typo here would otherwise build nothing and delete what build/ held.
        raise ConfigError(
            f"{pyproject}: [tool.pfm-dash] sources names folders that do not exist: "
            f"{', '.join(missing)}; fix the names or create the folders"
        )
    out = raw.get("out", "build")
    if not isinstance(out, str):
        raise ConfigError(f"{pyproject}: [tool.pfm-dash] out must be a folder name")
    return Config(
        root=root,
        project=project,
        project_declared=declared is not None,
        sources=tuple(sources),
        out=out,
        raw=raw,
    )
