# ruff: noqa: E501  (each fixture defect stays on one marked line, however long)
"""A fixture project holding one of each defect, for the tests of ``pfm-dash check``.

Each defect's line carries a ``# <marker>`` comment, so a test asserts the finding points at
exactly that line without counting lines by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import PYPROJECT as FIXTURE_PYPROJECT

ROOT = Path(__file__).resolve().parents[1]

PYPROJECT = (
    FIXTURE_PYPROJECT
    + """
[tool.pfm-dash.grafana]
url = "https://grafana.example"
"""
)

TEAMS = """
from pfm_dash import Receiver, Team

OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
"""

CATALOG = """
from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType as T

CATALOG = Catalog(
    exporters=[
        Exporter(
            name="app",
            metrics=[
                Metric(name="http_requests_total", type=T.COUNTER, help="h", labels=["service"]),
                Metric(name="temp_celsius", type=T.GAUGE, help="h", labels=["room"]),
                Metric(name="req_seconds", type=T.HISTOGRAM, help="h", labels=["service"]),
                Metric(name="rpc_seconds", type=T.SUMMARY, help="h"),
                Metric(name="up", type=T.GAUGE, help="h"),
            ],
        )
    ],
    common_labels=["environment"],
)
"""

BOARD = """
from pfm_dash import (
    CustomVariable, Dashboard, DatasourceVariable, Ignore, Query, QueryVariable, Stat,
    TimeSeries, Unit,
)

E = 'environment=~"$environment"'
good = TimeSeries(title="Requests", queries=[Query(expr=f"sum(rate(http_requests_total{{{E}}}[$__rate_interval]))")], unit=Unit.SHORT, id=1)
temps = TimeSeries(title="Temps", queries=[Query(expr="temp_celsius")], unit=Unit.SHORT)
broken = TimeSeries(
    title="Broken",
    unit=Unit.SHORT,
    queries=[
        Query(expr="sum(rate(http_requests_total[$__rate_interval])"),  # parse
        Query(expr="nope_total / nope_total"),  # unknown-metric
        Query(expr="sum by (region) (http_requests_total)"),  # unknown-label
        Query(expr="sum by (service) (http_requests_total / on(environment) up)"),  # on-drops
        Query(expr="rate(temp_celsius[5m])"),  # rate-gauge
        Query(expr="rate(rpc_seconds[5m])"),  # rate-summary
        Query(expr="histogram_quantile(0.9, sum by (service) (rate(req_seconds_bucket[5m])))"),  # no-le
        Query(expr="histogram_quantile(0.9, rate(http_requests_total[5m]))"),  # not-bucket
        Query(expr='http_requests_total{service="$svc"}'),  # undeclared-var
        Query(expr='sort_by_label(http_requests_total, "service")'),  # prom3
        Query(expr="sum by (service) (http_requests_total) / on (room) sum by (service) (http_requests_total)"),  # on-label
        Query(expr="rate(recorded:requests:rate5m[5m])"),  # rate-recorded
        Query(expr="rate(rate(http_requests_total[5m])[10m:1m])"),  # rate-of-rate
    ],
)
no_unit = TimeSeries(title="No unit", queries=[Query(expr="up")])  # no-unit
bad_ds = TimeSeries(title="DS", queries=[Query(expr="up")], unit=Unit.NONE, extra={"datasource": {"type": "prometheus", "uid": "prom"}})  # bad-ds
dup_id = TimeSeries(title="Dup", queries=[Query(expr="up")], unit=Unit.NONE, extra={"id": 1})  # dup-id
overlap = TimeSeries(title="Over", queries=[Query(expr="up")], unit=Unit.NONE, extra={"gridPos": {"x": 0, "y": 0, "w": 4, "h": 4}})  # overlap
untitled = TimeSeries(title="T", queries=[Query(expr="up")], unit=Unit.NONE, extra={"title": ""})  # untitled
quiet = Stat(title="Quiet", queries=[Query(expr="up")], ignore=[Ignore(rule="panel-unit", reason="a text-like stat")])  # suppressed
stray = Stat(title="Stray", queries=[Query(expr="up")], unit=Unit.NONE, ignore=[Ignore(rule="no-such-rule", reason="typo")])  # unknown-ignore

board = Dashboard(
    uid="board",
    title="Board",
    variables=[
        DatasourceVariable(),
        QueryVariable(name="environment", query="label_values(up, environment)"),
        CustomVariable(name="region", options=["eu", "us"]),  # unused-var
    ],
    panels=[good, temps, broken, no_unit, bad_ds, dup_id, overlap, untitled, quiet, stray],
)
"""

ALERTS = """
from alerts.teams import OPS
from dashboards.board import board, good, temps
from pfm_dash import AlertRule, AlertTest, Expect, PanelLink, RecordingRule, RuleGroup, Series, Severity

def tests():
    return [
        AlertTest(name="fires", series=[Series(series='http_requests_total{service="a"}', values="0+10x10")], at="5m", expect=[Expect(labels={"service": "a"}, annotations={"description": "a is busy."})]),
        AlertTest(name="silent", series=[Series(series='http_requests_total{service="a"}', values="0x10")], at="5m"),
    ]

def base(name, **kw):
    out = dict(
        name=name, expr="rate(http_requests_total[5m]) > 1", for_="5m", severity=Severity.WARNING,
        team=OPS, summary="Requests are high.", description="{{ $labels.service }} is busy.",
        runbook_url="https://runbooks.example/x", panel=PanelLink(dashboard=board, panel=good),
        tests=tests(),
    )
    out.update(kw)
    return out

bad_name = AlertRule(**base("high_requests"))  # alert-name
two = AlertRule(**base("TwoSentences", summary="Requests are high. Look now."))  # alert-summary
no_runbook = AlertRule(**base("NoRunbook", runbook_url=""))  # alert-runbook
no_for = AlertRule(**base("NoFor", for_=None))  # alert-for
static = AlertRule(**base("Static", description="static text"))  # alert-description
down = AlertRule(**base("ThingDown", for_=None))  # exempt-for
unlinked = AlertRule(**base("Unlinked", panel=None))  # alert-panel-link
elsewhere = AlertRule(**base("Elsewhere", panel=PanelLink(dashboard=board, panel=temps)))  # alert-panel-signal
bad_series = AlertRule(**base("BadSeries", tests=[AlertTest(name="f", series=[Series(series='http_requests_total{zone="a"}', values="0+10x10")], at="5m", expect=[Expect(labels={"zone": "a"}, annotations={"description": " is busy."})]), AlertTest(name="s", series=[], at="5m")]))  # test-series

group = RuleGroup(name="ops", rules=[
    RecordingRule(record="recorded:requests:rate5m", expr="sum by (service) (rate(http_requests_total[5m]))"),
    bad_name, two, no_runbook, no_for, static, down, unlinked, elsewhere, bad_series,
])
"""


@dataclass
class Checked:
    root: Path
    code: int
    findings: list[dict[str, Any]]
    text: str

    def line(self, rel: str, marker: str) -> int:
        lines = (self.root / rel).read_text().splitlines()
        return next(i for i, text in enumerate(lines, 1) if text.rstrip().endswith(f"# {marker}"))

    def at(self, rule: str, rel: str, marker: str) -> list[dict[str, Any]]:
        """The findings of ``rule`` on the marked line; fails the test when there are none."""
        line = self.line(rel, marker)
        hits = [
            f
            for f in self.findings
            if f["rule"] == rule and f["file"].endswith(rel) and f["line"] == line
        ]
        assert hits, (
            f"no {rule} at {rel}:{line}; got {[(f['rule'], f['line']) for f in self.findings]}"
        )
        return hits


def write_project(root: Path) -> Path:
    files = {
        "pyproject.toml": PYPROJECT,
        "dashboards/__init__.py": "",
        "alerts/__init__.py": "",
        "alerts/teams.py": TEAMS,
        "dashboards/catalog.py": CATALOG,
        "dashboards/board.py": BOARD,
        "alerts/rules.py": ALERTS,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def run(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pfm_dash", *args],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
