"""The simulated system's series: every catalog metric that declares its healthy behaviour.

Nothing here knows an application. A :class:`World` is read from the project's declarations
(its catalog's behaviours, its :class:`~pfm_dash.model.simulation.Simulation`, the faults of
its alerts' scenarios); each :class:`TargetState` is one exporter in one environment, and
advances its series by the time since its previous scrape, so counters grow at their declared
rates, in gentle waves, whatever the scrape interval. An active fault bends the series its
changes select, in the environment the simulation strikes only.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pfm_dash.catalog import Catalog, Metric, MetricType
from pfm_dash.model.base import duration_seconds
from pfm_dash.model.simulation import (
    Change,
    DropSeries,
    Fault,
    LabelSet,
    Latency,
    Level,
    Rate,
    ScaleRate,
    SetGauge,
    ShiftLatency,
    Simulation,
    Swing,
)

WAVE = 0.25  # traffic swings by a quarter either way
WAVE_PERIOD_S = 44.0  # about the length of a verify run: every phase is seen
NOISE = 0.05


@dataclass(frozen=True)
class Served:
    """One exporter: the job that scrapes it and the metrics it serves."""

    job: str
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class World:
    """Everything the simulator serves, from the declarations; pickled to its process."""

    exporters: tuple[Served, ...]
    simulation: Simulation
    faults: dict[str, Fault] = field(default_factory=dict)
    seed: int = 7

    @classmethod
    def of(
        cls, catalogs: Iterable[Catalog], simulation: Simulation, faults: Iterable[Fault]
    ) -> World:
        served: dict[str, list[Metric]] = {}  # exporters of one name are one scrape job
        for catalog in catalogs:
            for exporter in catalog.exporters:
                metrics = served.setdefault(exporter.name, [])
                metrics += [m for m in exporter.metrics if m.healthy is not None]
        exporters = [Served(job, tuple(metrics)) for job, metrics in served.items() if metrics]
        return cls(tuple(exporters), simulation, {f.name: f for f in faults})

    def environments(self) -> list[tuple[str, float]]:
        """(environment, busyness); one unnamed environment when the project declares none."""
        return list(self.simulation.environments.items()) or [("", 1.0)]

    def struck(self, environment: str) -> bool:
        """Whether faults apply in ``environment``."""
        return not self.simulation.environments or environment == self.simulation.faults_in


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: LabelSet, extra: tuple[tuple[str, str], ...] = ()) -> str:
    pairs = [*labels, *extra]
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


@dataclass
class _Histogram:
    buckets: list[float]
    total: float = 0.0
    count: float = 0.0


class TargetState:
    """One exporter in one environment: its series, advanced at each scrape."""

    def __init__(self, world: World, served: Served, environment: str, busy: float, seed: int):
        self.world, self.served, self.environment, self.busy = world, served, environment, busy
        self.struck = world.struck(environment)
        self.rng = random.Random(seed)
        self.phase = self.rng.uniform(0, 2 * math.pi)
        self.started = self.last = time.monotonic()
        self.counters: dict[tuple[str, LabelSet], float] = {}
        self.histograms: dict[tuple[str, LabelSet], _Histogram] = {}
        label = world.simulation.environment_label
        self.extra: tuple[tuple[str, str], ...] = ((label, environment),) if environment else ()
        self.series = {m.name: m.healthy.series() for m in served.metrics if m.healthy}

    def _changes(self, active: Iterable[Fault], metric: str, labels: LabelSet) -> Iterator[Change]:
        """The active changes that bend this series (none outside the struck environment)."""
        if not self.struck:
            return
        changes = (c for fault in active for c in fault.changes if isinstance(c, Change))
        yield from (c for c in changes if c.metric == metric and c.selects(labels))

    def scrape(self, active: list[Fault]) -> bytes:
        """Advance every series to now, under the active faults, and expose them as text."""
        now = time.monotonic()
        age, dt, self.last = now - self.started, now - self.last, now
        wave = 1 + WAVE * math.sin(2 * math.pi * age / WAVE_PERIOD_S + self.phase)
        wave += self.rng.uniform(-NOISE, NOISE)
        lines: list[str] = []
        for metric in self.served.metrics:
            assert metric.healthy is not None
            kind = "histogram" if metric.type is MetricType.HISTOGRAM else metric.type.value
            lines.append(f"# HELP {metric.name} {metric.help.replace(chr(10), ' ')}")
            lines.append(f"# TYPE {metric.name} {kind}")
            for labels, weight in self.series[metric.name]:
                changes = list(self._changes(active, metric.name, labels))
                if any(isinstance(c, DropSeries) for c in changes):
                    continue
                lines += self._one(metric, labels, weight, changes, age, dt, wave)
        return ("\n".join(lines) + "\n").encode()

    def _one(
        self,
        metric: Metric,
        labels: LabelSet,
        weight: float,
        changes: list[Change],
        age: float,
        dt: float,
        wave: float,
    ) -> list[str]:
        healthy = metric.healthy
        key = (metric.name, labels)
        shown = _labels(labels, self.extra)
        factor = math.prod(c.factor for c in changes if isinstance(c, ScaleRate))
        if isinstance(healthy, Rate):
            rate = healthy.per_second * weight * self.busy * wave * factor
            self.counters[key] = self.counters.get(key, 0.0) + rate * dt
            return [f"{metric.name}{shown} {_number(self.counters[key])}"]
        if isinstance(healthy, Level | Swing):
            if isinstance(healthy, Level):
                value = healthy.value * weight
            else:
                turn = math.sin(2 * math.pi * age / duration_seconds(healthy.period) + self.phase)
                value = (healthy.low + (healthy.high - healthy.low) * (0.5 + 0.5 * turn)) * weight
            for change in changes:
                if isinstance(change, SetGauge):
                    value = change.value
            return [f"{metric.name}{shown} {_number(value)}"]
        assert isinstance(healthy, Latency)
        median = healthy.median * math.prod(
            c.factor for c in changes if isinstance(c, ShiftLatency)
        )
        hist = self.histograms.setdefault(key, _Histogram([0.0] * len(healthy.buckets)))
        n = healthy.per_second * weight * self.busy * wave * factor * dt
        for i, bound in enumerate(healthy.buckets):
            hist.buckets[i] += n * healthy.share_below(bound, median)
        hist.total += n * median * math.exp(healthy.spread**2 / 2)  # the log-normal mean
        hist.count += n
        out = [
            f"{metric.name}_bucket{_labels(labels, (*self.extra, ('le', _number(b))))} {_number(v)}"
            for b, v in zip(healthy.buckets, hist.buckets, strict=True)
        ]
        out.append(
            f"{metric.name}_bucket{_labels(labels, (*self.extra, ('le', '+Inf')))} "
            f"{_number(hist.count)}"
        )
        out.append(f"{metric.name}_sum{shown} {_number(hist.total)}")
        out.append(f"{metric.name}_count{shown} {_number(hist.count)}")
        return out


def targets(world: World) -> list[TargetState]:
    """One target per exporter and environment, each with its own seed."""
    out = []
    for i, (environment, busy) in enumerate(world.environments()):
        for j, served in enumerate(world.exporters):
            out.append(TargetState(world, served, environment, busy, world.seed + 100 * i + j))
    return out
