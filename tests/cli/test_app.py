"""The top-level command: fast --help and --version that match click's, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

from pfm_dash.cli import COMMANDS, available, fast_help


def test_fast_help_is_what_click_would_print() -> None:
    slow = subprocess.run(
        [sys.executable, "-c", "from pfm_dash.cli.app import run; run(['--help'])"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )
    assert slow.returncode == 0, slow.stderr
    assert fast_help() + "\n" == slow.stdout


def test_help_lists_every_command_that_exists() -> None:
    text = run_cli("--help", cwd=ROOT).out
    for name, (module, summary) in COMMANDS.items():
        assert (f"  {name} " in text and summary in text) is available(module)
    assert "  build " in text


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from pfm_dash.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit: pass\n"
        "heavy = {'click', 'grafanalib', 'requests', 'yaml', 'pfm_dash.model'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_a_build_runs_without_click_and_other_forms_still_go_through_it(tmp_path: Path) -> None:
    """``build``, ``--check`` and ``--no-cache`` skip click (a fifth of a build's start-up);
    ``--help``, ``--out`` and mistakes still get click's own text."""
    code = (
        "import sys; from pfm_dash.cli import main\n"
        "try:\n    main(['build', '--check', '--no-cache'])\n"
        "except SystemExit as e: code = e.code\n"
        "print(code, 'click' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.splitlines()[-2:] == ["build/ is fresh", "0 False"], proc.stderr
    assert "--no-cache" in run_cli("build", "--help", cwd=ROOT).out
    wrong = run_cli("build", "--bogus", cwd=ROOT)
    assert wrong.code == 2 and "No such option '--bogus'" in wrong.err
    out = tmp_path / "out"
    assert run_cli("build", "--no-cache", "--out", str(out), cwd=ROOT).code == 0
    assert (out / "grafana/dashboards/pfm-overview.json").read_bytes() == (
        ROOT / "build/grafana/dashboards/pfm-overview.json"
    ).read_bytes()


def test_the_console_script_exits_with_every_line_written_and_its_code(tmp_path: Path) -> None:
    """``console()`` ends the process without tearing it down: what a command printed still
    arrives in full through a pipe, and its exit code is kept."""
    fresh = run_cli("build", "--check", cwd=ROOT)
    assert (fresh.code, fresh.out) == (0, "build/ is fresh\n"), fresh.err
    listing = run_cli("--help", cwd=ROOT)
    assert listing.code == 0 and listing.out == fast_help() + "\n"
    wrong = run_cli("build", "--bogus", cwd=ROOT)
    assert wrong.code == 2
    assert wrong.err.endswith("No such option '--bogus'. Did you mean '--out'?\n")
    message = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[1:] = ['x']; from pfm_dash import cli;"
            "cli.main = lambda: sys.exit('went wrong'); cli.console()",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (message.returncode, message.stderr) == (1, "went wrong\n")


def test_the_console_script_waits_for_a_thread_still_running() -> None:
    """A thread a command left running is joined as Python's own exit would, not cut off."""
    code = (
        "import sys, threading, time\n"
        "def late():\n    time.sleep(0.3); print('joined', flush=True)\n"
        "threading.Thread(target=late).start()\n"
        "sys.argv[1:] = ['--version']\n"
        "from pfm_dash.cli import console\nconsole()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "joined"


def test_output_cut_short_by_its_reader_is_no_traceback() -> None:
    """``pfm-dash build --check | head -0``: the reader went away; exit 1, nothing on stderr."""
    proc = subprocess.run(
        f"{sys.executable} -m pfm_dash build --check | head -c 0; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (proc.returncode, proc.stderr) == (1, "")
