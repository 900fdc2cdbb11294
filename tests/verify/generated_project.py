"""A project with PFM's alerts plus N generated ones, each over its own generated metric with
its own declared fault: what `verify` must prove as readily as the bundled twelve.

Used by tests/verify/test_verify_scale.py and bench/verify_bench.py. The generated modules are
written as a user would write them (a catalog module and an alerts module), in three shapes:
a counter's error ratio, a gauge's level and a histogram's 90th percentile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CATALOG_HEAD = '''\
"""Generated metrics for the verify scale fixture."""

from pfm_dash import Latency, Rate, Swing
from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType

GENERATED = Catalog(
    exporters=[
        Exporter(
            name="generated",
            metrics=[
'''
COUNTER = """\
                Metric(
                    name="gen_{n}_requests_total",
                    type=MetricType.COUNTER,
                    help="Generated requests, by result.",
                    labels=["result"],
                    healthy=Rate(per_second=20, labels={{"result": {{"ok": 0.98, "error": 0.02}}}}),
                ),
"""
GAUGE = """\
                Metric(
                    name="gen_{n}_queue_depth",
                    type=MetricType.GAUGE,
                    help="Generated queue depth.",
                    healthy=Swing(low=5, high=15, period="20s"),
                ),
"""
HISTOGRAM = """\
                Metric(
                    name="gen_{n}_duration_seconds",
                    type=MetricType.HISTOGRAM,
                    help="Generated durations.",
                    healthy=Latency(median=0.05, per_second=20),
                ),
"""
CATALOG_TAIL = """\
            ],
        )
    ],
    common_labels=["environment"],
)
"""

ALERTS_HEAD = '''\
"""Generated alerts for the verify scale fixture, one fault each."""

from alerts.teams import PLATFORM, runbook
from pfm_dash import (
    AlertRule,
    AlertTest,
    Expect,
    Fault,
    RuleGroup,
    Scenario,
    ScaleRate,
    Series,
    SetGauge,
    Severity,
    ShiftLatency,
)



def series(name: str, values: str, **labels: str) -> Series:
    """One series of a test, in production."""
    pairs = [*(f'{k}="{v}"' for k, v in labels.items()), 'environment="production"']
    return Series(series=name + "{" + ", ".join(pairs) + "}", values=values)
'''
COUNTER_ALERT = """
gen_{n} = AlertRule(
    name="Generated{n}Errors",
    expr=(
        'sum by (environment) (rate(gen_{n}_requests_total{{result="error"}}[5m]))'
        " / sum by (environment) (rate(gen_{n}_requests_total[5m])) > 0.2"
    ),
    for_="2m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="Generated {n} fails.",
    description="More than a fifth of generated {n} requests fail.",
    runbook_url=runbook("Generated{n}Errors"),
    scenario=Scenario(
        fault=Fault(
            name="gen-{n}-errors",
            changes=[
                ScaleRate(metric="gen_{n}_requests_total", where={{"result": "error"}}, factor=30)
            ],
        )
    ),
    tests=[
        AlertTest(
            name="a third fails",
            series=[
                series("gen_{n}_requests_total", "0+100x20", result="ok"),
                series("gen_{n}_requests_total", "0+50x20", result="error"),
            ],
            at="15m",
            expect=[Expect(labels={{"environment": "production"}})],
        ),
        AlertTest(
            name="rare errors",
            series=[
                series("gen_{n}_requests_total", "0+100x20", result="ok"),
                series("gen_{n}_requests_total", "0+1x20", result="error"),
            ],
            at="15m",
        ),
    ],
)
"""
GAUGE_ALERT = """
gen_{n} = AlertRule(
    name="Generated{n}QueueFull",
    expr="max by (environment) (gen_{n}_queue_depth) > 100",
    for_="1m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="Generated {n} queue is full.",
    description="The generated {n} queue holds more than 100 items.",
    runbook_url=runbook("Generated{n}QueueFull"),
    scenario=Scenario(
        fault=Fault(
            name="gen-{n}-queue-full", changes=[SetGauge(metric="gen_{n}_queue_depth", value=500)]
        )
    ),
    tests=[
        AlertTest(
            name="full",
            series=[series("gen_{n}_queue_depth", "500x20")],
            at="10m",
            expect=[Expect(labels={{"environment": "production"}})],
        ),
        AlertTest(
            name="short",
            series=[series("gen_{n}_queue_depth", "5x20")],
            at="10m",
        ),
    ],
)
"""
HISTOGRAM_ALERT = """
gen_{n} = AlertRule(
    name="Generated{n}Slow",
    expr=(
        "histogram_quantile(0.9, sum by (le, environment) "
        "(rate(gen_{n}_duration_seconds_bucket[5m]))) > 1"
    ),
    for_="2m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="Generated {n} is slow.",
    description="The 90th percentile of generated {n} is above a second.",
    runbook_url=runbook("Generated{n}Slow"),
    scenario=Scenario(
        fault=Fault(
            name="gen-{n}-slow",
            changes=[ShiftLatency(metric="gen_{n}_duration_seconds", factor=50)],
        )
    ),
    tests=[
        AlertTest(
            name="slow",
            series=[
                series("gen_{n}_duration_seconds_bucket", "0+0x30", le="0.1"),
                series("gen_{n}_duration_seconds_bucket", "0+5x30", le="1"),
                series("gen_{n}_duration_seconds_bucket", "0+100x30", le="10"),
                series("gen_{n}_duration_seconds_bucket", "0+100x30", le="+Inf"),
            ],
            at="15m",
            expect=[Expect(labels={{"environment": "production"}})],
        ),
        AlertTest(
            name="fast",
            series=[
                series("gen_{n}_duration_seconds_bucket", "0+100x30", le="0.1"),
                series("gen_{n}_duration_seconds_bucket", "0+100x30", le="+Inf"),
            ],
            at="15m",
        ),
    ],
)
"""


def copy_pfm(into: Path) -> Path:
    """A copy of the bundled PFM monitoring (sources, config, committed build)."""
    for name in ("dashboards", "alerts", "build"):
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def add_generated(project: Path, count: int = 48) -> list[str]:
    """Write ``count`` generated metrics and alerts into ``project``; the alert names."""
    shapes = [(COUNTER, COUNTER_ALERT), (GAUGE, GAUGE_ALERT), (HISTOGRAM, HISTOGRAM_ALERT)]
    catalog, alerts, names = [CATALOG_HEAD], [ALERTS_HEAD], []
    for i in range(count):
        n = f"{i:02d}"
        metric, alert = shapes[i % 3]
        catalog.append(metric.format(n=n))
        alerts.append(alert.format(n=n))
        names.append(alert.split('name="', 1)[1].split('"', 1)[0].format(n=n))
    catalog.append(CATALOG_TAIL)
    rules = ", ".join(f"gen_{i:02d}" for i in range(count))
    alerts.append(f'\ngenerated = RuleGroup(name="generated", interval="30s", rules=[{rules}])\n')
    (project / "dashboards" / "generated_catalog.py").write_text("".join(catalog))
    with (project / "pyproject.toml").open("a") as config:
        config.write("\n[tool.pfm-dash.prometheus.jobs.generated]\n")
        config.write('targets = { production = ["generated:9100"] }\n')
    (project / "alerts" / "generated.py").write_text("".join(alerts))
    return names
