"""The few HTTP calls a Prometheus or Alertmanager deploy makes: reload, read JSON, read a metric.

Both servers' ``POST /-/reload`` is synchronous: 200 when the new configuration is applied, 500
``failed to reload config: <error>`` when it is refused (prometheus/prometheus web/web.go and
prometheus/alertmanager ui/web.go, v2.42.0 / v0.25.0); Prometheus answers 403 when it runs
without ``--web.enable-lifecycle``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from pfm_dash.errors import PfmDashError

# --verbose: (method, path, status or None, seconds), as the Grafana client reports requests.
RequestHook = Callable[[str, str, "int | None", float], None]


class ServerError(PfmDashError):
    """The server could not be reached or answered nonsense: one sentence, exit 1."""


@dataclass
class Server:
    """One Prometheus or Alertmanager at ``url``; counts its requests for the summary."""

    name: str
    url: str
    timeout: float = 30.0
    verify: bool | str = True
    on_request: RequestHook | None = None
    calls: int = 0
    session: requests.Session = field(default_factory=requests.Session)

    def _call(self, method: str, path: str) -> requests.Response:
        self.calls += 1
        started = time.monotonic()
        status: int | None = None
        try:
            answer = self.session.request(
                method, self.url + path, timeout=self.timeout, verify=self.verify
            )
            status = answer.status_code
            return answer
        except requests.RequestException as exc:
            raise ServerError(
                f"{self.name} at {self.url} did not answer {method} {path}: "
                f"{type(exc).__name__}; is it running, and is the URL right?"
            ) from None
        finally:
            if self.on_request is not None:
                self.on_request(method, path, status, time.monotonic() - started)

    def get_json(self, path: str) -> Any:
        answer = self._call("GET", path)
        if answer.status_code != 200:
            raise ServerError(
                f"{self.name} answered GET {path} with {answer.status_code}: "
                f"{answer.text.strip()[:200]}"
            )
        try:
            return answer.json()
        except ValueError:
            raise ServerError(f"{self.name} answered GET {path} with no JSON") from None

    def reload(self) -> str:
        """``POST /-/reload``; "" when applied, else the server's reason, in its words."""
        answer = self._call("POST", "/-/reload")
        if answer.status_code == 200:
            return ""
        if answer.status_code == 403:
            return f"{self.name} refuses POST /-/reload (403): start it with --web.enable-lifecycle"
        return f"reload answered {answer.status_code}: {answer.text.strip()[:500]}"

    def metric(self, name: str) -> float | None:
        """The value of an unlabelled metric on ``/metrics``, None when it is not there."""
        answer = self._call("GET", "/metrics")
        if answer.status_code != 200:
            raise ServerError(f"{self.name} answered GET /metrics with {answer.status_code}")
        found = re.search(rf"^{re.escape(name)} (\S+)$", answer.text, re.MULTILINE)
        return float(found.group(1)) if found else None

    def close(self) -> None:
        self.session.close()
