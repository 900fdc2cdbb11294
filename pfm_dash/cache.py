"""The no-op build cache: skip importing the model when nothing that feeds the build changed.

The key hashes every input the build can read: pyproject.toml; every file in the source folders
(data a declaration loads included); every ``*.py`` file elsewhere in the project outside .venv,
build/ and VCS folders, since a declaration module may import any of them; pfm-dash's own
source (its files' sizes and modification times); the installed distributions (a grafanalib
or PyYAML upgrade changes the output); and the current bytes of build/, so a hand edit there
is noticed.
It is stored outside build/, in .pfm-dash/, which is not committed. Anything unusual (no
cache file, unreadable file) simply means "build".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

try:  # hashlib would load OpenSSL first: 10 ms of a 50 ms no-op build
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

from pfm_dash import __version__

TYPE_CHECKING = False  # not typing's: a no-op build would pay for importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

CACHE_FILE = Path(".pfm-dash") / "build-key"
_SKIP_DIRS = {".venv", "venv", ".git", "__pycache__", ".pfm-dash", "node_modules", ".tox"}
_SKIP_DIRS |= {".mypy_cache", ".pytest_cache", ".ruff_cache"}
_PACKAGE = Path(__file__).resolve().parent


def _files(root: str, out_dir: str, sources: tuple[str, ...]) -> Iterator[str]:
    """Every file of the source folders and every other ``*.py`` file under ``root``, except
    ``out_dir`` and tool folders, in a fixed order (plain strings: Path is slow to sort)."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if d not in _SKIP_DIRS and os.path.join(folder, d) != out_dir
        )
        every = any(folder == s or folder.startswith(s + os.sep) for s in sources)
        yield from (os.path.join(folder, n) for n in sorted(names) if every or n.endswith(".py"))


def _tree(top: str, suffix: str = "") -> Iterator[str]:
    """Every file below ``top`` (ending in ``suffix``) in a fixed order."""
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        yield from (os.path.join(folder, n) for n in sorted(names) if n.endswith(suffix))


def _distributions() -> bytes:
    """Names and versions of what is installed beside pfm-dash (a dist-info folder each)."""
    names: list[str] = []
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            names += sorted(n for n in os.listdir(entry) if n.endswith(".dist-info"))
    return "\n".join(names).encode()


def _hash_stats(digest: Any, paths: Iterable[str]) -> None:
    """Each file's size and modification time, as Python's byte-code cache checks a source:
    reading and hashing pfm-dash's own megabyte of source was a fifth of a no-op build, and an
    install or an edit of it changes the times."""
    for path in paths:
        st = os.stat(path)
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())


def _hash_files(digest: Any, paths: Iterable[str]) -> None:
    for path in paths:
        digest.update(path.encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(f.read())
        digest.update(b"\0")


# The inputs' digest this process computed last: a build that missed the cache records the
# inputs as they were when it began (a file edited during the build is then seen by the next
# one), and hashes them once, not twice.
_last_inputs: tuple[tuple[Path, Path, tuple[str, ...]], bytes] | None = None


def _inputs_digest(root: Path, out_dir: Path, sources: tuple[str, ...]) -> bytes:
    """Everything the build reads: pfm-dash and what is installed, pyproject.toml, the sources."""
    global _last_inputs
    at = (root, out_dir, sources)
    if _last_inputs is not None and _last_inputs[0] == at:
        return _last_inputs[1]
    digest = blake2b(__version__.encode(), digest_size=20)
    digest.update(_distributions())
    top = str(root)
    pyproject = os.path.join(top, "pyproject.toml")
    inputs = [pyproject] if os.path.isfile(pyproject) else []
    inputs += _files(
        top, str(out_dir), tuple(os.path.normpath(os.path.join(top, s)) for s in sources)
    )
    _hash_files(digest, inputs)
    _hash_stats(digest, _tree(str(_PACKAGE), ".py"))
    _last_inputs = (at, digest.digest())
    return _last_inputs[1]


def input_key(root: Path, out_dir: Path, sources: tuple[str, ...] = ()) -> str:
    """The inputs' digest and the current bytes of every file in ``out_dir``, hashed."""
    digest = blake2b(_inputs_digest(root, out_dir, sources), digest_size=20)
    if out_dir.is_dir():
        _hash_files(digest, _tree(str(out_dir)))
    return digest.hexdigest()


def _recorded(root: Path) -> tuple[str, Path, tuple[str, ...]] | None:
    """(key, output folder, source folders) of the last build, if any."""
    try:
        key, out, sources = (root / CACHE_FILE).read_text("utf-8").splitlines()[:3]
    except (OSError, ValueError):
        return None
    return key, Path(out), tuple(s for s in sources.split("\t") if s)


def record(root: Path, out_dir: Path, sources: tuple[str, ...]) -> None:
    """Remember the inputs of a build that just succeeded."""
    key = input_key(root, out_dir, sources)
    try:
        (root / CACHE_FILE).parent.mkdir(exist_ok=True)
        (root / CACHE_FILE).write_text(f"{key}\n{out_dir}\n{chr(9).join(sources)}\n", "utf-8")
    except OSError:
        pass  # a read-only checkout just builds every time


def up_to_date(root: Path, out_dir: Path | None = None) -> bool:
    """Whether the last build (of ``out_dir``, or of whatever it wrote) still stands; says so.

    With no ``out_dir`` the recorded one is used, so the caller needs no configuration: the
    key covers pyproject.toml, so a changed ``out`` setting is a changed input anyway.
    """
    recorded = _recorded(root)
    if recorded is None:
        return False
    key, recorded_out, sources = recorded
    out = out_dir or recorded_out
    if out != recorded_out or input_key(root, out, sources) != key:
        return False
    try:
        shown = out.relative_to(Path.cwd())
    except ValueError:
        shown = out
    print(f"{shown}/ is up to date (no input changed; --no-cache to rebuild)")
    return True
