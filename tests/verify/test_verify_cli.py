"""verify's command line: mistakes refused before anything starts, interrupts that say so."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

TOOLS = ("prometheus", "promtool", "prometheus-alertmanager", "amtool")


def test_an_unknown_only_name_is_a_usage_error_with_the_closest_names() -> None:
    started = time.monotonic()
    result = run_cli("verify", "--only", "ServiceDown", "--only", "ServiceDwn", cwd=ROOT)
    assert result.code == 2, result.text
    assert "no alert is named 'ServiceDwn'; did you mean ServiceDown?" in result.err
    assert time.monotonic() - started < 30  # refused before any server started


def test_an_unwritable_report_path_is_refused_first(tmp_path: Path) -> None:
    result = run_cli("verify", f"--report={tmp_path}/missing/report.json", cwd=ROOT)
    assert result.code == 2, result.text
    assert "is not a writable folder" in result.err and "Traceback" not in result.err


@pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="needs make tools")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_run_stops_its_servers_and_names_the_folder_it_kept(
    signum: int, code: int
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfm_dash", "verify", "--only", "ServiceDown"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the first progress line: the servers are starting
    assert line, "verify printed nothing"
    proc.send_signal(signum)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, out + err
    assert "Traceback" not in err
    kept = re.search(r"run folder kept with configs and logs: (\S+)", err)
    assert kept, err
    folder = Path(kept.group(1))
    assert folder.is_dir()
    assert _processes_using(folder) == [], "a server of the run outlived it"
    shutil.rmtree(folder)


def _processes_using(folder: Path) -> list[str]:
    """Command lines of live processes that name the run folder (its servers do)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


@pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="needs make tools")
def test_a_server_that_fails_to_start_is_named_with_its_log(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "prometheus"
    fake.write_text("#!/bin/sh\necho 'err: opening storage failed: disk on fire' >&2\nexit 1\n")
    fake.chmod(0o755)
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", "verify", "--only", "ServiceDown"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "verify could not run: prometheus exited with code 1" in proc.stderr
    assert "disk on fire" in proc.stderr
    assert proc.stderr.count("disk on fire") == 1  # the log tail once, not twice
    assert "healthy baseline" not in proc.stdout + proc.stderr
    kept = re.search(r"run folder kept with configs and logs: (\S+)", proc.stderr)
    assert kept
    shutil.rmtree(kept.group(1))
