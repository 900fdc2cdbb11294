"""The query step, ``$__interval`` and ``$__rate_interval``, computed as Grafana computes them.

Grafana's Prometheus backend (grafana/grafana pkg/promlib/models/query.go):

- ``calculatePrometheusInterval``: the step is the range divided by the panel's max data
  points (its width in pixels), never below the minimum interval (the query's ``interval``,
  else the datasource's scrape interval), rounded by ``gtime.RoundInterval``; and never below
  the range divided by ``safeResolution`` (11000), so Prometheus is not asked for too many points
  (pkg/promlib/intervalv2/intervalv2.go, ``Calculate`` and ``CalculateSafeInterval``).
- ``calculateRateInterval``: ``$__rate_interval = max($__interval + scrape, 4 * scrape)``.
"""

from __future__ import annotations

SAFE_RESOLUTION = 11000
DEFAULT_SCRAPE = 15.0  # Grafana's default when the datasource sets no scrape interval

# gtime.RoundInterval (grafana-plugin-sdk-go backend/gtime): an interval up to the left bound
# becomes the right one, so steps land on values people read easily.
_ROUNDING: tuple[tuple[float, float], ...] = (
    (0.010, 0.001),
    (0.015, 0.010),
    (0.035, 0.020),
    (0.075, 0.050),
    (0.150, 0.100),
    (0.350, 0.200),
    (0.750, 0.500),
    (1.5, 1),
    (3.5, 2),
    (7.5, 5),
    (12.5, 10),
    (17.5, 15),
    (25, 20),
    (45, 30),
    (90, 60),
    (210, 120),
    (450, 300),
    (750, 600),
    (1050, 900),
    (1500, 1200),
    (2700, 1800),
    (5400, 3600),
    (9000, 7200),
    (16200, 10800),
    (24300, 21600),
    (64800, 43200),
    (129600, 86400),
    (604800, 86400),
    (1814400, 604800),
    (3628800, 2592000),
)


def round_interval(seconds: float) -> float:
    """``seconds`` rounded to a readable step, as gtime.RoundInterval does."""
    for bound, rounded in _ROUNDING:
        if seconds <= bound:
            return rounded
    return 365 * 86400.0


def step(range_s: float, max_points: int, min_interval: float) -> float:
    """``$__interval`` and the query step, in seconds."""
    calculated = range_s / max(max_points, 1)
    interval = min_interval if calculated < min_interval else round_interval(calculated)
    return max(interval, round_interval(range_s / SAFE_RESOLUTION))


def rate_interval(interval: float, scrape: float) -> float:
    """``$__rate_interval``: at least four scrapes, and one scrape more than the step."""
    return max(interval + scrape, 4 * scrape)


def prom_duration(seconds: float) -> str:
    """A Prometheus duration string for ``seconds`` (milliseconds kept when needed)."""
    ms = round(seconds * 1000)
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"
