"""Staged replacement of the files a server loads, and undoing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pfm_dash.deploy.files import DeployFileError, Swap, undo_on_break
from pfm_dash.deploy.server import Server
from pfm_dash.verify.processes import free_port


def test_apply_then_restore_puts_back_exactly_what_was_there(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "old.yml").write_text("old")
    (folder / "gone.yml").write_text("gone")
    swap = Swap(folder, {"old.yml": b"new", "added.yml": b"added"}, ("gone.yml",))
    swap.apply()
    assert {p.name: p.read_text() for p in folder.iterdir()} == {
        "old.yml": "new",
        "added.yml": "added",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules"]  # no staging left
    swap.restore()
    assert {p.name: p.read_text() for p in folder.iterdir()} == {
        "old.yml": "old",
        "gone.yml": "gone",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DeployFileError, match="check that the folder exists and is writable"):
            Swap(folder, {"a.yml": b"a"}).apply()
    finally:
        folder.chmod(0o700)


def test_a_reload_that_breaks_off_restores_the_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("before")
    swap = Swap(tmp_path, {"a.yml": b"after"})
    swap.apply()
    gone = Server("Prometheus", f"http://127.0.0.1:{free_port()}", timeout=1)
    with pytest.raises(KeyboardInterrupt), undo_on_break(swap, gone):
        raise KeyboardInterrupt
    assert (tmp_path / "a.yml").read_text() == "before"
    assert gone.calls == 1  # one more reload was asked for (and failed quietly)
