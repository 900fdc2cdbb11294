"""Which alerts share a wave, and what verify refuses before anything starts."""

from __future__ import annotations

from conftest import ROOT, MakeProject, run_cli

from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType
from pfm_dash.model import (
    AlertRule,
    DropSeries,
    Fault,
    Latency,
    Level,
    Rate,
    ScaleRate,
    Scenario,
    SetGauge,
    Severity,
    ShiftLatency,
    StopTarget,
    Team,
)
from pfm_dash.model.alerting import RecordingRule, RuleGroup
from pfm_dash.project import load_config, load_project
from pfm_dash.verify.plan import Planner

TEAM = Team(name="ops")
CATALOG = Catalog(
    exporters=[
        Exporter(
            name="app",
            metrics=[
                Metric(
                    name="jobs_total",
                    type=MetricType.COUNTER,
                    help="Jobs.",
                    labels=["result"],
                    healthy=Rate(per_second=5, labels={"result": {"ok": 0.99, "failed": 0.01}}),
                ),
                Metric(
                    name="queue_depth",
                    type=MetricType.GAUGE,
                    help="Queue.",
                    healthy=Level(value=3),
                ),
                Metric(
                    name="job_seconds",
                    type=MetricType.HISTOGRAM,
                    help="Job time.",
                    healthy=Latency(median=0.1, per_second=5),
                ),
                Metric(name="unserved", type=MetricType.GAUGE, help="Not simulated."),
            ],
        ),
        Exporter(
            name="cache",
            metrics=[
                Metric(
                    name="cache_hits_total",
                    type=MetricType.COUNTER,
                    help="Hits.",
                    healthy=Rate(per_second=50),
                )
            ],
        ),
    ]
)


def alert(name: str, expr: str, fault: Fault, severity: Severity = Severity.WARNING) -> AlertRule:
    return AlertRule(
        name=name,
        expr=expr,
        severity=severity,
        team=TEAM,
        summary="s",
        description="d",
        runbook_url="https://runbooks.example/x",
        scenario=Scenario(fault=fault),
    )


FAILING = Fault(
    name="jobs-failing",
    changes=[ScaleRate(metric="jobs_total", where={"result": "failed"}, factor=40)],
)
QUEUE = Fault(name="queue-full", changes=[SetGauge(metric="queue_depth", value=500)])
SLOW = Fault(name="slow-jobs", changes=[ShiftLatency(metric="job_seconds", factor=30)])
CACHE_DOWN = Fault(name="cache-down", changes=[StopTarget(job="cache")])
APP_DOWN = Fault(name="app-down", changes=[StopTarget(job="app")])

failing = alert("JobsFailing", 'rate(jobs_total{result="failed"}[5m]) > 0.1', FAILING)
queue = alert("QueueFull", "queue_depth > 100", QUEUE)
slow = alert(
    "JobsSlow", "histogram_quantile(0.9, sum by (le) (rate(job_seconds_bucket[5m]))) > 1", SLOW
)
cache_down = alert("CacheDown", 'up{job="cache"} == 0', CACHE_DOWN)
app_down = alert("AppDown", 'up{job="app"} == 0', APP_DOWN)


def planner(*alerts: AlertRule, inhibit: list[dict[str, object]] | None = None) -> Planner:
    return Planner([CATALOG], [RuleGroup(name="g", rules=list(alerts))], inhibit or [])


def names(waves: list[list[AlertRule]]) -> list[set[str]]:
    return [{a.name for a in wave} for wave in waves]


def test_faults_on_different_metrics_share_a_wave() -> None:
    waves = planner(failing, queue, slow, cache_down).waves([failing, queue, slow, cache_down])
    assert names(waves) == [{"JobsFailing", "QueueFull", "JobsSlow", "CacheDown"}]


def test_a_second_fault_on_the_same_metric_waits() -> None:
    other = alert(
        "JobsStalled",
        "rate(jobs_total[5m]) < 1",
        Fault(name="jobs-stalled", changes=[ScaleRate(metric="jobs_total", factor=0)]),
    )
    assert names(planner(failing, other).waves([failing, other])) == [
        {"JobsFailing"},
        {"JobsStalled"},
    ]


def test_a_stopped_target_waits_for_every_alert_that_reads_its_metrics() -> None:
    # The app's target going silent would empty JobsFailing's and QueueFull's series.
    alerts = [failing, queue, app_down, cache_down]
    waves = names(planner(*alerts).waves(alerts))
    assert {"AppDown"} in waves
    assert any({"JobsFailing", "QueueFull"} <= wave for wave in waves)
    assert not any({"AppDown", "CacheDown"} <= wave for wave in waves), "both bend up"


def test_a_fault_that_bends_what_another_alert_reads_waits() -> None:
    ratio = alert(
        "QueueVersusJobs",
        "queue_depth / rate(jobs_total[5m]) > 50",
        Fault(name="queue-grows", changes=[SetGauge(metric="queue_depth", value=900)]),
    )
    # failing's fault bends jobs_total, which the ratio reads.
    assert len(planner(failing, ratio).waves([failing, ratio])) == 2


def test_a_recorded_series_is_read_through_its_recording_rule() -> None:
    recorded = alert("FailuresRecorded", "job:failures:rate5m > 0.1", QUEUE)
    rule = RecordingRule(record="job:failures:rate5m", expr="rate(jobs_total[5m])")
    plan = Planner([CATALOG], [RuleGroup(name="g", rules=[rule, recorded, failing])])
    assert plan.reads.metrics(recorded.expression) == {"jobs_total"}
    assert len(plan.waves([recorded, failing])) == 2


def test_one_fault_proves_two_alerts_in_one_wave() -> None:
    twin = alert("JobsFailingToo", 'increase(jobs_total{result="failed"}[5m]) > 10', FAILING)
    assert names(planner(failing, twin).waves([failing, twin])) == [
        {"JobsFailing", "JobsFailingToo"}
    ]


INHIBIT = [
    {
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["environment"],
    }
]


def test_an_alert_that_could_inhibit_another_runs_in_another_wave() -> None:
    critical = alert("QueueFull", "queue_depth > 100", QUEUE, severity=Severity.CRITICAL)
    plan = planner(critical, failing, inhibit=INHIBIT)
    assert plan.may_inhibit(critical, failing)
    assert not plan.may_inhibit(failing, critical)
    assert len(plan.waves([critical, failing])) == 2


def test_inhibition_on_alertname_cannot_join_two_different_alerts() -> None:
    by_name = [{**INHIBIT[0], "equal": ["alertname", "environment"]}]
    critical = alert("QueueFull", "queue_depth > 100", QUEUE, severity=Severity.CRITICAL)
    plan = planner(critical, failing, inhibit=by_name)
    assert not plan.may_inhibit(critical, failing)
    assert len(plan.waves([critical, failing])) == 1


def problems(*alerts: AlertRule) -> list[str]:
    return [e.message for e in planner(*alerts).problems(list(alerts), [])]


def test_changes_must_fit_what_the_catalog_serves() -> None:
    bad = [
        Fault(name="a", changes=[SetGauge(metric="jobs_total", value=1)]),
        Fault(name="b", changes=[ShiftLatency(metric="queue_depth", factor=2)]),
        Fault(name="c", changes=[ScaleRate(metric="nope_total", factor=2)]),
        Fault(name="d", changes=[ScaleRate(metric="jobs_total", where={"kind": "x"}, factor=2)]),
        Fault(name="e", changes=[ScaleRate(metric="jobs_total", where={"result": "x"}, factor=2)]),
        Fault(name="f", changes=[StopTarget(job="nobody")]),
        Fault(name="g", changes=[DropSeries(metric="unserved")]),
    ]
    found = problems(*(alert(f"A{i}", "queue_depth > 1", f) for i, f in enumerate(bad)))
    assert any("SetGauge(jobs_total): the metric is a counter" in m for m in found)
    assert any("ShiftLatency(queue_depth): the metric is a gauge" in m for m in found)
    assert any("ScaleRate(nope_total): the catalog has no such metric" in m for m in found)
    assert any("where= names label 'kind'" in m for m in found)
    assert any("no healthy series has result='x'" in m for m in found)
    assert any("stops job 'nobody', which serves nothing" in m for m in found)
    assert any("DropSeries(unserved): the metric has no healthy behaviour" in m for m in found)


def test_an_alert_reading_an_unserved_metric_is_refused() -> None:
    found = problems(alert("Unserved", "unserved > 1", QUEUE))
    assert found == [
        "alert Unserved reads unserved, which verify's simulated system does not serve"
    ]


def test_two_faults_with_one_name_are_refused() -> None:
    impostor = Fault(name="queue-full", changes=[SetGauge(metric="queue_depth", value=1)])
    found = problems(queue, alert("Other", "queue_depth > 100", impostor))
    assert any("two different faults are named queue-full" in m for m in found)


def test_the_pfm_project_plans_two_waves() -> None:
    project = load_project(load_config(ROOT))
    plan = Planner(project.catalogs, project.groups)
    assert plan.problems(project.alerts, project.dashboards) == []
    waves = names(plan.waves(project.alerts))
    assert waves[-1] == {"ServiceDown"}, "the stopped backend would silence the others"
    assert sum(len(w) for w in waves) == len(project.alerts) == 12


def test_verify_refuses_unprovable_declarations_with_file_and_line(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "dashboards/catalog.py": """
                from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType
                CATALOG = Catalog(exporters=[Exporter(name="app", metrics=[
                    Metric(name="queue_depth", type=MetricType.GAUGE, help="Queue."),
                ])])
            """,
            "alerts/rules.py": """
                from pfm_dash import (
                    AlertRule, AlertTest, Expect, Fault, Receiver, RuleGroup, Scenario, Series,
                    SetGauge, Severity, Team,
                )
                OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
                FULL = Fault(name="queue-full", changes=[SetGauge(metric="queue_depth", value=9)])
                full = AlertRule(
                    name="QueueFull", expr="queue_depth > 5", severity=Severity.WARNING,
                    team=OPS, summary="s", description="d", runbook_url="https://r",
                    scenario=Scenario(fault=FULL),
                    tests=[
                        AlertTest(name="full", series=[Series(series="queue_depth", values="9")],
                                  at="0m", expect=[Expect()]),
                        AlertTest(name="ok", series=[Series(series="queue_depth", values="1")],
                                  at="0m"),
                    ],
                )
                unproven = AlertRule(
                    name="Unproven", expr="queue_depth > 50", severity=Severity.WARNING,
                    team=OPS, summary="s", description="d", runbook_url="https://r",
                    tests=[
                        AlertTest(name="full", series=[Series(series="queue_depth", values="90")],
                                  at="0m", expect=[Expect()]),
                        AlertTest(name="ok", series=[Series(series="queue_depth", values="1")],
                                  at="0m"),
                    ],
                )
                group = RuleGroup(name="g", rules=[full, unproven])
            """,
        }
    )
    result = run_cli("verify", cwd=root)
    assert result.code == 2, result.text
    assert "alerts/rules.py:19: error: alert Unproven has no scenario" in result.err
    assert (
        "alerts/rules.py:7: error: fault queue-full: SetGauge(queue_depth): the metric has no "
        "healthy behaviour" in result.err
    )
    assert "dashboards/catalog.py:4: error: alert QueueFull reads queue_depth" in result.err
    assert "declare healthy=... on it at dashboards/catalog.py:4" in result.err
    assert "Traceback" not in result.text


def test_an_alert_too_slow_to_prove_is_refused_with_a_time_scale_that_fits(
    make_project: MakeProject,
) -> None:
    root = make_project(
        {
            "dashboards/catalog.py": """
                from pfm_dash import Level
                from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType
                CATALOG = Catalog(exporters=[Exporter(name="app", metrics=[
                    Metric(name="queue_depth", type=MetricType.GAUGE, help="Queue.",
                           healthy=Level(value=1)),
                ])])
            """,
            "alerts/rules.py": """
                from pfm_dash import (
                    AlertRule, AlertTest, Expect, Fault, Receiver, RuleGroup, Scenario, Series,
                    Severity, StopTarget, Team,
                )
                OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
                DOWN = Fault(name="app-down", changes=[StopTarget(job="app")])
                slow = AlertRule(
                    name="SlowBurn", expr="changes(up[1m]) > 0", for_="6h",
                    severity=Severity.WARNING,
                    team=OPS, summary="s", description="d", runbook_url="https://r",
                    scenario=Scenario(fault=DOWN),
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
    # A 1m window cannot shrink below 3 s, so the default scale stays 60 for this rule.
    assert "alert SlowBurn needs 361s after its fault to fire at time scale 60" in result.err
    assert "time_scale=181" in result.err and "alerts/rules.py:" in result.err
