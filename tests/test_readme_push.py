"""The README's push story runs word for word: its shell block, in one bash, in a copy of the
project, against the fake Grafana it starts itself. Each command's exit code and output must
tell what the README's comments say, so the README cannot drift from the tool.

Only the port changes (3000 may be taken on a shared machine): every ``3000`` in the block
becomes a free port.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SECTION = re.compile(r"### Pushing to Grafana\n(.*?)\n### ", re.S)
SHELL = re.compile(r"```sh\n(.*?)```", re.S)
MARK = "@@pfm-dash-readme-exit "


def push_block() -> list[str]:
    """The commands of the push section's shell block, one per line."""
    section = SECTION.search((ROOT / "README.md").read_text("utf-8"))
    assert section, "README.md has no '### Pushing to Grafana' section"
    blocks = SHELL.findall(section[1])
    assert len(blocks) == 1, "the push section should hold exactly one ```sh block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_block(lines: list[str], cwd: Path) -> list[tuple[str, int, str]]:
    """(command, exit code, output) per line, all run by one bash as a user would paste them."""
    port = str(free_port())
    script = "".join(f'{line.replace("3000", port)}\necho "{MARK}$?"\n' for line in lines)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFANA_", "PFM_DASH"))}
    proc = subprocess.Popen(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so the fake it starts can be stopped with it
    )
    try:
        out, _ = proc.communicate(timeout=240)
    finally:
        # Whatever the block did, the fake it started goes with its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    chunks = out.split(MARK)  # chunk i+1 starts with the exit code of command i
    codes = [int(chunk.partition("\n")[0]) for chunk in chunks[1:]]
    outputs = [chunks[0]] + [chunk.partition("\n")[2] for chunk in chunks[1:]]
    assert len(codes) == len(lines), f"the block stopped early:\n{out}"
    return list(zip(lines, codes, outputs, strict=False))


def test_the_push_story_runs_as_written(pfm_copy: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    venv = Path(sys.executable).parent.parent
    assert (venv / "bin" / "pfm-dash").exists(), f"run the suite from the project's venv ({venv})"
    (pfm_copy / ".venv").symlink_to(venv)
    dashboards = len(list((pfm_copy / "build" / "grafana" / "dashboards").glob("*.json")))
    results = run_block(push_block(), pfm_copy)
    expected = [
        ("export GRAFANA_URL=", 0, []),
        ("-m pfm_dash.testing.fake_grafana", 0, []),
        ("pfm-dash push ", 0, [f"{dashboards} created, 0 updated"]),
        ("/_fake/dashboards/pfm-overview/ui-edit", 0, ['"updatedBy": "alice"', '"version": 2']),
        (
            "pfm-dash push ",
            3,
            ["conflict      dashboard pfm-overview", "saved by alice", "not overwritten"],
        ),
        ("pfm-dash push --force", 0, ["overwritten (--force)", "1 updated, 1 unchanged"]),
        ("pfm-dash push ", 0, [f"0 created, 0 updated, {dashboards} unchanged"]),
        ("kill %1", 0, []),
    ]
    assert len(results) == len(expected), [line for line, _, _ in results]
    for (line, code, text), (needle, want_code, wants) in zip(results, expected, strict=True):
        assert needle in line + " ", f"README line {line!r} is not the expected {needle!r} step"
        assert code == want_code, f"{line}\nexited {code}, not {want_code}:\n{text}"
        for want in wants:
            assert want in text, f"{line}\ndid not print {want!r}:\n{text}"
