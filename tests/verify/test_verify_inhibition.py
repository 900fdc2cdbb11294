"""Inhibition, proven with the real Alertmanager. A critical alert that inhibits warnings of its
environment would hide a warning of another fault proven beside it, so verify runs them in
different waves and both reach their receivers. A warning that the critical's own fault fires
too is held back while the critical fires, which is what the routing says, and verify says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MakeProject, run_cli

pytestmark = pytest.mark.skipif(
    shutil.which("prometheus") is None, reason="needs prometheus and alertmanager (make tools)"
)

CATALOG = """
from pfm_dash import Level, Simulation
from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType

CATALOG = Catalog(
    exporters=[
        Exporter(
            name="app",
            metrics=[
                Metric(name="disk_used_ratio", type=MetricType.GAUGE, help="Disk.",
                       healthy=Level(value=0.4)),
                Metric(name="queue_depth", type=MetricType.GAUGE, help="Queue.",
                       healthy=Level(value=3)),
            ],
        )
    ],
    common_labels=["environment"],
)
SIMULATION = Simulation(environments={"production": 1.0}, faults_in="production")
"""

ALERTS = """
from pfm_dash import (
    AlertRule, AlertTest, Expect, Fault, Receiver, RuleGroup, Scenario, Series, SetGauge,
    Severity, Team,
)

OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
PAGER = Team(name="pager", receiver=Receiver(email_env="PAGER_EMAIL"),
             on_call_for=Severity.CRITICAL)


def alert(name, expr, severity, fault, value, for_="0s"):
    return AlertRule(
        name=name, expr=expr, for_=for_, severity=severity, team=OPS, summary="s",
        description="{{ $labels.environment }} is in trouble.", runbook_url="https://r",
        scenario=Scenario(fault=fault),
        tests=[
            AlertTest(name="fires", at="5m",
                      series=[Series(series=SERIES[name], values=f"{value}x10")],
                      expect=[Expect(labels={"environment": "production"}, annotations={
                          "description": "production is in trouble."})]),
            AlertTest(name="quiet", at="5m",
                      series=[Series(series=SERIES[name], values="0x10")]),
        ],
    )


SERIES = {
    "DiskFull": 'disk_used_ratio{environment="production"}',
    "DiskAlmostFull": 'disk_used_ratio{environment="production"}',
    "QueueDeep": 'queue_depth{environment="production"}',
}
DISK = Fault(name="disk-full", changes=[SetGauge(metric="disk_used_ratio", value=0.99)])
QUEUE = Fault(name="queue-deep", changes=[SetGauge(metric="queue_depth", value=900)])
disk = alert("DiskFull", "max by (environment) (disk_used_ratio) > 0.95",
             Severity.CRITICAL, DISK, 0.99)
# The same fault fires it, a second after the critical that inhibits it.
almost = alert("DiskAlmostFull", "max by (environment) (disk_used_ratio) > 0.9",
               Severity.WARNING, DISK, 0.99, for_="1m")
# It fires after DiskFull: were both on at once, Alertmanager would hold it back.
queue = alert("QueueDeep", "max by (environment) (queue_depth) > 100",
              Severity.WARNING, QUEUE, 900, for_="3m")
group = RuleGroup(name="app", rules=[disk, almost, queue])
"""

# Critical inhibits warning in the same environment, whatever the alert's name.
INHIBIT = """
[tool.pfm-dash.alertmanager]
environments = ["production"]
inhibit_equal = ["environment"]
"""


def test_an_alert_that_would_inhibit_another_is_proven_apart(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"dashboards/catalog.py": CATALOG, "alerts/rules.py": ALERTS})
    with (root / "pyproject.toml").open("a") as config:
        config.write(INHIBIT)
    report = tmp_path / "report.json"
    result = run_cli("verify", f"--report={report}", cwd=root)
    assert result.code == 0, result.text
    rows = {row["alert"]: row for row in json.loads(report.read_text())["rows"]}
    assert rows["DiskFull"]["wave"] != rows["QueueDeep"]["wave"]
    assert rows["QueueDeep"]["receivers_got"] == ["ops"], "not inhibited: DiskFull was off"
    assert rows["DiskFull"]["receivers_got"] == ["ops", "pager"]
    almost = rows["DiskAlmostFull"]
    assert almost["wave"] == rows["DiskFull"]["wave"], "one fault, one wave"
    assert almost["fired_after_s"] is not None and almost["inhibited_by"] == ["DiskFull"]
    assert almost["receivers_expected"] == ["ops"] and almost["receivers_got"] == []
    assert "or none (DiskFull inhibits)" in result.out
