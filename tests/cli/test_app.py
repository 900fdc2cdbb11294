"""The top-level command: fast --help and --version that match click's, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

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
