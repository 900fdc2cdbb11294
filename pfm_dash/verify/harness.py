"""The verify run: simulated backend -> real Prometheus -> real Alertmanager -> webhook recorder.

0. Refuse what cannot be proven before anything starts (:mod:`.plan`): an alert without a
   scenario, a fault that names what the simulated system does not serve, a query that reads
   a metric without a healthy behaviour, an alert too slow to fire even sped up.
1. Start the simulator, the recorder and Alertmanager, then Prometheus, on free loopback
   ports with everything in a temporary folder (checked by promtool and amtool first).
2. Healthy baseline, as long as the slowest alert needs to fire (at least 10 s): nothing
   may fire, every panel query of every dashboard must return data, every rule is healthy.
3. Faults in waves (:meth:`.plan.Planner.waves`: faults that cannot disturb each other's
   alerts, nor inhibit them, at once): each alert must fire, reach the receivers the routing
   names for its labels, and resolve once its fault is off.
4. Stop every child by PID, on success, failure or Ctrl-C; keep the run folder when it failed.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

import pfm_dash
from pfm_dash.errors import DeclarationErrors, ToolError
from pfm_dash.model.alerting import AlertRule
from pfm_dash.project import Project
from pfm_dash.routing import deliveries, inhibitors
from pfm_dash.tools import run_tool
from pfm_dash.verify import configs, probes
from pfm_dash.verify.backend import World
from pfm_dash.verify.plan import Planner, budget
from pfm_dash.verify.processes import (
    Child,
    Processes,
    find_binaries,
    free_port,
    http_ok,
    wait_until,
)
from pfm_dash.verify.recorder import Recorder
from pfm_dash.verify.report import AlertRow, Report

MIN_HEALTHY_S = 10.0
MAX_HEALTHY_S = 30.0
GRACE_S = 1.0  # after the expected receivers got it, wait this long for any extra delivery
MARGIN_S = 15.0  # beyond the scaled `for` and window before an alert counts as not firing
TOOL_TIMEOUT_S = 30.0  # promtool and amtool check a config in well under a second
Say = Callable[[str], None]
# Called with (moment, Prometheus URL) after the healthy baseline and as each alert is proven,
# before its fault is switched off: `verify --preview` draws the dashboards then.
Snapshot = Callable[[str, str], None]


def _broke_off(exc: Exception) -> str:
    """Which server stopped answering, in words, rather than urllib3's pool repr."""
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None)
    if isinstance(exc, requests.Timeout) and url:
        return f"{url} did not answer in time (is the server stopped or overloaded?)"
    if isinstance(exc, requests.ConnectionError) and url:
        return f"{url} refused the connection (the server is gone)"
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Run:
    project: Project
    say: Say
    only: set[str] | None = None
    keep: bool = False
    snapshot: Snapshot | None = None

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.recorder = Recorder()
        self.report = Report(default_time_scale=configs.DEFAULT_TIME_SCALE)
        self.alerts = [a for a in self.project.alerts if self.only is None or a.name in self.only]
        self._labels: dict[str, dict[str, str]] = {}  # alertname -> labels when first firing
        self._firing: list[dict[str, str]] = []  # labels of every alert firing now
        simulation = self.project.simulation
        self.fault_environment = simulation.faults_in
        self.environment_label = simulation.environment_label
        inhibit = configs.routing(self.project, lambda name: "").get("inhibit_rules", [])
        self.planner = Planner(self.project.catalogs, self.project.groups, inhibit)

    def execute(self) -> Report:
        """Run everything; always stop the children, keep the folder if anything failed."""
        problems = self.planner.problems(
            self.project.alerts if self.only is None else self.alerts, self.project.dashboards
        )
        if problems:
            raise DeclarationErrors(problems)
        if self.only is not None and not self.alerts:
            raise ToolError(f"no alert is named {', '.join(sorted(self.only))}")
        tools = find_binaries()
        self.dir = Path(tempfile.mkdtemp(prefix="pfm-dash-verify-"))
        self.procs = Processes(self.dir)
        self.report.run_dir = str(self.dir)
        try:
            self.start(tools)
            self.baseline()
            for number, wave in enumerate(self.planner.waves(self.alerts), 1):
                self.wave(number, wave)
            self.report.rules = self.prom.rule_health()
        except ToolError as exc:
            self.report.setup_error = exc.render().removeprefix("error: ")
        except (requests.RequestException, ValueError, KeyError) as exc:
            # A server that died shows up here as a refused or timed-out request: name it.
            dead = self.procs.dead()
            if dead is not None:
                self.report.setup_error = dead
            else:
                self.report.errors.append(f"the run broke off: {_broke_off(exc)}")
        finally:
            self.procs.stop_all()
            self.recorder.stop()
        self.report.seconds = time.monotonic() - self.started
        if self.report.ok and not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.report.run_dir = ""
        else:
            (self.dir / "report.json").write_text(json.dumps(self.report.to_json(), indent=2))
        return self.report

    # --- start-up ---------------------------------------------------------------------------

    def start(self, tools: dict[str, str]) -> None:
        """Start every server, overlapping what does not depend on each other.

        Prometheus applies new targets on its discovery and scrape managers' 5 s tickers, the
        longest wait of start-up, so it starts first, with file_sd target files still empty,
        while the simulator and Alertmanager boot; the files are filled once the simulator
        has its ports.
        """
        rules_dir = self.dir / "rules"
        rules_dir.mkdir()
        for name, text in configs.run_rules(self.project.groups, self.only).items():
            (rules_dir / name).write_text(text)
        ready = self.launch_simulator()
        self.recorder.start()
        self.am_config = self.dir / "alertmanager.yml"
        config = configs.redirect_to_recorder(
            configs.routing(self.project, self.recorder.url), self.recorder.url
        )
        self.am_config.write_text(yaml.safe_dump(config, sort_keys=False))
        self.am_route = config["route"]
        self.inhibit_rules = list(config.get("inhibit_rules") or [])
        self.check_tool([tools["amtool"], "check-config", str(self.am_config)])

        def alertmanager(port: int) -> list[str]:
            return [
                tools["alertmanager"],
                f"--config.file={self.am_config}",
                f"--storage.path={self.dir / 'am-data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            ]

        am_port = free_port()
        am_child = self.procs.start("alertmanager", alertmanager(am_port))
        targets_dir = self.dir / "targets"
        targets_dir.mkdir()
        jobs = [served.job for served in self.world.exporters]
        for job in jobs:
            (targets_dir / f"{job}.json").write_text("[]")
        prom_config = self.dir / "prometheus.yml"

        def write_prometheus_config(am_port: int) -> None:
            rules = str(rules_dir / "*.rules.yml")
            prom = configs.prometheus_config(self.project, jobs, am_port, rules, targets_dir)
            prom_config.write_text(yaml.safe_dump(prom, sort_keys=False))

        write_prometheus_config(am_port)
        self.check_tool([tools["promtool"], "check", "config", str(prom_config)])
        port = self.start_server(
            "prometheus",
            lambda port: [
                tools["prometheus"],
                f"--config.file={prom_config}",
                f"--storage.tsdb.path={self.dir / 'prom-data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                f"--web.external-url=http://127.0.0.1:{port}/",
                "--web.enable-lifecycle",
                "--rules.alert.resend-delay=1s",
            ],
        )
        self.prom = probes.Prometheus(port)
        if not self.server_ready("alertmanager", am_child, am_port):
            # Its port was taken before it bound it: start it on another, and tell Prometheus.
            self.procs.forget(am_child)
            am_port = self.start_server("alertmanager", alertmanager)
            write_prometheus_config(am_port)
            requests.post(f"{self.prom.base}/-/reload", timeout=10).raise_for_status()
        self.sim_port, self.targets = self.simulator_ready(ready)
        for job in jobs:
            groups = configs.target_groups(self.project, self.targets, job)
            staged = targets_dir / f".{job}.json"
            staged.write_text(json.dumps(groups))
            staged.replace(targets_dir / f"{job}.json")  # file_sd must never read half a file
        wait_until("every scrape target up", self.prom.targets_up, 30, self.procs)
        self.say(f"started in {time.monotonic() - self.started:.1f}s (run folder {self.dir})")

    def start_server(self, name: str, argv: Callable[[int], list[str]]) -> int:
        """Start a server on a free port and wait until it is ready; its port.

        The port is free when chosen but another process may take it before the server binds
        it; then the server exits with "address already in use", and it is started again on
        another port (three tries).
        """
        for attempt in range(3):
            port = free_port()
            child = self.procs.start(name, argv(port))
            if self.server_ready(name, child, port, last=attempt == 2):
                return port
            self.procs.forget(child)
        raise AssertionError("unreachable")  # pragma: no cover

    def server_ready(self, name: str, child: Child, port: int, last: bool = False) -> bool:
        """Wait until ``child`` answers on ``port``; False if it lost the port to another
        process (and this is not the ``last`` try), a ToolError for anything else."""
        try:
            wait_until(name, http_ok(f"http://127.0.0.1:{port}/-/ready"), 20, self.procs)
            return True
        except ToolError:
            if last or "address already in use" not in child.tail():
                raise
            return False

    def launch_simulator(self) -> Path:
        """Start the simulated system from the run's declarations; the file it will write."""
        ready = self.dir / "simulator.json"
        world = self.dir / "world.pickle"
        faults = [a.scenario.fault for a in self.alerts if a.scenario is not None]
        self.world = World.of(self.project.catalogs, self.project.simulation, faults)
        world.write_bytes(pickle.dumps(self.world))
        env = dict(os.environ)
        package_root = str(Path(pfm_dash.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.procs.start(
            "simulator",
            [
                sys.executable,
                "-m",
                "pfm_dash.verify.simulator",
                f"--world={world}",
                f"--ready-file={ready}",
            ],
            env=env,
        )
        return ready

    def simulator_ready(self, ready: Path) -> tuple[int, list[dict[str, Any]]]:
        """Wait for the simulator's ports: its control endpoint and every target."""
        wait_until("the simulated system", ready.exists, 20, self.procs)
        data = json.loads(ready.read_text())
        return int(data["control_port"]), list(data["targets"])

    def check_tool(self, argv: list[str]) -> None:
        done = run_tool(argv, timeout=TOOL_TIMEOUT_S)
        if done.returncode != 0:
            raise ToolError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}".strip())

    def fault(self, name: str, on: bool) -> None:
        url = f"http://127.0.0.1:{self.sim_port}/faults/{name}"
        (requests.put if on else requests.delete)(url, timeout=5).raise_for_status()

    # --- the proof --------------------------------------------------------------------------

    def baseline(self) -> None:
        """No fault for as long as the slowest alert needs to fire: nothing fires; then the
        panels and rules are checked."""
        healthy = self.report.healthy
        longest = max((budget(a) for a in self.alerts), default=0.0)
        seconds = min(MAX_HEALTHY_S, max(MIN_HEALTHY_S, longest + GRACE_S))
        healthy.required = round(seconds, 1)
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < seconds:
            self.procs.check_alive()
            firing = {
                a["labels"]["alertname"] for a in self.prom.alerts() if a["state"] == "firing"
            }
            healthy.firing = sorted(set(healthy.firing) | firing)
            time.sleep(0.5)
        healthy.seconds = round(elapsed, 1)
        healthy.delivered = sorted({d.alertname for d in self.recorder.received()})
        envs = sorted({t["environment"] for t in self.targets if t["environment"]})
        self.report.panels = probes.panel_queries(
            self.prom, self.project.dashboards, envs, self.environment_label
        )
        self.report.rules = self.prom.rule_health()
        ok = sum(p.ok for p in self.report.panels)
        self.say(
            f"healthy baseline {healthy.seconds:.0f}s: "
            + ("nothing fired" if healthy.ok else f"FIRED {healthy.firing}")
            + f"; panel queries {ok}/{len(self.report.panels)} returned data"
        )
        if self.snapshot is not None:
            self.snapshot("healthy", self.prom.base)

    def wave(self, number: int, rules: list[AlertRule]) -> None:
        """Every fault of the wave on at once; each off as soon as the alerts it proves are."""
        rows: dict[str, AlertRow] = {}
        on_at: dict[str, float] = {}
        off_at: dict[str, float] = {}
        done: set[str] = set()  # proven, or past its deadline
        for rule in rules:
            assert rule.scenario is not None
            scale = configs.time_scale(rule)
            row = AlertRow(
                alert=rule.name,
                group=next(g.name for g in self.project.groups if rule in g.alerts),
                team=rule.team.name if rule.team else "",
                severity=rule.severity.value if rule.severity else "",
                scenario=rule.scenario.fault.name,
                time_scale=scale,
                for_shipped=rule.for_ or "0s",
                for_run=configs.scale_duration(rule.for_ or "0s", scale),
                wave=number,
                location=str(rule.location),
            )
            rows[rule.name], self.report.rows = row, [*self.report.rows, row]
            if all(r.scenario != row.scenario for r in list(rows.values())[:-1]):
                self.fault(row.scenario, True)
            on_at[rule.name] = time.monotonic()
        self.say(f"wave {number}: {', '.join(f'{r.alert} ({r.scenario})' for r in rows.values())}")
        deadline = {r.name: on_at[r.name] + budget(r) + MARGIN_S for r in rules}
        while len(off_at) < len(rows) or any(r.resolved_after_s is None for r in rows.values()):
            self.procs.check_alive()
            now = time.monotonic()
            states = self.alert_states()
            for name, row in rows.items():
                if name not in done:
                    self.watch_firing(row, states, now - on_at[name])
                    proven = self.proven(row, now - on_at[name])
                    if proven or now > deadline[name]:
                        if proven and self.snapshot is not None:
                            self.snapshot(f"{row.scenario}: {row.alert} firing", self.prom.base)
                        if not proven:
                            row.problems.append(self.why_not(row, now - on_at[name]))
                        elif row.inhibited_by and not row.receivers_got:
                            pass  # held back by the inhibiting alert, as the routing says
                        elif row.receivers_got != row.receivers_expected:
                            row.problems.append(
                                f"delivered to {row.receivers_got}, routing expects only "
                                f"{row.receivers_expected}"
                            )
                        done.add(name)
                        sharing = [n for n, r in rows.items() if r.scenario == row.scenario]
                        if all(n in done for n in sharing):
                            self.fault(row.scenario, False)
                            off_at.update(dict.fromkeys(sharing, now))
                elif name not in off_at:
                    continue  # proven; its fault stays on for another alert it proves
                elif row.resolved_after_s is None:
                    if name not in states:
                        row.resolved_after_s = round(now - off_at[name], 1)
                    elif now - off_at[name] > MARGIN_S + budget(self.rule(name)):
                        row.problems.append(f"still {states[name]} {MARGIN_S:.0f}s after fault off")
                        row.resolved_after_s = -1.0
            time.sleep(0.25)
        # group_interval is 1s: the resolved notifications follow within a few seconds.
        resolved = [
            r
            for r in rows.values()
            if r.fired_after_s is not None and r.resolved_after_s and r.receivers_got
        ]
        wait_until(
            "resolved notifications",
            lambda: all(self.recorder.received(r.alert, "resolved") for r in resolved),
            10,
            optional=True,
        )
        for row in rows.values():
            row.resolved_delivered = bool(self.recorder.received(row.alert, "resolved"))
            if row.resolved_after_s == -1.0 or row.fired_after_s is None:
                row.resolved_after_s = None
            elif not row.resolved_delivered and row.receivers_got:
                row.problems.append("resolved in Prometheus, but no receiver was told")
            if row.fired_after_s is None:
                line = f"  {row.alert}: did not fire"
            else:
                line = f"  {row.alert}: fired after {row.fired_after_s}s -> {row.receivers_got}, "
                if row.inhibited_by:
                    line += f"inhibited by {', '.join(row.inhibited_by)}, "
                line += (
                    "did not resolve"
                    if row.resolved_after_s is None
                    else f"resolved after {row.resolved_after_s}s"
                )
            self.say(line + ("" if row.ok else " FAILED"))

    def rule(self, name: str) -> AlertRule:
        return next(a for a in self.alerts if a.name == name)

    def alert_states(self) -> dict[str, str]:
        """alertname -> firing/pending, for alerts of the fault environment."""
        out: dict[str, str] = {}
        self._firing = []
        for alert in self.prom.alerts():
            labels = {k: str(v) for k, v in alert["labels"].items()}
            struck = self.fault_environment
            if not struck or labels.get(self.environment_label, struck) == struck:
                name = labels["alertname"]
                if out.get(name) != "firing":
                    out[name] = alert["state"]
                if alert["state"] == "firing":
                    self._firing.append(labels)
                    self._labels.setdefault(name, labels)
        return out

    def watch_firing(self, row: AlertRow, states: dict[str, str], elapsed: float) -> None:
        if row.fired_after_s is None and states.get(row.alert) == "firing":
            row.fired_after_s = round(elapsed, 1)
            row.labels = self._labels[row.alert]
            try:
                # The same matching as build and diff (tests prove it equals amtool's).
                expected = [d.receiver for d in deliveries(self.am_route, row.labels)]
                row.receivers_expected = sorted(set(expected))
                muted = inhibitors(self.inhibit_rules, row.labels, self._firing)
            except (ValueError, re.error) as exc:
                row.problems.append(f"cannot route {row.labels}: {exc}")
                muted = []
            # Alertmanager mutes it only once the muting alert is in its store, which may be
            # just after this one's first notification left: either outcome is the routing's.
            row.inhibited_by = sorted({m.get("alertname", "") for m in muted})
        got = sorted({d.receiver for d in self.recorder.received(row.alert)})
        if got != row.receivers_got:
            row.receivers_got = got
        if (
            row.delivered_after_s is None
            and row.receivers_expected
            and set(row.receivers_expected) <= set(got)
        ):
            row.delivered_after_s = round(elapsed, 1)

    def proven(self, row: AlertRow, elapsed: float) -> bool:
        """Delivered where the routing says, GRACE_S ago; or, when an inhibiting alert fires
        too, held back by Alertmanager for twice that (group_wait is 0 s: it would have gone)."""
        if row.delivered_after_s is not None and elapsed - row.delivered_after_s >= GRACE_S:
            return True
        if not row.inhibited_by or row.fired_after_s is None or row.receivers_got:
            return False
        return elapsed - row.fired_after_s >= 2 * GRACE_S

    def why_not(self, row: AlertRow, elapsed: float) -> str:
        if row.fired_after_s is None:
            return (
                f"did not fire within {elapsed:.0f}s of {row.scenario} "
                f"(scaled for {row.for_run}); check its expression and metric names"
            )
        return (
            f"fired after {row.fired_after_s}s but the webhook got it on "
            f"{row.receivers_got or 'no receiver'}; routing expects {row.receivers_expected}"
        )
