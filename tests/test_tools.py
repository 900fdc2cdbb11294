"""External tools are bounded: a hanging tool is stopped with its children, a missing one named."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pfm_dash.errors import ToolError
from pfm_dash.tools import run_tool


def _script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_answer_and_exit_code_are_returned(tmp_path: Path) -> None:
    tool = _script(tmp_path, "promtool", 'echo "out"; echo "err" >&2; exit 1')
    done = run_tool([str(tool), "check"], timeout=10)
    assert (done.returncode, done.stdout, done.stderr) == (1, "out\n", "err\n")


def test_a_hanging_tool_is_stopped_with_its_children(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    tool = _script(tmp_path, "amtool", f"sleep 30 & echo $! > {pids}; wait")
    started = time.monotonic()
    with pytest.raises(ToolError, match=r"^amtool did not answer within 0\.5 s"):
        run_tool([str(tool), "check-config"], timeout=0.5)
    assert time.monotonic() - started < 5
    child = int(pids.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child), "the tool's own child outlived the timeout"


def test_a_missing_tool_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="promtool could not be started"):
        run_tool([str(tmp_path / "promtool")], timeout=5)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][:1] != "Z"
