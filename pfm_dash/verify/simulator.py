"""The simulated PFM backend as a process: scrape targets, and a control endpoint for faults.

Run as ``python -m pfm_dash.verify.simulator --ready-file FILE``. It binds free loopback ports,
writes them to FILE as JSON, and serves until SIGTERM or ``--max-seconds`` (so it always stops
by itself). Targets, one per (job, environment):

* ``pfm-backend``: the API with its datastores, containers, business and blockchain series;
* ``pfm-frontend``: the web front end's HTTP series. ``service-down`` stops its production
  listener, so the target stops answering and Prometheus' own ``up`` goes to 0.

Control: ``GET /faults`` lists the faults on; ``PUT /faults/<fault>`` switches one on,
``DELETE /faults/<fault>`` off.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest

from pfm_dash.model.scenario import Fault
from pfm_dash.verify.backend import (
    ENVIRONMENTS,
    FAULT_ENVIRONMENT,
    FRONTEND_ROUTES,
    BackendCollector,
    Faults,
    Service,
    ServiceCollector,
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class Target:
    """One scrape target: a registry served on its own port, which can stop answering."""

    job: str
    environment: str
    service: str
    registry: CollectorRegistry
    port: int = 0
    server: _Server | None = None
    # Down: connections are accepted and closed unanswered, so Prometheus' scrape fails as for
    # a hung process. The port stays bound: freeing it would let any other socket take it.
    down: bool = False

    def start(self) -> None:
        registry = self.registry
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if target.down:
                    self.close_connection = True
                    return
                if self.path != "/metrics":
                    self.send_error(404)
                    return
                body = generate_latest(registry)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    def stop(self) -> None:
        """Close the listener (at the end of a run)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def describe(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "environment": self.environment,
            "service": self.service,
            "port": self.port,
        }


class Simulator:
    """All targets and the fault switches; ``service-down`` also silences a target."""

    def __init__(self, seed: int = 7) -> None:
        self.faults = Faults()
        self.targets: list[Target] = []
        for i, env in enumerate(ENVIRONMENTS):
            rps = 40.0 if env == "production" else 6.0
            backend = CollectorRegistry(auto_describe=False)
            backend.register(BackendCollector(env, rps, self.faults, seed + i))
            frontend = CollectorRegistry(auto_describe=False)
            service = Service("frontend", env, FRONTEND_ROUTES, rps / 2, self.faults)
            frontend.register(ServiceCollector(service, seed + 10 + i))
            self.targets.append(Target("pfm-backend", env, "api", backend))
            self.targets.append(Target("pfm-frontend", env, "frontend", frontend))
        self.lock = threading.Lock()

    def start(self) -> None:
        for target in self.targets:
            target.start()

    def stop(self) -> None:
        for target in self.targets:
            target.stop()

    def switch(self, fault: Fault, on: bool) -> None:
        with self.lock:
            self.faults.set(fault, on)
            if fault is Fault.SERVICE_DOWN:
                self.down_target().down = on

    def down_target(self) -> Target:
        return next(
            t
            for t in self.targets
            if t.job == "pfm-frontend" and t.environment == FAULT_ENVIRONMENT
        )


def control_server(sim: Simulator) -> _Server:
    class Handler(BaseHTTPRequestHandler):
        def reply(self, status: int, data: Any) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/faults":
                self.reply(200, [f.value for f in sim.faults.active()])
            elif self.path == "/-/ready":
                self.reply(200, "ready")
            else:
                self.reply(404, {"error": "not found"})

        def fault(self, on: bool) -> None:
            name = self.path.removeprefix("/faults/")
            try:
                fault = Fault(name)
            except ValueError:
                self.reply(404, {"error": f"unknown fault {name!r}"})
                return
            sim.switch(fault, on)
            self.reply(200, [f.value for f in sim.faults.active()])

        def do_PUT(self) -> None:
            self.fault(True)

        def do_DELETE(self) -> None:
            self.fault(False)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready-file", type=Path, required=True)
    # By default the simulator lives as long as the run: the run stops it, and the kernel
    # stops it if the run dies (PR_SET_PDEATHSIG in processes.py).
    parser.add_argument("--max-seconds", type=float, default=None)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sim = Simulator()
    sim.start()
    control = control_server(sim)
    ready = {
        "control_port": control.server_address[1],
        "targets": [t.describe() for t in sim.targets],
    }
    tmp = args.ready_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(ready))
    tmp.replace(args.ready_file)
    stop.wait(args.max_seconds)
    control.shutdown()
    sim.stop()


if __name__ == "__main__":
    main()
