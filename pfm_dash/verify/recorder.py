"""The webhook recorder: every receiver delivers to its own path here, so a run can see which
receiver got which alert, and when."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One alert in one webhook POST."""

    receiver: str
    alertname: str
    status: str  # firing | resolved
    labels: dict[str, str]
    group_key: str
    at: float  # time.monotonic() on arrival


@dataclass
class Recorder:
    """A loopback HTTP server recording Alertmanager's webhook POSTs, path = receiver name."""

    deliveries: list[Delivery] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def url(self, receiver: str) -> str:
        return f"http://127.0.0.1:{self.port}/{receiver}"

    def start(self) -> None:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload: dict[str, Any] = json.loads(self.rfile.read(length))
                except ValueError:
                    payload = {}
                recorder.record(self.path.strip("/"), payload)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def record(self, receiver: str, payload: dict[str, Any]) -> None:
        now = time.monotonic()
        with self._lock:
            for alert in payload.get("alerts", []):
                labels = dict(alert.get("labels", {}))
                self.deliveries.append(
                    Delivery(
                        receiver=receiver,
                        alertname=labels.get("alertname", ""),
                        status=str(alert.get("status", "")),
                        labels=labels,
                        group_key=str(payload.get("groupKey", "")),
                        at=now,
                    )
                )

    def received(self, alertname: str | None = None, status: str = "firing") -> list[Delivery]:
        with self._lock:
            return [
                d
                for d in self.deliveries
                if d.status == status and (alertname is None or d.alertname == alertname)
            ]
