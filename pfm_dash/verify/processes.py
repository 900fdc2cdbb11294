"""Child processes of a verify run: started with their logs kept, stopped by their own PID.

Every child also gets SIGTERM from the kernel if the run itself dies (Linux ``PR_SET_PDEATHSIG``),
so a killed test leaves no Prometheus behind.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from pfm_dash.errors import ToolError
from pfm_dash.tools import die_with_parent

# Debian names Alertmanager's daemon prometheus-alertmanager; upstream calls it alertmanager.
BINARIES = {
    "prometheus": ("prometheus",),
    "promtool": ("promtool",),
    "alertmanager": ("prometheus-alertmanager", "alertmanager"),
    "amtool": ("amtool",),
}


def find_binaries() -> dict[str, str]:
    """Path of each tool, or a ToolError naming what is missing and how to install it."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for key, names in BINARIES.items():
        path = next((p for p in map(shutil.which, names) if p), None)
        if path is None:
            missing.append(names[0])
        else:
            found[key] = path
    if missing:
        raise ToolError(
            f"verify needs {', '.join(missing)} on PATH; install Debian's packages with "
            "'apt-get install --no-install-recommends prometheus prometheus-alertmanager' "
            "(or run 'make tools')"
        )
    return found


def free_port() -> int:
    """A loopback port nobody listens on now (the kernel's pick, released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


@dataclass
class Processes:
    """The run's children; ``stop_all`` terminates each by PID, then kills what lingers."""

    log_dir: Path
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Child:
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                preexec_fn=functools.partial(die_with_parent, signal.SIGTERM),
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def forget(self, child: Child) -> None:
        """Drop a child that has exited (a start to retry), keeping its log as ``*.failed``."""
        child.process.wait()
        self.children.remove(child)
        child.log.replace(child.log.with_suffix(".log.failed"))

    def dead(self) -> str | None:
        """Which child has exited, with its log's tail; None while all are running."""
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                return (
                    f"{child.name} exited with code {code} during the run; its log "
                    f"({child.log}):\n{child.tail()}"
                )
        return None

    def check_alive(self) -> None:
        if (message := self.dead()) is not None:
            raise ToolError(message)

    def stop_all(self, timeout: float = 5.0) -> None:
        for child in reversed(self.children):
            if child.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children:
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.process.pid, signal.SIGKILL)
                child.process.wait(5)

    def logs(self) -> str:
        return "\n".join(f"--- {c.name} ({c.log}) ---\n{c.tail()}" for c in self.children)


def wait_until(
    what: str,
    ready: Callable[[], bool],
    timeout: float,
    processes: Processes | None = None,
    optional: bool = False,
) -> bool:
    """Poll ``ready`` every 0.1 s; a ToolError with the logs if it stays false (unless
    ``optional``, which returns False instead)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if processes is not None:
            processes.check_alive()
        try:
            if ready():
                return True
        except (requests.RequestException, OSError, ValueError):
            pass
        time.sleep(0.1)
    if optional:
        return False
    logs = f"\n{processes.logs()}" if processes is not None else ""
    raise ToolError(f"{what} was not ready after {timeout:.0f}s{logs}")


def http_ok(url: str) -> Callable[[], bool]:
    return lambda: requests.get(url, timeout=1).status_code == 200
