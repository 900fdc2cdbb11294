"""Writing build/: byte-exact, only what changed, and nothing the source no longer declares.

The same function answers ``build --check``: it compares instead of writing, so the check and
the build can never disagree on what "fresh" means.

pfm-dash owns only the files matching :data:`OWNED` in the output folder: anything else there
(a README, a hand-written rule file) is neither reported nor removed. Changed files are staged
beside their targets and moved into place only once every file compiled, so a build that fails
half-way leaves the output folder as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

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


@dataclass(frozen=True)
class Change:
    path: str  # relative to the output folder, with '/'
    kind: ChangeKind


def owned(rel: str) -> bool:
    """Whether pfm-dash writes (and so may remove) this path; stale staged files included."""
    rel = rel.removesuffix(STAGED)
    depth = rel.count("/")
    return any(p.count("/") == depth and fnmatchcase(rel, p) for p in OWNED)


def existing_files(out_dir: Path) -> set[str]:
    """The owned files already in the output folder."""
    if not out_dir.is_dir():
        return set()
    found = (p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    return {rel for rel in found if owned(rel)}


def sync_tree(out_dir: Path, files: Iterable[tuple[str, bytes]], *, check: bool) -> list[Change]:
    """Make ``out_dir`` hold exactly ``files`` (or, with ``check``, say how it differs).

    ``files`` is consumed once, as a stream, so thousands of dashboards need no more memory
    than one.
    """
    before = existing_files(out_dir)
    changes: list[Change] = []
    seen: set[str] = set()
    staged: list[Path] = []  # new bytes for existing files, moved into place at the end
    created: list[Path] = []  # files that did not exist: written directly, removed on failure
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
            if exists:
                staging = target.with_name(target.name + STAGED)
                staging.write_bytes(data)
                staged.append(staging)
            else:
                target.write_bytes(data)
                created.append(target)
    except BaseException:
        for path in (*staged, *created):
            path.unlink(missing_ok=True)
        raise
    for staging in staged:
        os.replace(staging, staging.with_name(staging.name.removesuffix(STAGED)))
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
