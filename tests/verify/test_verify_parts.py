"""The pieces of `pfm-dash verify` that need no Prometheus: time scaling, the receiver
redirect, starting servers and naming the one that broke off. Wave planning and what verify
refuses up front are in test_plan.py; the simulated system in test_backend.py."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
import requests
import yaml
from conftest import ROOT

from pfm_dash.project import Project, load_config, load_project
from pfm_dash.verify import configs


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(load_config(ROOT))


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
    assert rules["HighErrorRate"]["for"] == "5s" and "[5s]" in rules["HighErrorRate"]["expr"]
    assert rules["HighResponseTimeP95"]["for"] == "6667ms", "10m + 5m: at 90x, fired in 10s"
    assert rules["NoVotesRecorded"]["for"] == "3333ms", "30m + 1h: at 540x, fired in 10s"
    assert "[6667ms]" in rules["NoVotesRecorded"]["expr"]
    only = configs.run_rules(project.groups, only={"ServiceDown"})
    assert "ServiceDown" in "".join(only.values())
    assert "HighErrorRate" not in "".join(only.values())


def test_a_slow_rule_runs_faster_but_keeps_three_scrapes_per_window() -> None:
    from pfm_dash.model import AlertRule, Fault, Scenario, SetGauge, Severity, Team

    def rule(expr: str, for_: str, scale: int | None = None) -> AlertRule:
        fault = Fault(name="f", changes=[SetGauge(metric="g", value=1)])
        return AlertRule(
            name="A",
            expr=expr,
            for_=for_,
            severity=Severity.WARNING,
            team=Team(name="t"),
            summary="s",
            description="d",
            runbook_url="https://r",
            scenario=Scenario(fault=fault, time_scale=scale),
        )

    assert configs.time_scale(rule("rate(x[5m]) > 1", "5m")) == 60, "10 s at the default"
    assert configs.time_scale(rule("rate(x[5m]) > 1", "1h")) == 100, "a 5m window keeps 3 s"
    assert configs.time_scale(rule("x > 1", "2h")) == 720
    assert configs.time_scale(rule("rate(x[5m]) > 1", "1h", scale=30)) == 30, "declared wins"


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
