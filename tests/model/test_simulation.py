"""The simulation's declarations: label sets multiply out, and mistakes stop at their line."""

from __future__ import annotations

import pytest

from pfm_dash.catalog import Metric, MetricType
from pfm_dash.errors import DeclarationError
from pfm_dash.model import Fault, Latency, Level, Rate, ScaleRate, Simulation, Split, Swing


def test_labels_and_splits_multiply_out_with_their_weights() -> None:
    rate = Rate(
        per_second=10,
        split=[
            Split(labels={"method": "GET", "route": "/a"}, weight=3),
            Split(labels={"method": "POST", "route": "/b"}, weight=1),
        ],
        labels={"status": {"200": 0.9, "500": 0.1}, "zone": ["x"]},
    )
    series = dict(rate.series())
    assert len(series) == 4
    key = (("method", "GET"), ("route", "/a"), ("status", "500"), ("zone", "x"))
    assert series[key] == pytest.approx(0.3)
    assert rate.label_names() == {"method", "route", "status", "zone"}


def test_a_behaviour_without_labels_is_one_series() -> None:
    assert Level(value=4).series() == [((), 1.0)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Rate(per_second=-1), "must be 0 or more"),
        (lambda: Swing(low=5, high=1), "low 5 is above high 1"),
        (lambda: Swing(low=1, high=5, period="soon"), "period"),
        (lambda: Latency(median=0, per_second=1), "median > 0"),
        (lambda: Latency(median=1, per_second=1, buckets=[1, 0.5]), "increasing"),
        (lambda: Rate(per_second=1, labels={"a": {}}), "label 'a' has no values"),
        (
            lambda: Rate(per_second=1, split=[Split(labels={"a": "1"})], labels={"a": ["2"]}),
            "in both labels= and split=",
        ),
        (
            lambda: Rate(per_second=1, split=[Split(labels={"a": "1"}), Split(labels={"b": "1"})]),
            "must name the same labels",
        ),
        (lambda: Fault(name="Cache Misses", changes=[]), "lower-case words"),
        (lambda: Fault(name="nothing", changes=[]), "changes nothing"),
        (lambda: ScaleRate(metric="x_total", factor=-2), "0 or more"),
        (lambda: Simulation(environments={"prod": 1.0}, faults_in="staging"), "not one of"),
    ],
)
def test_mistakes_are_refused_at_the_declaration(make: object, message: str) -> None:
    with pytest.raises(DeclarationError) as caught:
        make()  # type: ignore[operator]
    assert message in caught.value.message
    assert caught.value.location.file.endswith("test_simulation.py")


def test_a_behaviour_must_fit_its_metric() -> None:
    with pytest.raises(DeclarationError, match="is a gauge: healthy=Rate"):
        Metric(name="g", type=MetricType.GAUGE, help="h", healthy=Rate(per_second=1))
    with pytest.raises(DeclarationError, match="names label 'route', which the metric"):
        Metric(
            name="c_total",
            type=MetricType.COUNTER,
            help="h",
            labels=["status"],
            healthy=Rate(per_second=1, labels={"route": ["/"]}),
        )
