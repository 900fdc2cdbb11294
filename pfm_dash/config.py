"""The project's configuration: ``[tool.pfm-dash]`` in the nearest pyproject.toml.

Kept apart from the model so that commands which only need settings (a cached build, push's
defaults) import nothing of the DSL.
"""

from __future__ import annotations

import difflib
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


# What [tool.pfm-dash] may hold: its own keys, and one table per concern. A misspelt key
# (``source =``, ``[tool.pfm-dash.alertmanger]``) is an error, never silently a default.
TOP_KEYS = frozenset({"project", "sources", "out"})
# Table -> its keys, where this module checks them; None where the table's owner does
# (``[tool.pfm-dash.alertmanager]``: formats/alertmanager.py, ``.push``: push/settings.py).
TABLES: dict[str, frozenset[str] | None] = {
    "grafana": frozenset(
        {"url", "dashboards-path", "datasource-name", "datasource-uid", "prometheus-url"}
    ),
    "alertmanager": None,
    "push": None,
    "prometheus": None,  # checked by formats/prometheus/scrape.py (typed settings)
    "check": frozenset({"select", "ignore"}),  # values: pfm_dash/checks/selection.py
}


def _check_keys(pyproject: Path, raw: dict[str, Any]) -> None:
    for key, value in raw.items():
        if key in TOP_KEYS:
            continue
        if key not in TABLES:
            known = ", ".join([*sorted(TOP_KEYS), *(f"[tool.pfm-dash.{t}]" for t in TABLES)])
            close = difflib.get_close_matches(key, [*TOP_KEYS, *TABLES], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{pyproject}: [tool.pfm-dash] has no key or table {key!r}{hint} (known: {known})"
            )
        keys = TABLES[key]
        if not isinstance(value, dict):
            raise ConfigError(f"{pyproject}: [tool.pfm-dash] {key} must be a table")
        unknown = sorted(set(value) - keys) if keys is not None else []
        if unknown:
            raise ConfigError(
                f"{pyproject}: [tool.pfm-dash.{key}] has unknown key(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(keys or ()))})"
            )
    url = raw.get("grafana", {}).get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise ConfigError(
            f"{pyproject}: [tool.pfm-dash.grafana] url {url!r} needs a scheme: alerts link to "
            "<url>/d/<uid>, so write it as https://grafana.example.org"
        )


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
    _check_keys(pyproject, raw)
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
