"""Writing build/: byte-exact, only what changed, and nothing the source no longer declares.

The same function answers ``build --check``: it compares instead of writing, so the check and
the build can never disagree on what "fresh" means.

pfm-dash owns only the files matching :data:`OWNED` in the output folder: anything else there
(a README, a hand-written rule file) is neither reported nor removed. Every changed or new file
is first written beside its target as ``<name>.pfm-dash-new`` and renamed into place only once
every file compiled and was written in full, so a build that fails half-way (an error in the
source, a full disk, an unwritable folder) leaves the output folder as it was. Staged files left
by a build that was killed are removed by the next one; builds of one project take turns
(:func:`build_lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from pfm_dash.errors import PfmDashError, display_path

ChangeKind = Literal["missing", "stale", "extra"]

# What a build writes, relative to the output folder (one '*' per path segment).
OWNED = (
    "grafana/dashboards/*.json",
    "grafana/provisioning/*/*.yml",
    "prometheus/rules/*.rules.yml",
    "prometheus/tests/*.test.yml",
    "alertmanager/*.yml",
)
STAGED = ".pfm-dash-new"
LOCK_FILE = Path(".pfm-dash") / "build.lock"


class OutputError(PfmDashError):
    """The output folder could not be written (full disk, no permission...); exit 1."""


@dataclass(frozen=True)
class Change:
    path: str  # relative to the output folder, with '/'
    kind: ChangeKind


def owned(rel: str) -> bool:
    """Whether pfm-dash writes (and so may remove) this path."""
    depth = rel.count("/")
    return any(p.count("/") == depth and fnmatchcase(rel, p) for p in OWNED)


def existing_files(out_dir: Path) -> set[str]:
    """The owned files already in the output folder (staged files are not among them)."""
    return {rel for rel in _files(out_dir) if owned(rel)}


def staged_files(out_dir: Path) -> list[Path]:
    """Staged files, as a build killed before its renames leaves them."""
    return [
        out_dir / rel
        for rel in _files(out_dir)
        if rel.endswith(STAGED) and owned(rel.removesuffix(STAGED))
    ]


def _files(out_dir: Path) -> Iterator[str]:
    if out_dir.is_dir():
        yield from (p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())


def sync_tree(out_dir: Path, files: Iterable[tuple[str, bytes]], *, check: bool) -> list[Change]:
    """Make ``out_dir`` hold exactly ``files`` (or, with ``check``, say how it differs).

    ``files`` is consumed once, as a stream, so thousands of dashboards need no more memory
    than one. Raises :class:`OutputError` when the folder cannot be written; nothing changed then.
    """
    if not check:
        _remove(staged_files(out_dir))
    before = existing_files(out_dir)
    changes: list[Change] = []
    seen: set[str] = set()
    staged: list[Path] = []  # every new or changed file, moved into place at the end
    current: Path | None = None
    folders: set[Path] = set()
    try:
        for rel, data in files:
            if not owned(rel):  # a new target must be added to OWNED, or it could not be pruned
                raise ValueError(f"{rel} is not among the files pfm-dash owns (output.OWNED)")
            seen.add(rel)
            target = out_dir / rel
            exists = rel in before
            if exists and target.read_bytes() == data:
                continue
            changes.append(Change(rel, "stale" if exists else "missing"))
            if check:
                continue
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            staging = target.with_name(target.name + STAGED)
            staged.append(staging)
            current = target  # a failed write() names no file: this one
            staging.write_bytes(data)
    except OSError as exc:
        _undo(out_dir, staged, folders)
        raise _write_error(exc, current or out_dir, "nothing was changed") from None
    except BaseException:
        _undo(out_dir, staged, folders)
        raise
    try:
        for staging in staged:
            os.replace(staging, staging.with_name(staging.name.removesuffix(STAGED)))
        for rel in sorted(before - seen):
            changes.append(Change(rel, "extra"))
            if not check:
                (out_dir / rel).unlink(missing_ok=True)
        if not check:
            _prune_empty_dirs(out_dir)
    except OSError as exc:
        _remove(staged)
        raise _write_error(exc, out_dir, "it may be partly updated") from None
    return changes


def _undo(out_dir: Path, staged: list[Path], folders: set[Path]) -> None:
    """Remove what a failed build staged, and the folders below ``out_dir`` left empty."""
    _remove(staged)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            while folder.is_relative_to(out_dir) and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _write_error(exc: OSError, path: Path, state: str) -> OutputError:
    """One sentence: which file, what the system said, what state the output folder is in."""
    where = display_path(str(exc.filename or path)).removesuffix(STAGED)
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        f"cannot write {where}: {reason}; the build stopped ({state}). Free disk space or "
        "fix the folder's permissions, then build again."
    )


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build of a project at a time (``.pfm-dash/build.lock``); the second one waits.

    Two builds staging and renaming the same files would trip over each other's staged files.
    Where the lock cannot be made (a read-only checkout), the build runs without it.
    """
    path = root / LOCK_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        handle = path.open("a")
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"another pfm-dash build of {display_path(str(root))} is running; waiting for it",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune_empty_dirs(out_dir: Path) -> None:
    if not out_dir.is_dir():
        return
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
