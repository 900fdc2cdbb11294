"""Replacing a set of files that a server loads, so it never reads a half-written one.

New bytes are staged in a sibling folder (same file system, so the final rename is atomic, and
outside the folder so a server's glob never picks a staged file up; inside it for a server that
loads one named file), then renamed into place one by one. What was there before is kept in
memory, so a refused reload can be undone exactly.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pfm_dash.errors import PfmDashError


class DeployFileError(PfmDashError):
    """The folder a server loads could not be read or written (permissions, full disk)."""


@dataclass
class Swap:
    """One replacement: ``writes`` (name -> new bytes) and ``removals`` in ``folder``.

    ``inside``: stage in a hidden folder inside ``folder`` rather than beside it, for a server
    that loads one named file (Alertmanager), so only that folder need be writable.
    """

    folder: Path
    writes: Mapping[str, bytes]
    removals: tuple[str, ...] = ()
    inside: bool = False
    _before: dict[str, bytes | None] = field(default_factory=dict)

    def apply(self) -> None:
        """Stage every new file, then rename each into place and remove the pruned ones."""
        names = [*self.writes, *self.removals]
        self._before = {name: read_bytes(self.folder / name) for name in names}
        self._install(dict(self.writes), self.removals)

    def restore(self) -> None:
        """Put back exactly what ``apply`` replaced (files it created are removed)."""
        back = {n: b for n, b in self._before.items() if b is not None}
        gone = tuple(n for n, b in self._before.items() if b is None)
        self._install(back, gone)

    def _install(self, writes: dict[str, bytes], removals: tuple[str, ...]) -> None:
        stage = (
            self.folder / ".pfm-dash-staging"
            if self.inside
            else self.folder.parent / f".{self.folder.name}.pfm-dash-staging"
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stage.mkdir(exist_ok=True)
            for name, data in writes.items():
                (stage / name).write_bytes(data)
            for name in writes:
                os.replace(stage / name, self.folder / name)
            for name in removals:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()
        except OSError as exc:
            raise DeployFileError(
                f"cannot write {exc.filename or self.folder}: {exc.strerror or exc}; "
                "check that the folder exists and is writable by this user"
            ) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when there is none; any other failure is one message."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DeployFileError(f"cannot read {path}: {exc.strerror or exc}") from None


class Reloads(Protocol):
    def reload(self) -> str: ...


@contextmanager
def undo_on_break(swap: Swap, server: Reloads) -> Iterator[None]:
    """If the reload or its check breaks off (the server stops answering, Ctrl-C), put the
    previous files back and ask for one more reload before passing the exception on: the disk
    then holds what the server last ran, whatever it did with the aborted reload."""
    try:
        yield
    except BaseException:
        swap.restore()
        with contextlib.suppress(PfmDashError):
            server.reload()
        raise
