"""Where the project is: the nearest folder upwards whose pyproject.toml has [tool.pfm-dash].

Dependency-free on purpose: a build with nothing to do needs only this and the cache.
"""

from __future__ import annotations

from pathlib import Path


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder upwards whose pyproject.toml declares [tool.pfm-dash], if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.pfm-dash]" in candidate.read_text("utf-8"):
            return folder
    return None


def find_root(start: Path | None = None) -> Path:
    """The project root, or the start folder when no pyproject.toml declares [tool.pfm-dash]."""
    return project_root(start) or (start or Path.cwd()).resolve()
