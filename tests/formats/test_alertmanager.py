"""The emitted alertmanager.yml: amtool accepts it, and routes every PFM alert to its team."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pfm_dash.config import load_config
from pfm_dash.formats.alertmanager import alertmanager_config, firing_labels, settings_from
from pfm_dash.project import Project, load_project

ROOT = Path(__file__).resolve().parents[2]
EMITTED = ROOT / "build" / "alertmanager" / "alertmanager.yml"
AMTOOL = shutil.which("amtool")
needs_amtool = pytest.mark.skipif(AMTOOL is None, reason="amtool is not installed")


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(load_config(ROOT))


def amtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert AMTOOL is not None
    return subprocess.run([AMTOOL, *args], capture_output=True, text=True, timeout=30)


@needs_amtool
def test_amtool_accepts_the_emitted_file_as_is() -> None:
    proc = amtool("check-config", str(EMITTED))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 receivers" in proc.stdout


@needs_amtool
def test_amtool_accepts_it_after_envsubst(tmp_path: Path) -> None:
    """The documented deploy step: fill ${VAR} placeholders, then Alertmanager reads it."""
    text = EMITTED.read_text()
    header = next(line for line in text.splitlines() if "envsubst '" in line)
    names = header.split("'")[1].replace("$", "").split()
    assert "PFM_ONCALL_EMAIL" in names and "PFM_PLATFORM_EMAIL" in names
    env = {k: f"{k.lower()}@pfm.example" for k in names}
    filled = subprocess.run(
        ["envsubst"], input=text, capture_output=True, text=True, env={**os.environ, **env}
    ).stdout
    assert "pfm_oncall_email@pfm.example" in filled
    (tmp_path / "am.yml").write_text(filled)
    assert amtool("check-config", str(tmp_path / "am.yml")).returncode == 0


def expected_receiver(labels: dict[str, str]) -> str:
    """The policy, written independently of the route tree it checks."""
    if labels["severity"] == "critical" and labels["environment"] != "staging":
        return f"critical,{labels['team']}"  # on-call is paged, and the owners hear of it
    return labels["team"]


@needs_amtool
def test_every_alert_reaches_its_receiver_in_every_environment(project: Project) -> None:
    settings = settings_from(project.config)
    cases = [labels for rule in project.alerts for labels in firing_labels(rule, settings)]
    assert {c["environment"] for c in cases} == {"production", "staging"}
    assert len(cases) == 2 * len(project.alerts) >= 24
    for labels in cases:
        want = expected_receiver(labels)
        args = [f"{k}={v}" for k, v in labels.items()]
        proc = amtool(
            "config",
            "routes",
            "test",
            f"--config.file={EMITTED}",
            f"--verify.receivers={want}",
            *args,
        )
        assert proc.returncode == 0, (labels, proc.stdout, proc.stderr)


def test_policy_timings(project: Project) -> None:
    route = alertmanager_config(project.teams, settings_from(project.config))["route"]
    assert route["group_by"] == ["alertname", "service", "environment"]
    waits = {r["receiver"]: r["group_wait"] for r in route["routes"] if "team" in r["matchers"][0]}
    assert waits == {
        "platform": "30s",
        "security": "0s",
        "development": "1m",
        "blockchain": "30s",
        "critical": "0s",
    }
    on_call = route["routes"][0]
    assert on_call["receiver"] == "critical" and on_call["group_wait"] == "0s"
    staging = route["routes"][1]["routes"][0]
    assert staging["group_wait"] == "2m" and staging["repeat_interval"] == "12h"


def test_webhook_override_keeps_the_tree(project: Project) -> None:
    plain = alertmanager_config(project.teams, settings_from(project.config))
    hooked = alertmanager_config(
        project.teams,
        settings_from(project.config),
        webhook_url=lambda name: f"http://127.0.0.1:9/{name}",
        immediate=True,
    )
    assert [r["receiver"] for r in hooked["route"]["routes"]] == [
        r["receiver"] for r in plain["route"]["routes"]
    ]
    assert "global" not in hooked
    for receiver in hooked["receivers"]:
        assert receiver["webhook_configs"] == [
            {"url": f"http://127.0.0.1:9/{receiver['name']}", "send_resolved": True}
        ]
    assert {r["group_wait"] for r in hooked["route"]["routes"]} == {"0s"}


def test_emitted_file_is_the_config(project: Project) -> None:
    assert yaml.safe_load(EMITTED.read_text()) == alertmanager_config(
        project.teams, settings_from(project.config)
    )


def test_team_without_receiver_is_a_build_error(make_project: object) -> None:
    from conftest import run_cli

    root = make_project(  # type: ignore[operator]
        {"alerts/teams.py": "from pfm_dash import Team\nOPS = Team(name='ops')\n"}
    )
    result = run_cli("build", cwd=root)
    assert result.code == 2
    assert "alerts/teams.py:2: error: team 'ops' has no receiver" in result.text


def test_receiver_that_sends_nowhere_is_refused(make_project: object) -> None:
    from conftest import run_cli

    root = make_project(  # type: ignore[operator]
        {"alerts/teams.py": "from pfm_dash import Receiver, Team\nR = Receiver()\n"}
    )
    result = run_cli("build", cwd=root)
    assert result.code == 2 and "alerts/teams.py:2: error: receiver sends nowhere" in result.text


def test_webhook_url_that_does_not_parse_is_refused(make_project: object) -> None:
    from conftest import run_cli

    root = make_project(  # type: ignore[operator]
        {
            "alerts/teams.py": "from pfm_dash import Receiver, Team\n"
            'R = Receiver(webhook_url="http://[chain-alerts")\n'
        }
    )
    result = run_cli("build", cwd=root)
    assert result.code == 2, result.text
    assert "alerts/teams.py:2: error: webhook_url 'http://[chain-alerts' does not parse" in (
        result.text
    )
