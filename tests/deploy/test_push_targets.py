"""``pfm-dash push`` to Prometheus, Alertmanager and Grafana at once, as users run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Result, run_cli
from deploy_testing import Running
from grafana_testing import TOKEN
from grafana_testing import grafana as grafana  # the fixture

from pfm_dash.testing.fake_grafana import FakeGrafana

EMAILS = ("BLOCKCHAIN", "DEVELOPMENT", "ONCALL", "PLATFORM", "SECURITY")


@pytest.fixture(autouse=True)
def push_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GRAFANA_URL", "PROMETHEUS_URL", "ALERTMANAGER_URL", "RULER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)
    for team in EMAILS:
        monkeypatch.setenv(f"PFM_{team}_EMAIL", f"{team.lower()}@pfm.example")


def push(root: Path, *args: str) -> Result:
    result = run_cli("push", *args, cwd=root)
    assert "Traceback" not in result.text, result.text
    return result


def test_rules_routing_and_dashboards_in_one_run_then_nothing(
    pfm_copy: Path, prometheus: Running, alertmanager: Running, grafana: FakeGrafana
) -> None:
    args = [
        "--grafana-url",
        grafana.url,
        "--prometheus-url",
        prometheus.url,
        "--rules-dir",
        str(prometheus.folder),
        "--alertmanager-url",
        alertmanager.url,
        "--alertmanager-config",
        str(alertmanager.folder / "alertmanager.yml"),
    ]
    first = push(pfm_copy, *args, "--output", "json")
    assert first.code == 0, first.text
    doc = json.loads(first.out)
    assert doc["exit_code"] == 0
    assert doc["grafana_push"]["created"] == 2
    assert doc["prometheus"]["created"] == 6
    assert doc["alertmanager"]["updated"] == 1
    deployed = (alertmanager.folder / "alertmanager.yml").read_text()
    assert (
        "to: oncall@pfm.example" in deployed
        and "${PFM_ONCALL_EMAIL}" not in deployed.split("\nglobal:")[1]
    )
    rules = sorted(p.name for p in prometheus.folder.iterdir())
    assert rules == sorted(p.name for p in (pfm_copy / "build/prometheus/rules").iterdir())
    again = push(pfm_copy, *args)
    assert again.code == 0, again.text
    assert "Prometheus 2." in again.out and ": 0 created, 0 updated, 6 unchanged" in again.out
    assert "Alertmanager 0." in again.out and ": 0 created, 0 updated, 1 unchanged" in again.out
    verbose = push(pfm_copy, *args[2:], "--verbose")
    assert "http: GET /api/v1/rules -> 200 in " in verbose.err
    assert "POST /-/reload" not in verbose.err  # nothing changed: no reload


def test_prometheus_alone_from_the_environment(
    pfm_copy: Path, prometheus: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_URL", prometheus.url)
    result = push(pfm_copy, "--rules-dir", str(prometheus.folder), "--dry-run", "--verbose")
    assert result.code == 0, result.text
    assert "http:" not in result.err  # a dry run sends no request
    assert "would create  rule file pfm-availability.rules.yml" in result.out
    assert "Grafana" not in result.text
    assert list(prometheus.folder.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rules-dir", "r"], "--rules-dir needs --prometheus-url (or $PROMETHEUS_URL)"),
        (["--prometheus-url", "http://127.0.0.1:9"], "--prometheus-url needs --rules-dir"),
        (["--alertmanager-url", "http://127.0.0.1:9"], "needs --alertmanager-config"),
        (["--prometheus-url", "ftp://x", "--rules-dir", "r"], "ftp://x"),
        (["--tenant", "t"], "--namespace and --ruler-alertmanager are for a ruler"),
        ([], "no Grafana URL"),
    ],
)
def test_incomplete_targets_are_usage_errors(pfm_copy: Path, args: list[str], message: str) -> None:
    result = push(pfm_copy, *args)
    assert result.code == 2, result.text
    assert message in result.err


def test_missing_receiver_addresses_are_named_before_anything_is_pushed(
    pfm_copy: Path, alertmanager: Running, grafana: FakeGrafana, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PFM_ONCALL_EMAIL")
    before = (alertmanager.folder / "alertmanager.yml").read_text()
    result = push(
        pfm_copy,
        "--grafana-url",
        grafana.url,
        "--alertmanager-url",
        alertmanager.url,
        "--alertmanager-config",
        str(alertmanager.folder / "alertmanager.yml"),
    )
    assert result.code == 2, result.text
    assert "needs $PFM_ONCALL_EMAIL" in result.err
    assert (alertmanager.folder / "alertmanager.yml").read_text() == before
    assert grafana.writes() == []


def test_an_unreachable_target_fails_alone(pfm_copy: Path, prometheus: Running) -> None:
    from pfm_dash.verify.processes import free_port

    result = push(
        pfm_copy,
        "--prometheus-url",
        prometheus.url,
        "--rules-dir",
        str(prometheus.folder),
        "--alertmanager-url",
        f"http://127.0.0.1:{free_port()}",
        "--alertmanager-config",
        str(pfm_copy / "am.yml"),
        "--timeout",
        "2",
    )
    assert result.code == 1, result.text
    assert ": 6 created" in result.out  # Prometheus was deployed all the same
    assert "error: Alertmanager: Alertmanager at http://127.0.0.1:" in result.err


def test_rules_to_prometheus_and_a_ruler_in_one_run(
    pfm_copy: Path, prometheus: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiring of --ruler-url to ``pfm_dash.deploy.ruler.sync_ruler`` (its own branch)."""
    fake_ruler = pytest.importorskip(
        "pfm_dash.testing.fake_ruler", reason="the ruler deploy is not merged on this branch"
    )
    monkeypatch.setenv("RULER_TOKEN", "ruler-secret")
    with fake_ruler.FakeRuler() as ruler:
        args = ["--prometheus-url", prometheus.url, "--rules-dir", str(prometheus.folder)]
        args += ["--ruler-url", ruler.url, "--tenant", "t1", "--namespace", "pfm"]
        first = push(pfm_copy, *args, "--output", "json")
        doc = json.loads(first.out)
        assert first.code == 0, first.text
        assert doc["prometheus"]["created"] == 6
        assert doc["ruler"]["created"] == 6
        # Routing goes to Mimir's Alertmanager only when asked (it refuses *_file secrets).
        assert ruler.alertmanager_config("t1") is None
        assert sorted(ruler.groups("t1", "pfm")) == sorted(
            p.name.removesuffix(".rules.yml") for p in prometheus.folder.iterdir()
        )
        ruler.clear_log()
        again = push(pfm_copy, *args)
        assert ": 0 created, 0 updated, 6 unchanged" in again.out
        assert [r for r in ruler.writes() if "/rules/" in r.path] == []
        assert "ruler-secret" not in first.text + again.text
