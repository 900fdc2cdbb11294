"""The pieces of `pfm-dash verify` that need no Prometheus: time scaling, the receiver
redirect, wave planning, the missing-scenario error, and the simulated backend over HTTP."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml
from conftest import ROOT, MakeProject, run_cli
from prometheus_client.parser import text_string_to_metric_families

from pfm_dash.model import AlertRule, Fault, Scenario, Severity, Team
from pfm_dash.project import Project, load_config, load_project
from pfm_dash.verify import configs
from pfm_dash.verify.backend import ENVIRONMENTS, FAULT_METRICS
from pfm_dash.verify.harness import plan_waves
from pfm_dash.verify.simulator import Simulator

SELECTOR = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{")


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(load_config(ROOT))


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    sim = Simulator()
    sim.start()
    yield sim
    sim.stop()


def scrape(sim: Simulator) -> dict[str, set[tuple[str, str]]]:
    """Sample name -> {(job, environment label)} over every answering target."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for target in sim.targets:
        if target.down:
            continue
        text = requests.get(f"http://127.0.0.1:{target.port}/metrics", timeout=5).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                env = sample.labels.get("environment", "")
                seen.setdefault(sample.name, set()).add((target.job, env))
    return seen


def test_durations_and_windows_scale_down() -> None:
    assert configs.format_duration(7.5) == "7500ms"
    assert configs.scale_duration("10m", 60) == "10s"
    expr = "rate(x[5m]) / rate(y[1h:5m]) offset 1h"
    assert configs.scale_expr(expr, 60) == "rate(x[5s]) / rate(y[60s:5s]) offset 60s"
    assert configs.scale_expr("rate(x[1m])", 60) == "rate(x[3s])", "a window keeps 3 scrapes"


def test_run_rules_are_fast_copies(project: Project) -> None:
    files = configs.run_rules(project.groups)
    assert len(files) == len(project.groups)
    rules = {
        r["alert"]: r
        for text in files.values()
        for group in yaml.safe_load(text)["groups"]
        if group["interval"] == "1s"
        for r in group["rules"]
        if "alert" in r
    }
    assert set(rules) == {a.name for a in project.alerts}
    assert rules["HighResponseTimeP95"]["for"] == "10s"
    assert "[5s]" in rules["HighErrorRate"]["expr"]
    assert rules["NoVotesRecorded"]["for"] == "7500ms", "its scenario's time_scale is 240"
    assert "[15s]" in rules["NoVotesRecorded"]["expr"]
    only = configs.run_rules(project.groups, only={"ServiceDown"})
    assert "ServiceDown" in "".join(only.values())
    assert "HighErrorRate" not in "".join(only.values())


def test_redirect_keeps_the_route_tree() -> None:
    config = {
        "global": {"smtp_smarthost": "mail:25"},
        "route": {
            "receiver": "ops",
            "group_wait": "30s",
            "routes": [{"receiver": "sec", "matchers": ['team="sec"'], "group_wait": "1m"}],
        },
        "inhibit_rules": [{"source_matchers": ['severity="critical"']}],
        "receivers": [
            {"name": "ops", "email_configs": [{"to": "ops@example.org"}]},
            {"name": "sec", "slack_configs": [{"api_url_file": "/x"}]},
        ],
    }
    out = configs.redirect_to_recorder(config, lambda name: f"http://hook/{name}")
    assert out["receivers"] == [
        {"name": n, "webhook_configs": [{"url": f"http://hook/{n}", "send_resolved": True}]}
        for n in ("ops", "sec")
    ]
    child = out["route"]["routes"][0]
    assert (child["receiver"], child["matchers"], child["group_wait"]) == (
        "sec",
        ['team="sec"'],
        "0s",
    )
    assert out["inhibit_rules"] == config["inhibit_rules"]
    assert config["route"]["group_wait"] == "30s", "the input is left alone"


def test_waves_never_bend_one_metric_twice(project: Project) -> None:
    team = Team(name="t")
    twin = AlertRule(
        name="AnotherErrorAlert",
        expr="up == 0",
        severity=Severity.WARNING,
        team=team,
        summary="s",
        description="d",
        runbook_url="https://x",
        scenario=Scenario(fault=Fault.ERROR_BURST),
    )
    waves = plan_waves([*project.alerts, twin])
    assert len(waves) == 2
    for wave in waves:
        metrics = [FAULT_METRICS[a.scenario.fault] for a in wave if a.scenario]
        assert len(metrics) == len(set(metrics))
    assert set(FAULT_METRICS) == set(Fault), "every fault says which metric it bends"


def test_an_alert_without_scenario_is_an_error(make_project: MakeProject) -> None:
    root = make_project(
        {
            "alerts/rules.py": """
                from pfm_dash import (
                    AlertRule, AlertTest, Expect, Receiver, RuleGroup, Series, Severity, Team
                )
                OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
                down = AlertRule(
                    name="Unproven", expr="up == 0", severity=Severity.WARNING, team=OPS,
                    summary="s", description="d", runbook_url="https://r",
                    tests=[
                        AlertTest(name="down", series=[Series(series="up", values="0")], at="0m",
                                  expect=[Expect()]),
                        AlertTest(name="up", series=[Series(series="up", values="1")], at="0m"),
                    ],
                )
                group = RuleGroup(name="g", rules=[down])
            """,
        }
    )
    result = run_cli("verify", cwd=root)
    assert result.code == 2, result.text
    assert "alert Unproven has no scenario" in result.err
    assert "alerts/rules.py:" in result.err
    assert "Traceback" not in result.text


def test_simulator_exposes_every_metric_the_project_reads(
    project: Project, simulator: Simulator
) -> None:
    exprs = [a.expression for a in project.alerts]
    exprs += [r.expression for g in project.groups for r in g.rules]
    exprs += [q.expr for d in project.dashboards for p in d.all_panels() for q in p.queries]
    wanted = {m for e in exprs for m in SELECTOR.findall(e)} - {"up"}  # up: Prometheus' own
    seen = scrape(simulator)
    missing = sorted(m for m in wanted if m not in seen)
    assert not missing, f"the simulator does not expose {missing}"
    for name in wanted:
        envs = {env for _, env in seen[name]}
        assert envs == set(ENVIRONMENTS), f"{name} has environments {envs}"


def test_service_down_stops_answering(simulator: Simulator) -> None:
    target = simulator.down_target()
    url = f"http://127.0.0.1:{target.port}/metrics"
    assert requests.get(url, timeout=5).status_code == 200
    simulator.switch(Fault.SERVICE_DOWN, True)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)
    simulator.switch(Fault.SERVICE_DOWN, False)
    assert requests.get(url, timeout=5).status_code == 200


def test_faults_bend_production_only(simulator: Simulator) -> None:
    def used(env: str) -> float:
        port = next(
            t.port for t in simulator.targets if t.job == "pfm-backend" and t.environment == env
        )
        text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        return next(
            s.value
            for f in text_string_to_metric_families(text)
            for s in f.samples
            if s.name == "redis_memory_used_bytes"
        )

    simulator.switch(Fault.REDIS_MEMORY_HIGH, True)
    assert used("production") / 2**30 > 0.9
    assert used("staging") / 2**30 < 0.5


def test_an_alert_too_slow_to_prove_is_refused_with_a_time_scale_that_fits(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "alerts/rules.py": """
                from pfm_dash import (
                    AlertRule, AlertTest, Expect, Fault, Receiver, RuleGroup, Scenario, Series,
                    Severity, Team,
                )
                OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
                slow = AlertRule(
                    name="SlowBurn", expr="up == 0", for_="6h", severity=Severity.WARNING,
                    team=OPS, summary="s", description="d", runbook_url="https://r",
                    scenario=Scenario(fault=Fault.SERVICE_DOWN),
                    tests=[
                        AlertTest(name="down", series=[Series(series="up", values="0x400")],
                                  at="7h", expect=[Expect()]),
                        AlertTest(name="up", series=[Series(series="up", values="1")], at="0m"),
                    ],
                )
                group = RuleGroup(name="g", rules=[slow])
            """,
        }
    )
    result = run_cli("verify", cwd=root)
    assert result.code == 2, result.text
    assert "alert SlowBurn needs 360s after its fault to fire at time scale 60" in result.err
    assert "time_scale=180" in result.err and "alerts/rules.py:" in result.err


@pytest.mark.skipif(shutil.which("prometheus") is None, reason="needs make tools")
def test_a_port_taken_before_the_server_binds_it_is_retried(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pfm_dash.verify import harness
    from pfm_dash.verify.processes import Processes, free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = iter([busy, free_port()])
        monkeypatch.setattr(harness, "free_port", lambda: next(ports))
        config = tmp_path / "prometheus.yml"
        config.write_text("global: {scrape_interval: 15s}\n")
        run = harness.Run(project, say=lambda line: None)
        run.dir, run.procs = tmp_path, Processes(tmp_path)
        try:
            port = run.start_server(
                "prometheus",
                lambda port: [
                    shutil.which("prometheus") or "prometheus",
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp_path / 'data'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                ],
            )
        finally:
            run.procs.stop_all()
    assert port != busy
    assert "address already in use" in (tmp_path / "prometheus.log.failed").read_text()


def test_a_server_that_stops_answering_is_named_by_its_url() -> None:
    from pfm_dash.verify.harness import _broke_off

    with socket.socket() as silent:  # accepts connections, never answers: a stopped server
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/api/v1/query"
        with pytest.raises(requests.Timeout) as caught:
            requests.get(url, timeout=0.3)
    assert _broke_off(caught.value) == (
        f"{url} did not answer in time (is the server stopped or overloaded?)"
    )
