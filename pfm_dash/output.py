"""Writing build/: byte-exact, only what changed, and nothing the source no longer declares.

The same function answers ``build --check``: it compares instead of writing, so the check and
the build can never disagree on what "fresh" means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ChangeKind = Literal["missing", "stale", "extra"]


@dataclass(frozen=True)
class Change:
    path: str  # relative to the output folder, with '/'
    kind: ChangeKind


def existing_files(out_dir: Path) -> set[str]:
    if not out_dir.is_dir():
        return set()
    return {
        p.relative_to(out_dir).as_posix()
        for p in out_dir.rglob("*")
        if p.is_file() or p.is_symlink()
    }


def sync_tree(out_dir: Path, files: Iterable[tuple[str, bytes]], *, check: bool) -> list[Change]:
    """Make ``out_dir`` hold exactly ``files`` (or, with ``check``, say how it differs).

    ``files`` is consumed once, as a stream, so thousands of dashboards need no more memory
    than one.
    """
    before = existing_files(out_dir)
    changes: list[Change] = []
    seen: set[str] = set()
    for rel, data in files:
        seen.add(rel)
        target = out_dir / rel
        if rel in before:
            if target.read_bytes() == data:
                continue
            changes.append(Change(rel, "stale"))
        else:
            changes.append(Change(rel, "missing"))
        if not check:
            # A plain write: an interrupted build leaves a file that the next build (or
            # --check) sees as stale, so atomic renames would buy nothing but a syscall.
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for rel in sorted(before - seen):
        changes.append(Change(rel, "extra"))
        if not check:
            (out_dir / rel).unlink()
    if not check:
        _prune_empty_dirs(out_dir)
    return changes


def _prune_empty_dirs(out_dir: Path) -> None:
    if not out_dir.is_dir():
        return
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
