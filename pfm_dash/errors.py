"""Errors a user can cause, each pointing at the declaration that caused it.

Every error here is reported by the CLI as ``file:line: error: what. hint: how to mend it``
and a non-zero exit, never as a traceback: the user wrote Python, but they should not have
to read pfm-dash's internals to find their mistake.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import sys
from collections.abc import Iterator

from pfm_dash.records import record

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# dataclasses.replace() re-runs __init__ from the stdlib: the user's line is further out.
# (Its path, not the module: a build does not import dataclasses.)
_DATACLASSES = os.path.join(os.path.dirname(os.__file__), "dataclasses.py")


@record
class Location:
    """Where a declaration stands in the user's source."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}"


UNKNOWN = Location("<unknown>", 0)


def display_path(path: str) -> str:
    """A path relative to the working directory when it is inside it (what users click on)."""
    if path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def capture_location() -> Location:
    """Where the user declared the object: the outermost frame of the user's own code.

    Walking out from the first frame outside pfm_dash, the user's helpers are passed until the
    statement that called them (a panel built by ``usage_gauge(...)`` is reported at that
    call, not at the helper's body, so 14 panels from one helper get 14 lines). The walk stops
    at the import machinery, so a module imported by another is not blamed on the importer.
    """
    frame = sys._getframe(1)
    found = UNKNOWN
    while frame is not None:
        filename = frame.f_code.co_filename
        if _is_user_file(filename):
            found = Location(filename, frame.f_lineno)
        elif found is not UNKNOWN:
            break
        frame = frame.f_back  # type: ignore[assignment]
    return found


def _library_dirs() -> tuple[str, ...]:
    """Python's own library and every site-packages folder: from ``os`` and ``site``, which
    start-up has imported already (``sysconfig`` would cost every build 2 ms)."""
    import site

    found = {os.path.dirname(os.__file__), *site.getsitepackages()}
    if site.ENABLE_USER_SITE and site.USER_SITE:
        found.add(site.USER_SITE)
    return tuple(os.path.join(os.path.realpath(p), "") for p in found)


_LIBRARY_DIRS = _library_dirs()


@functools.lru_cache(maxsize=4096)
def _is_user_file(filename: str) -> bool:
    """Not pfm-dash, not Python's own library, not an installed package, not generated code."""
    return not (
        filename.startswith(_PACKAGE_DIR)
        or filename.startswith("<")
        or filename == _DATACLASSES
        or os.path.realpath(filename).startswith(_LIBRARY_DIRS)
    )


class PfmDashError(Exception):
    """Base of every error pfm-dash reports to a user without a traceback."""

    exit_code = 1

    def render(self) -> str:
        return f"error: {self}"


class DeclarationError(PfmDashError):
    """A mistake in the DSL source: names where, what is wrong and how to mend it."""

    exit_code = 2

    def __init__(self, message: str, location: Location = UNKNOWN, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def render(self) -> str:
        text = f"{self.location}: error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DeclarationErrors(PfmDashError):
    """Several declaration mistakes found in one pass, so one run shows them all."""

    exit_code = 2

    def __init__(self, errors: list[DeclarationError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the declarations")
        self.errors = errors

    def render(self) -> str:
        lines = [e.render() for e in self.errors]
        lines.append(f"{len(self.errors)} error(s); nothing was written.")
        return "\n".join(lines)


class ConfigError(PfmDashError):
    """A problem in ``[tool.pfm-dash]`` or the command line."""

    exit_code = 2


class ToolError(PfmDashError):
    """An external tool (promtool, amtool, prometheus) is missing or failed to run."""

    exit_code = 3


# While a project's modules are imported, a declaration's own check (a width past the grid, a
# threshold out of order) is recorded and the module goes on, so every mistake of a module is
# reported at once, as the README promises; outside (tests, a parser) it raises as usual.
_COLLECTED: contextvars.ContextVar[list[DeclarationError] | None] = contextvars.ContextVar(
    "pfm_dash_collected", default=None
)


def collect(error: DeclarationError) -> bool:
    """Record ``error`` if errors are being collected; False if the caller must raise it."""
    found = _COLLECTED.get()
    if found is None:
        return False
    found.append(error)
    return True


@contextlib.contextmanager
def collecting() -> Iterator[list[DeclarationError]]:
    """Collect declaration errors raised by declarations' own checks in this block."""
    found: list[DeclarationError] = []
    token = _COLLECTED.set(found)
    try:
        yield found
    finally:
        _COLLECTED.reset(token)
