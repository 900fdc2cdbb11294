"""The simulated system over real sockets: it serves what the declarations say, as Prometheus'
own parser reads it, and a fault bends only the series it selects, where the project strikes."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from conftest import ROOT
from prometheus_client.parser import text_string_to_metric_families

from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType
from pfm_dash.model import (
    DropSeries,
    Fault,
    Latency,
    Level,
    Rate,
    ScaleRate,
    SetGauge,
    ShiftLatency,
    Simulation,
    Split,
    StopTarget,
    Swing,
)
from pfm_dash.project import Project, load_config, load_project
from pfm_dash.verify.backend import World
from pfm_dash.verify.plan import Reads
from pfm_dash.verify.simulator import Simulator, Target

CATALOG = Catalog(
    exporters=[
        Exporter(
            name="shop",
            metrics=[
                Metric(
                    name="orders_total",
                    type=MetricType.COUNTER,
                    help="Orders.",
                    labels=["method", "route", "status"],
                    healthy=Rate(
                        per_second=1,
                        split=[
                            Split(labels={"method": "GET", "route": "/cart"}, weight=10),
                            Split(labels={"method": "POST", "route": "/pay"}, weight=2),
                        ],
                        labels={"status": {"200": 0.95, "500": 0.05}},
                    ),
                ),
                Metric(
                    name="stock_level",
                    type=MetricType.GAUGE,
                    help="Stock.",
                    labels=["item"],
                    healthy=Swing(low=10, high=20, period="4s", labels={"item": ["a", "b"]}),
                ),
                Metric(
                    name="pay_seconds",
                    type=MetricType.HISTOGRAM,
                    help="Payment time.",
                    healthy=Latency(median=0.05, per_second=200),
                ),
            ],
        ),
        Exporter(
            name="db",
            metrics=[
                Metric(name="db_up_level", type=MetricType.GAUGE, help="x", healthy=Level(value=1)),
                Metric(name="db_unserved", type=MetricType.GAUGE, help="Not simulated."),
            ],
        ),
    ],
)
FAULTS = [
    Fault(
        name="pay-errors",
        changes=[ScaleRate(metric="orders_total", where={"status": "500"}, factor=20)],
    ),
    Fault(
        name="out-of-stock", changes=[SetGauge(metric="stock_level", where={"item": "a"}, value=0)]
    ),
    Fault(name="pay-slow", changes=[ShiftLatency(metric="pay_seconds", factor=100)]),
    Fault(name="item-gone", changes=[DropSeries(metric="stock_level", where={"item": "b"})]),
    Fault(name="db-down", changes=[StopTarget(job="db")]),
]
SIMULATION = Simulation(environments={"live": 1.0, "test": 0.1}, faults_in="live")


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    sim = Simulator(World.of([CATALOG], SIMULATION, FAULTS))
    sim.start()
    yield sim
    sim.stop()


def target(sim: Simulator, job: str, env: str) -> Target:
    return next(t for t in sim.targets if t.job == job and t.environment == env)


def samples(t: Target) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = requests.get(f"http://127.0.0.1:{t.port}/metrics", timeout=5).text
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return sum(v for (n, ls), v in found.items() if n == name and set(labels.items()) <= ls)


def test_every_declared_series_is_served_per_environment(simulator: Simulator) -> None:
    assert sorted((t.job, t.environment) for t in simulator.targets) == [
        ("db", "live"),
        ("db", "test"),
        ("shop", "live"),
        ("shop", "test"),
    ]
    shop = samples(target(simulator, "shop", "live"))
    orders = {dict(ls)["route"] + " " + dict(ls)["status"] for n, ls in shop if n == "orders_total"}
    assert orders == {"/cart 200", "/cart 500", "/pay 200", "/pay 500"}
    assert all(dict(ls)["environment"] == "live" for _, ls in shop)
    assert {n for n, _ in shop} >= {"pay_seconds_bucket", "pay_seconds_sum", "pay_seconds_count"}
    assert not any(n == "db_unserved" for n, _ in samples(target(simulator, "db", "live")))


def test_counters_grow_at_their_rate_and_environments_at_their_share(simulator: Simulator) -> None:
    live, test = target(simulator, "shop", "live"), target(simulator, "shop", "test")
    before_live, before_test = samples(live), samples(test)
    time.sleep(1.0)
    after_live, after_test = samples(live), samples(test)
    grown = value(after_live, "orders_total") - value(before_live, "orders_total")
    assert 12 * 0.6 < grown < 12 * 1.6, "12 orders a second, waves of a quarter"
    grown_test = value(after_test, "orders_total") - value(before_test, "orders_total")
    assert grown_test < grown / 4, "test sees a tenth of live's traffic"
    buckets = sorted(
        (float(dict(ls)["le"]), v) for (n, ls), v in after_live.items() if n == "pay_seconds_bucket"
    )
    counts = [v for _, v in buckets]
    assert counts == sorted(counts), "cumulative buckets never decrease"
    assert counts[-1] == pytest.approx(value(after_live, "pay_seconds_count"))


def test_a_fault_bends_only_what_it_selects_where_the_project_strikes(
    simulator: Simulator,
) -> None:
    live, test = target(simulator, "shop", "live"), target(simulator, "shop", "test")
    simulator.switch("out-of-stock", True)
    simulator.switch("item-gone", True)
    found, other = samples(live), samples(test)
    assert value(found, "stock_level", item="a") == 0
    assert value(found, "stock_level", item="b") == 0 and not any(
        dict(ls).get("item") == "b" for n, ls in found if n == "stock_level"
    ), "dropped"
    assert 10 <= value(other, "stock_level", item="a") <= 20, "the test environment is healthy"
    simulator.switch("out-of-stock", False)
    assert value(samples(live), "stock_level", item="a") >= 10


def test_scaled_rates_and_shifted_latency(simulator: Simulator) -> None:
    live = target(simulator, "shop", "live")
    simulator.switch("pay-errors", True)
    simulator.switch("pay-slow", True)
    before = samples(live)
    time.sleep(1.0)
    after = samples(live)

    def grown(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    errors, ok = grown("orders_total", status="500"), grown("orders_total", status="200")
    assert errors / (errors + ok) > 0.4, "20 times the 5% of errors"
    fast = grown("pay_seconds_bucket", le="0.1") / grown("pay_seconds_count")
    assert fast < 0.05, "the median moved from 50 ms to 5 s"


def test_a_stopped_target_accepts_and_says_nothing(simulator: Simulator) -> None:
    live, test = target(simulator, "db", "live"), target(simulator, "db", "test")
    url = f"http://127.0.0.1:{live.port}/metrics"
    assert requests.get(url, timeout=5).status_code == 200
    simulator.switch("db-down", True)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)
    assert samples(test), "only where the project strikes"
    simulator.switch("db-down", False)
    assert requests.get(url, timeout=5).status_code == 200


def test_the_control_endpoint_switches_faults_by_name(simulator: Simulator) -> None:
    from pfm_dash.verify.simulator import control_server

    server = control_server(simulator)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert requests.put(f"{base}/faults/pay-slow", timeout=5).json() == ["pay-slow"]
        assert requests.get(f"{base}/faults", timeout=5).json() == ["pay-slow"]
        assert requests.put(f"{base}/faults/nope", timeout=5).status_code == 404
        assert requests.delete(f"{base}/faults/pay-slow", timeout=5).json() == []
    finally:
        server.shutdown()


def test_the_pfm_simulation_serves_every_metric_its_queries_read() -> None:
    project: Project = load_project(load_config(ROOT))
    faults = [a.scenario.fault for a in project.alerts if a.scenario]
    sim = Simulator(World.of(project.catalogs, project.simulation, faults))
    sim.start()
    try:
        served = {
            (n, dict(ls).get("environment", "")) for t in sim.targets for (n, ls) in samples(t)
        }
    finally:
        sim.stop()
    reads = Reads({}, project.groups)
    exprs = [a.expression for a in project.alerts]
    exprs += [q.expr for d in project.dashboards for p in d.all_panels() for q in p.queries]
    wanted = {n for e in exprs for n in reads.names(e)} - {"up", "ALERTS"}
    wanted -= {r.record for g in project.groups for r in g.rules if hasattr(r, "record")}
    for name in sorted(wanted):
        envs = {env for n, env in served if n == name}
        assert envs == {"production", "staging"}, f"{name} is served in {envs}"
