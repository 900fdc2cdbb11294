"""The ``/_fake/`` control endpoints: the Python fault and log hooks, driven with curl.

A person trying pfm-dash by hand has no test to call ``fake.fail_next(...)`` from; these
endpoints give the same hooks over HTTP. They need no credentials (the fake listens on
127.0.0.1 and its tokens are fixtures anyway), are never logged and never faulted.

* ``GET /_fake/requests``: the request log, oldest first, as JSON; ``DELETE`` forgets it.
* ``GET /_fake/faults``: the armed faults; ``POST`` arms one; ``DELETE`` disarms all.

A fake adds its own (the fake Grafana: a UI edit by a named user).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from pfm_dash.testing.faults import Fault, Faults
from pfm_dash.testing.loopback import CONTROL_PREFIX, Answer, Request, json_answer

# (method, path below /_fake/ as a regex, handler given the request and the path's groups).
ControlHandler = Callable[[Request, dict[str, str]], Answer]
ControlRoute = tuple[str, str, ControlHandler]


class ControlError(Exception):
    """A control request the fake cannot follow: 400 with this message."""


class Control:
    """Routes the control requests of one fake."""

    def __init__(self, faults: Faults, extra: Sequence[ControlRoute] = ()) -> None:
        self.faults = faults
        self.routes: list[ControlRoute] = [
            ("GET", "requests", self._requests),
            ("DELETE", "requests", self._forget),
            ("GET", "faults", self._armed),
            ("POST", "faults", self._arm),
            ("DELETE", "faults", self._disarm),
            *extra,
        ]

    def __call__(self, request: Request) -> Answer:
        rest = request.path[len(CONTROL_PREFIX) :]
        known = False
        for method, pattern, handler in self.routes:
            match = re.fullmatch(pattern, rest)
            if match is None:
                continue
            known = True
            if method == request.method:
                try:
                    return handler(request, match.groupdict())
                except ControlError as exc:
                    return json_answer(400, {"message": str(exc)})
        if known:
            return json_answer(405, {"message": f"{request.method} is not allowed here"})
        endpoints = sorted({f"{m} {CONTROL_PREFIX}{p}" for m, p, _ in self.routes})
        return json_answer(404, {"message": "no such control endpoint", "endpoints": endpoints})

    def _requests(self, request: Request, params: dict[str, str]) -> Answer:
        with self.faults.lock:
            log = [dataclasses.asdict(entry) for entry in self.faults.log]
        return json_answer(200, log, pretty=True)

    def _forget(self, request: Request, params: dict[str, str]) -> Answer:
        with self.faults.lock:
            count = len(self.faults.log)
            self.faults.log.clear()
        return json_answer(200, {"forgotten": count})

    def _armed(self, request: Request, params: dict[str, str]) -> Answer:
        with self.faults.lock:
            armed = [_fault_json(f) for f in self.faults.armed]
        return json_answer(200, armed, pretty=True)

    def _arm(self, request: Request, params: dict[str, str]) -> Answer:
        fault = parse_fault(request.json())
        self.faults.arm(fault)
        return json_answer(200, _fault_json(fault))

    def _disarm(self, request: Request, params: dict[str, str]) -> Answer:
        with self.faults.lock:
            count = len(self.faults.armed)
            self.faults.armed.clear()
        return json_answer(200, {"disarmed": count})


def _fault_json(fault: Fault) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": fault.kind, "remaining": fault.remaining}
    out.update(path=fault.path, method=fault.method)
    if fault.kind == "status":
        out.update(status=fault.status, retry_after=fault.retry_after)
    if fault.kind == "delay":
        out["seconds"] = fault.delay
    return out


FAULT_KEYS = {"kind", "count", "status", "path", "method", "retry_after", "seconds", "after_apply"}


def parse_fault(body: Any) -> Fault:
    """``{"status": 503, "count": 2, "path": "/api/dashboards/db", "method": "POST",
    "retry_after": "1"}``; ``"kind": "delay"`` with ``"seconds"``, ``"kind": "drop"`` with
    ``"after_apply"``. Every key is optional: one 503 on the next request by default."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ControlError('the body must be a JSON object, e.g. {"status": 503, "count": 1}')
    unknown = sorted(set(body) - FAULT_KEYS)
    if unknown:
        raise ControlError(f"unknown key(s) {unknown}; known: {sorted(FAULT_KEYS)}")
    kind = body.get("kind", "status")
    count = _integer(body, "count", 1, 1, 1_000_000)
    path = body.get("path")
    if path is not None and (not isinstance(path, str) or not path.startswith("/")):
        raise ControlError('"path" must be a path prefix starting with "/"')
    method = body.get("method")
    if method is not None and not isinstance(method, str):
        raise ControlError('"method" must be a string such as "POST"')
    method = method.upper() if method else None
    if kind == "status":
        status = _integer(body, "status", 503, 100, 599)
        retry_after = body.get("retry_after")
        if retry_after is not None and not isinstance(retry_after, str | int):
            raise ControlError('"retry_after" must be seconds or an HTTP date')
        wait = None if retry_after is None else str(retry_after)
        return Fault("status", count, path, method, status, wait)
    if kind == "delay":
        seconds = body.get("seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise ControlError('a delay needs "seconds", a number >= 0')
        return Fault("delay", count, path, method, delay=float(seconds))
    if kind == "drop":
        return Fault("drop-after" if body.get("after_apply") else "drop", count, path, method)
    raise ControlError(f'"kind" must be "status", "delay" or "drop", not {kind!r}')


def _integer(body: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = body.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ControlError(f'"{key}" must be a whole number from {low} to {high}')
    return value
