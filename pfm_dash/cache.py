"""The no-op build cache: skip importing the model when nothing that feeds the build changed.

The key hashes every input the build can read (pyproject.toml and every ``*.py`` file of the
project outside .venv, build/ and VCS folders, since a declaration module may import any of
them), pfm-dash's own source, and the current bytes of build/ (so a hand edit there is noticed).
It is stored outside build/, in .pfm-dash/, which is not committed. Anything unusual (no
cache file, unreadable file) simply means "build".
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pfm_dash import __version__

CACHE_FILE = Path(".pfm-dash") / "build-key"
_SKIP_DIRS = {".venv", "venv", ".git", "__pycache__", ".pfm-dash", "node_modules", ".tox"}
_SKIP_DIRS |= {".mypy_cache", ".pytest_cache", ".ruff_cache"}
_PACKAGE = Path(__file__).resolve().parent


def _files(root: Path, skip: set[Path]) -> list[Path]:
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and Path(folder, d) not in skip)
        out.extend(Path(folder, n) for n in sorted(names) if n.endswith(".py"))
    return out


def input_key(root: Path, out_dir: Path) -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    pyproject = root / "pyproject.toml"
    inputs = [pyproject] if pyproject.is_file() else []
    inputs += _files(root, {out_dir})
    inputs += sorted(p for p in _PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    if out_dir.is_dir():
        inputs += sorted(p for p in out_dir.rglob("*") if p.is_file())
    for path in inputs:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def is_fresh(root: Path, key: str) -> bool:
    try:
        return (root / CACHE_FILE).read_text("ascii").strip() == key
    except OSError:
        return False


def record(root: Path, key: str) -> None:
    try:
        (root / CACHE_FILE).parent.mkdir(exist_ok=True)
        (root / CACHE_FILE).write_text(key + "\n", "ascii")
    except OSError:
        pass  # a read-only checkout just builds every time
