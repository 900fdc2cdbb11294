"""Fault injection and the request log: what tests use to make the network misbehave.

None of this is Grafana behaviour; it stands in for proxies, overloaded servers and flaky links.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["status", "drop", "drop-after", "delay", "hook", "after-hook"]


@dataclass
class Fault:
    """Applies to the next ``remaining`` requests whose method and path match."""

    kind: FaultKind
    remaining: int
    path: str | None = None
    method: str | None = None
    status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    hook: Callable[[], object] | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or path.startswith(self.path)


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the fake saw it. The caller is a login, never a token."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    caller: str
    org_id: int
    status: int
    fault: str = ""

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "DELETE", "PATCH")


@dataclass
class Faults:
    """The armed faults and the request log, shared by the handler threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    armed: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    latency: float = 0.0

    def arm(self, fault: Fault) -> None:
        with self.lock:
            self.armed.append(fault)

    def take(self, method: str, path: str) -> list[Fault]:
        """The faults this request triggers, one of each kind, each used up once."""
        taken: list[Fault] = []
        with self.lock:
            for fault in self.armed:
                if fault.matches(method, path) and all(t.kind != fault.kind for t in taken):
                    fault.remaining -= 1
                    taken.append(fault)
            self.armed = [f for f in self.armed if f.remaining > 0]
        return taken

    def record(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.log.append(entry)

    def clear(self) -> None:
        with self.lock:
            self.armed.clear()
            self.log.clear()
