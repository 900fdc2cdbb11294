"""The simulated system as a process: scrape targets, and a control endpoint for faults.

Run as ``python -m pfm_dash.verify.simulator --world FILE --ready-file FILE``: FILE is the
pickled :class:`~pfm_dash.verify.backend.World` the verify run built from the declarations (the
same objects, not a re-import of the project). It binds free loopback ports, writes them to
the ready file as JSON, and serves until SIGTERM or ``--max-seconds`` (so it always stops by
itself). One target per (exporter, environment); a fault that stops a target makes it accept
connections and close them unanswered, so Prometheus' own ``up`` goes to 0.

Control: ``GET /faults`` lists the faults on; ``PUT /faults/<name>`` switches one on,
``DELETE /faults/<name>`` off.
"""

from __future__ import annotations

import argparse
import json
import pickle
import signal
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pfm_dash.verify.backend import TargetState, World, targets


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class Target:
    """One scrape target: an exporter's series served on its own port; it can stop answering."""

    state: TargetState
    simulator: Simulator
    port: int = 0
    server: _Server | None = None
    # Down: connections are accepted and closed unanswered, so Prometheus' scrape fails as for
    # a hung process. The port stays bound: freeing it would let any other socket take it.
    down: bool = False

    @property
    def job(self) -> str:
        return self.state.served.job

    @property
    def environment(self) -> str:
        return self.state.environment

    def start(self) -> None:
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if target.down:
                    self.close_connection = True
                    return
                if self.path != "/metrics":
                    self.send_error(404)
                    return
                body = target.simulator.scrape(target)
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
            "port": self.port,
        }


class Simulator:
    """Every target and the fault switches; a fault that stops a target silences it."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.active: dict[str, bool] = {}
        self.targets = [Target(state, self) for state in targets(world)]
        self.lock = threading.Lock()

    def start(self) -> None:
        for target in self.targets:
            target.start()

    def stop(self) -> None:
        for target in self.targets:
            target.stop()

    def on(self) -> list[str]:
        with self.lock:
            return sorted(name for name, on in self.active.items() if on)

    def switch(self, name: str, on: bool) -> None:
        """Switch fault ``name`` on or off; KeyError if the world has no such fault."""
        if name not in self.world.faults:
            raise KeyError(name)
        with self.lock:
            self.active[name] = on
            faults = [self.world.faults[n] for n, active in self.active.items() if active]
            stopped = {job for fault in faults for job in fault.stopped_jobs()}
            for target in self.targets:
                target.down = target.state.struck and target.job in stopped

    def scrape(self, target: Target) -> bytes:
        with self.lock:
            active = [self.world.faults[n] for n, on in sorted(self.active.items()) if on]
            return target.state.scrape(active)


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
                self.reply(200, sim.on())
            elif self.path == "/-/ready":
                self.reply(200, "ready")
            else:
                self.reply(404, {"error": "not found"})

        def fault(self, on: bool) -> None:
            name = self.path.removeprefix("/faults/")
            try:
                sim.switch(name, on)
            except KeyError:
                self.reply(404, {"error": f"unknown fault {name!r}"})
                return
            self.reply(200, sim.on())

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
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--ready-file", type=Path, required=True)
    # By default the simulator lives as long as the run: the run stops it, and the kernel
    # stops it if the run dies (PR_SET_PDEATHSIG in processes.py).
    parser.add_argument("--max-seconds", type=float, default=None)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Our own file, written by the verify run that started us a moment ago.
    sim = Simulator(pickle.loads(args.world.read_bytes()))
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
