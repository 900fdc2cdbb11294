"""``pfm-dash diff --grafana-url`` against the fake Grafana on a real socket."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from grafana_testing import TOKEN, client, dash, grafana  # noqa: F401

from pfm_dash.client import GrafanaClient
from pfm_dash.model.dashboard import Folder
from pfm_dash.push import PushOptions, run_push
from pfm_dash.testing.fake_grafana import FakeGrafana
from tests.review.conftest import PFM_DASH, ROOT


def run(*args: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PFM_DASH), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GRAFANA_TOKEN": token, "NO_COLOR": "1"},
    )


def set_unit(data: dict[str, Any]) -> None:
    for panel in data["panels"]:
        if panel.get("title") == "Error Rate":
            panel["fieldConfig"]["defaults"]["unit"] = "percent"


def test_drift_and_ui_edits_with_who_and_when(grafana: FakeGrafana, tmp_path: Path) -> None:  # noqa: F811
    url = ["--grafana-url", grafana.url]
    fresh = run("diff", *url, "--format", "json", "--exit-code")
    assert fresh.returncode == 1, fresh.stderr
    data = json.loads(fresh.stdout)
    assert {s["key"]: s["status"] for s in data["sections"]} == {
        "pfm-overview": "added",
        "pfm-signals": "added",
    }
    assert data["sections"][0]["note"] == "not in Grafana yet"
    assert grafana.writes() == []  # a diff never writes

    assert run("push", *url).returncode == 0
    same = run("diff", *url, "--exit-code")
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout.startswith("No monitoring changes between Grafana")

    grafana.ui_edit("pfm-overview", set_unit, user="alice")
    edited = run("diff", *url)
    assert edited.returncode == 0, edited.stderr
    assert "edited outside pfm-dash" in edited.stdout and "saved by alice" in edited.stdout
    assert "panel 'Error Rate' fieldConfig.defaults.unit: percent -> percentunit" in edited.stdout
    markdown = run("diff", *url, "--format", "markdown").stdout
    assert "| dashboard | `pfm-overview` | changed | 1 |" in markdown


def test_refused_credentials_exit_4_as_push_does(grafana: FakeGrafana) -> None:  # noqa: F811
    done = run("diff", "--grafana-url", grafana.url, token="wrong")
    assert done.returncode == 4, done.stdout + done.stderr
    assert "rejected the credentials from GRAFANA_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_dashboard_pushed_earlier_and_no_longer_declared_is_removed(
    grafana: FakeGrafana,  # noqa: F811
    client: GrafanaClient,  # noqa: F811
) -> None:
    assert run("push", "--grafana-url", grafana.url).returncode == 0
    old = dash("pfm-retired", Folder(uid="pfm", title="PFM"), title="Retired")
    run_push(client, [old], PushOptions(project="pfm-dash"))  # [tool.pfm-dash] project
    done = run("diff", "--grafana-url", grafana.url, "--format", "json")
    data = json.loads(done.stdout)
    [section] = data["sections"]
    assert (section["key"], section["status"]) == ("pfm-retired", "removed")
    assert "push --prune deletes it" in section["note"]
