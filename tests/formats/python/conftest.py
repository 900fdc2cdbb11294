"""Writing generated modules into a throwaway project, importing them, and linting them for real.

The linters are the project's own (ruff and mypy from the virtualenv, with the project's
pyproject.toml settings), run in subprocesses as a developer runs them.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

Lint = Callable[[Path], None]
Load = Callable[[str, str], ModuleType]


def lint_folder(folder: Path) -> None:
    """``ruff check``, ``ruff format --check`` and ``mypy --strict`` over ``folder``, or fail."""
    config = str(ROOT / "pyproject.toml")
    commands = [
        [str(BIN / "ruff"), "check", "--no-cache", "--config", config, str(folder)],
        [str(BIN / "ruff"), "format", "--check", "--no-cache", "--config", config, str(folder)],
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.11",
            "--explicit-package-bases",
            str(folder),
        ],
    ]
    for command in commands:
        done = subprocess.run(
            command, cwd=folder.parent, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{' '.join(command[:3])}:\n{done.stdout}{done.stderr}"


@pytest.fixture
def lint() -> Lint:
    return lint_folder


@pytest.fixture
def load_module(tmp_path: Path) -> Iterator[Load]:
    """Write ``source`` as ``gen_<n>/<name>.py`` below tmp_path and import it."""
    package = tmp_path / "generated"
    package.mkdir()
    (package / "__init__.py").touch()
    sys.path.insert(0, str(tmp_path))
    loaded: list[str] = []

    def load(name: str, source: str) -> ModuleType:
        (package / f"{name}.py").write_text(source, "utf-8")
        module_name = f"generated.{name}"
        loaded.append(module_name)
        return importlib.import_module(module_name)

    yield load
    sys.path.remove(str(tmp_path))
    for name in [*loaded, "generated"]:
        sys.modules.pop(name, None)
