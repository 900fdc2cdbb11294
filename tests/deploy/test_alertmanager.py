"""Deploying the routing to a real Alertmanager 0.25: reload, no-op, amtool refusal, rollback."""

from __future__ import annotations

import shutil

import pytest
import requests
import yaml
from deploy_testing import Running

from pfm_dash.deploy.alertmanager import (
    ConfigTarget,
    config_hash,
    contains,
    deploy_config,
)
from pfm_dash.deploy.prometheus import DeployOptions
from pfm_dash.deploy.server import Server
from pfm_dash.push.types import Action

NEW = """\
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  routes:
  - receiver: oncall
    matchers: ['severity="critical"']
receivers:
- name: team
  webhook_configs:
  - url: http://127.0.0.1:9/team
- name: oncall
"""
# amtool accepts it (it does not build integrations); Alertmanager refuses the reload.
REFUSED = """\
route:
  receiver: b
receivers:
- name: b
  webhook_configs:
  - url: http://127.0.0.1:9/x
    http_config:
      tls_config:
        ca_file: /nonexistent/ca.pem
"""


@pytest.fixture
def target(alertmanager: Running) -> ConfigTarget:
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool is not installed")
    return ConfigTarget(alertmanager.url, alertmanager.folder / "alertmanager.yml", amtool=amtool)


def running_receivers(url: str) -> list[str]:
    original = requests.get(f"{url}/api/v2/status", timeout=5).json()["config"]["original"]
    return [r["name"] for r in yaml.safe_load(original)["receivers"]]


def metric(url: str, name: str) -> float | None:
    server = Server("Alertmanager", url)
    try:
        return server.metric(name)
    finally:
        server.close()


def test_deploy_reloads_and_confirms_the_new_configuration(target: ConfigTarget) -> None:
    summary = deploy_config(target, NEW)
    assert summary.exit_code == 0
    assert [(o.action, o.applied) for o in summary.outcomes] == [(Action.UPDATE, True)]
    assert target.config_file.read_text() == NEW
    assert running_receivers(target.url) == ["team", "oncall"]
    assert metric(target.url, "alertmanager_config_hash") == config_hash(NEW.encode())
    # Staged inside the config's own folder and cleaned up: nothing written beside it.
    assert list(target.config_file.parent.iterdir()) == [target.config_file]
    assert (
        sorted(p.name for p in target.config_file.parent.parent.iterdir() if p.name[0] == ".") == []
    )


def test_second_deploy_with_no_change_does_not_reload(target: ConfigTarget) -> None:
    deploy_config(target, NEW)
    mtime = target.config_file.stat().st_mtime_ns
    reloaded = metric(target.url, "alertmanager_config_last_reload_success_timestamp_seconds")
    again = deploy_config(target, NEW)
    assert [(o.action, o.applied) for o in again.outcomes] == [(Action.UNCHANGED, False)]
    assert target.config_file.stat().st_mtime_ns == mtime
    assert (
        metric(target.url, "alertmanager_config_last_reload_success_timestamp_seconds") == reloaded
    )


def test_a_configuration_amtool_rejects_is_never_written(target: ConfigTarget) -> None:
    before = target.config_file.read_text()
    summary = deploy_config(target, "route: {receiver: nobody}\nreceivers: [{name: a}]\n")
    assert summary.exit_code == 1
    detail = summary.outcomes[0].detail
    assert "amtool check-config rejects it" in detail
    assert 'undefined receiver "nobody"' in detail
    assert str(target.config_file) in detail  # the staged copy's name is not shown
    assert target.config_file.read_text() == before
    assert list(target.config_file.parent.iterdir()) == [target.config_file]


def test_a_refused_reload_is_rolled_back(target: ConfigTarget) -> None:
    deploy_config(target, NEW)
    summary = deploy_config(target, REFUSED)
    assert summary.exit_code == 1
    detail = summary.outcomes[0].detail
    assert "unable to load specified CA cert /nonexistent/ca.pem" in detail
    assert "previous configuration is restored and loaded" in detail
    assert target.config_file.read_text() == NEW
    assert running_receivers(target.url) == ["team", "oncall"]
    assert metric(target.url, "alertmanager_config_last_reload_successful") == 1


def test_dry_run_checks_but_writes_nothing(target: ConfigTarget) -> None:
    before = target.config_file.read_text()
    summary = deploy_config(target, NEW, DeployOptions(dry_run=True))
    assert [(o.action, o.applied) for o in summary.outcomes] == [(Action.UPDATE, False)]
    assert summary.requests == 0
    assert target.config_file.read_text() == before


def test_contains_allows_defaults_masked_secrets_and_duration_spellings() -> None:
    ours = {"global": {"smtp_auth_password": "s3cret"}, "route": {"group_wait": "60s"}}
    running = {
        "global": {"smtp_auth_password": "<secret>", "resolve_timeout": "5m"},
        "route": {"group_wait": "1m", "continue": False},
    }
    assert contains(running, ours) == ""
    assert contains({"route": {"group_wait": "2m"}}, ours) == "/global"
    assert contains({**running, "route": {"group_wait": "2m"}}, ours) == "/route/group_wait"
    assert contains({"m": ['b="2"', 'a="1"']}, {"m": ['a="1"', 'b="2"']}) == ""
    assert contains({"receivers": [{"name": "a"}]}, {"receivers": [{"name": "b"}]}) == (
        "/receivers/0/name"
    )
