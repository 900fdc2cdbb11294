"""Running the external tools pfm-dash relies on (promtool, amtool): bounded, and never orphaned.

A tool that hangs must not hang pfm-dash with it, and a pfm-dash that is killed must not leave
the tool running: every call has a timeout, runs in its own process group (so the whole group is
killed on timeout), and asks the kernel to kill it when its parent dies (Linux
``PR_SET_PDEATHSIG``). A timeout is a :class:`ToolError`: one line naming the tool, never a
``TimeoutExpired`` traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from pfm_dash.errors import ToolError

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:  # pragma: no cover - in the child
    """Ask the kernel to send ``sig`` to this process when its parent dies (a preexec_fn)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)


def run_tool(
    argv: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` to completion within ``timeout`` seconds (in ``env``, else ours) and
    return what it said.

    The exit code is the caller's to judge: promtool exits 1 for a file with errors, which is
    an answer, not a failure of the tool.
    """
    name = Path(argv[0]).name
    try:
        proc = subprocess.Popen(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            preexec_fn=die_with_parent,
            env=env,
        )
    except OSError as exc:
        raise ToolError(f"{name} could not be started: {exc.strerror or exc}") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ToolError(
            f"{name} did not answer within {timeout:g} s and was stopped "
            f"({' '.join([name, *argv[1:3]])} ...); check that {argv[0]} works on its own"
        ) from None
    except BaseException:  # Ctrl-C: the tool goes with us
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return subprocess.CompletedProcess(list(argv), proc.returncode, out, err)
