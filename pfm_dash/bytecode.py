"""Byte-code of the project's own modules, checked against their content, not their clock.

Python trusts a module's ``.pyc`` while the source's size and modification time, in whole
seconds, match what it recorded. An edit that keeps the size within the second of the last
import (a script that changes a threshold from 80 to 90 and builds, ``git checkout`` then
build, an editor saving twice) is then not seen: the build compiles the old declarations,
and its cache, which hashes content, records the stale output as fresh. What ships would not
be what was reviewed.

PEP 552's "checked" hash-based ``.pyc`` records a hash of the source instead, and Python
compares it on every import, and keeps writing such files once one exists. So after a build
imports the project, each of its modules whose ``.pyc`` is still the timestamp kind gets a
checked one, compiled afresh from the source (once per module; later imports validate and
rewrite it themselves). That costs a build reading 16 bytes per module.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

_CHECKED_HASH = (0b11).to_bytes(4, "little")  # PEP 552: hash-based, check the source
_PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
_SKIP_DIRS = {".venv", "venv", "site-packages", "dist-packages", ".tox", "node_modules"}


def is_checked(pyc: Path) -> bool:
    """Whether ``pyc`` is this Python's byte-code, validated by the source's hash."""
    try:
        with open(pyc, "rb") as f:
            header = f.read(8)
    except OSError:
        return False
    return header == importlib.util.MAGIC_NUMBER + _CHECKED_HASH


def pin_to_content(modules: Iterable[ModuleType], root: Path) -> None:
    """Give each of ``modules`` that is the project's own (a file below ``root``, outside
    virtual environments and pfm-dash itself) a checked hash-based ``.pyc``."""
    if sys.dont_write_bytecode:
        return
    top = os.path.join(str(root), "")
    for module in modules:
        spec = getattr(module, "__spec__", None)
        source, cached = getattr(spec, "origin", None), getattr(spec, "cached", None)
        if not (source and cached and source.startswith(top) and source.endswith(".py")):
            continue
        if source.startswith(_PACKAGE) or not _SKIP_DIRS.isdisjoint(Path(source).parts):
            continue
        if not is_checked(Path(cached)):
            _write_checked(Path(source), Path(cached))


def _write_checked(source: Path, pyc: Path) -> None:
    try:
        data = source.read_bytes()
        code = compile(data, str(source), "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError):
        return  # the import already reported it, or will
    blob = (
        importlib.util.MAGIC_NUMBER
        + _CHECKED_HASH
        + importlib.util.source_hash(data)
        + marshal.dumps(code)
    )
    staged = pyc.with_name(f"{pyc.name}.{os.getpid()}.tmp")
    try:
        pyc.parent.mkdir(exist_ok=True)
        staged.write_bytes(blob)
        os.replace(staged, pyc)  # another process reads the old file or the new, never half
    except OSError:
        staged.unlink(missing_ok=True)  # a read-only checkout keeps Python's own .pyc
