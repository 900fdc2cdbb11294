"""$__interval and $__rate_interval as Grafana computes them (pkg/promlib/models/query.go)."""

from __future__ import annotations

from pfm_dash.preview.intervals import prom_duration, rate_interval, round_interval, step


def test_rate_interval_is_at_least_four_scrapes() -> None:
    assert rate_interval(15, 15) == 60  # max(15 + 15, 4 * 15)
    assert rate_interval(1, 1) == 4
    assert rate_interval(60, 15) == 75  # one scrape more than the step when that is longer


def test_step_is_range_over_width_rounded_never_below_the_scrape_interval() -> None:
    assert step(6 * 3600, 1000, 15) == 20  # 21.6 s rounds to 20 s
    assert step(300, 1000, 15) == 15  # 0.3 s is below the scrape interval
    assert step(7 * 86400, 1000, 15) == 600  # 604.8 s rounds to 10 m
    assert round_interval(0.3) == 0.2 and round_interval(100) == 120


def test_prom_duration() -> None:
    assert prom_duration(60) == "60s" and prom_duration(1.5) == "1500ms"
