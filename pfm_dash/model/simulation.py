"""How the monitored system behaves, declared with the monitoring, for ``pfm-dash verify``.

Verify proves alerts against a simulated system: every metric of the catalog that declares its
``healthy`` behaviour is served, label set by label set, and a :class:`Fault` bends some of
those series while one alert is being proven. The generators here know nothing of any
application: a counter at a rate, a gauge at a level or swinging in a range, a histogram around
a latency. What the application's metrics look like (which routes, which labels, how busy) is
the project's to declare, beside its catalog, as it is the project's to know.

Label sets: ``labels={"status": {"200": 0.95, "500": 0.05}}`` gives one series per value, each
carrying its weight (a share of a rate, a multiple of a level); several labels multiply out.
Values that only occur together (a method with its route) are rows of :class:`Split`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import product
from typing import TypeAlias

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, check_duration, declaration, fail, freeze, freeze_map
from pfm_dash.records import field

LabelValues: TypeAlias = Mapping[str, float] | Sequence[str]
LabelSet: TypeAlias = tuple[tuple[str, str], ...]
"""One series' own labels, sorted by name: hashable, and the order exposition writes them."""

# Prometheus' client default buckets, in seconds: a sensible grid around web latencies.
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_FAULT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@declaration
class Split:
    """Label values that occur together (a method with its route), and the weight they carry."""

    labels: Mapping[str, str]
    weight: float = 1.0
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze_map(self, "labels", self.labels)
        if not self.labels:
            raise fail(self.location, "Split(labels=...) is empty", "name at least one label")
        if self.weight < 0:
            raise fail(self.location, f"Split weight must be 0 or more, not {self.weight}")


@declaration
class Behaviour:
    """What every healthy behaviour has: the label sets it is served with."""

    labels: Mapping[str, LabelValues] = field(default_factory=dict)
    split: Sequence[Split] = ()
    location: Location = LOCATION

    def __post_init__(self) -> None:
        weighted: dict[str, dict[str, float]] = {}
        for name, values in self.labels.items():
            if isinstance(values, Mapping):
                weighted[name] = {str(v): float(w) for v, w in values.items()}
            else:
                weighted[name] = dict.fromkeys(values, 1.0)
            if not weighted[name]:
                raise fail(self.location, f"label {name!r} has no values", "list at least one")
            bad = [w for w in weighted[name].values() if w < 0]
            if bad:
                raise fail(self.location, f"label {name!r} has a negative weight {bad[0]}")
        object.__setattr__(self, "labels", weighted)
        freeze(self, "split", self.split)
        rows = {tuple(sorted(s.labels)) for s in self.split}
        if len(rows) > 1:
            raise fail(
                self.location,
                "every Split of one behaviour must name the same labels",
                "give each row the same label names, with different values",
            )
        clash = set(next(iter(rows), ())) & set(self.labels)
        if clash:
            raise fail(
                self.location,
                f"label {sorted(clash)[0]!r} is in both labels= and split=",
                "name each label in one of them",
            )
        self.check()

    def check(self) -> None:
        """A kind's own checks, run after the label sets are read."""

    def weights(self, label: str) -> Mapping[str, float]:
        """Each value of ``label`` and its weight (read as a mapping once declared)."""
        values = self.labels[label]
        return values if isinstance(values, Mapping) else dict.fromkeys(values, 1.0)

    def label_names(self) -> frozenset[str]:
        return frozenset(self.labels) | {n for s in self.split for n in s.labels}

    def series(self) -> list[tuple[LabelSet, float]]:
        """Each series' labels and weight: the splits times every combination of labels."""
        rows = [(dict(s.labels), s.weight) for s in self.split] or [({}, 1.0)]
        dims = [[(name, v, w) for v, w in self.weights(name).items()] for name in self.labels]
        out: list[tuple[LabelSet, float]] = []
        for row, row_weight in rows:
            for combo in product(*dims):
                labels = dict(row)
                weight = row_weight
                for name, value, w in combo:
                    labels[name] = value
                    weight *= w
                out.append((tuple(sorted(labels.items())), weight))
        return out


@declaration
class Rate(Behaviour):
    """A counter growing at ``per_second`` (times each series' weight), in gentle waves."""

    per_second: float

    def check(self) -> None:
        if self.per_second < 0:
            raise fail(self.location, f"Rate(per_second={self.per_second}) must be 0 or more")


@declaration
class Level(Behaviour):
    """A gauge holding ``value`` (times each series' weight)."""

    value: float


@declaration
class Swing(Behaviour):
    """A gauge moving between ``low`` and ``high`` (times each series' weight) over ``period``."""

    low: float
    high: float
    period: str = "1m"

    def check(self) -> None:
        check_duration(self.period, "Swing period", self.location)
        if self.high < self.low:
            raise fail(self.location, f"Swing low {self.low} is above high {self.high}")


@declaration
class Latency(Behaviour):
    """A histogram of ``per_second`` observations (times each series' weight), log-normally
    spread around ``median`` seconds; ``buckets`` are the exporter's upper bounds."""

    median: float
    per_second: float
    buckets: Sequence[float] = DEFAULT_BUCKETS
    spread: float = 0.5

    def check(self) -> None:
        freeze(self, "buckets", [float(b) for b in self.buckets])
        if self.median <= 0 or self.per_second < 0 or self.spread <= 0:
            raise fail(
                self.location,
                "Latency needs median > 0, per_second >= 0 and spread > 0",
                "e.g. Latency(median=0.08, per_second=20)",
            )
        if not self.buckets or list(self.buckets) != sorted(set(self.buckets)):
            raise fail(self.location, "Latency buckets must be increasing upper bounds")

    def share_below(self, bound: float, median: float) -> float:
        """Share of observations at or below ``bound`` seconds, around ``median``."""
        return 0.5 * (1 + math.erf(math.log(bound / median) / (self.spread * math.sqrt(2))))


# --- faults: what changes while one alert is proven -----------------------------------------


@declaration
class Change:
    """What every change names: the metric it bends and which of its series (label values)."""

    metric: str
    where: Mapping[str, str] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze_map(self, "where", self.where)
        for name in self.where:
            if not _LABEL.match(name):
                raise fail(self.location, f"{type(self).__name__}: invalid label name {name!r}")
        self.check()

    def check(self) -> None:
        """A kind's own checks."""

    def selects(self, labels: LabelSet) -> bool:
        own = dict(labels)
        return all(own.get(name) == value for name, value in self.where.items())


@declaration
class SetGauge(Change):
    """The selected gauge series read ``value``."""

    value: float


@declaration
class ScaleRate(Change):
    """The selected counter (or histogram) series grow ``factor`` times as fast; 0 stops them."""

    factor: float

    def check(self) -> None:
        if self.factor < 0:
            raise fail(self.location, f"ScaleRate factor must be 0 or more, not {self.factor}")


@declaration
class ShiftLatency(Change):
    """The selected histogram series' median latency is multiplied by ``factor``."""

    factor: float

    def check(self) -> None:
        if self.factor <= 0:
            raise fail(self.location, f"ShiftLatency factor must be above 0, not {self.factor}")


@declaration
class DropSeries(Change):
    """The selected series are no longer exposed (a label set that vanishes)."""


@declaration
class StopTarget:
    """The scrape target of exporter ``job`` stops answering: Prometheus' ``up`` turns 0."""

    job: str
    location: Location = LOCATION


AnyChange: TypeAlias = SetGauge | ScaleRate | ShiftLatency | DropSeries | StopTarget


@declaration
class Fault:
    """A named way the system breaks: which series change and how.

    Declare it once and name it in as many scenarios as it proves; two faults of one project
    may not share a name. Changes apply in the environment the project's :class:`Simulation`
    strikes (``faults_in``), so the other environments stay healthy.
    """

    name: str
    changes: Sequence[AnyChange]
    description: str = ""
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "changes", self.changes)
        if not _FAULT_NAME.match(self.name):
            raise fail(
                self.location,
                f"fault name {self.name!r} must be lower-case words joined by dashes",
                "e.g. Fault(name='cache-misses', ...)",
            )
        if not self.changes:
            raise fail(
                self.location,
                f"fault {self.name} changes nothing",
                "list what breaks, e.g. changes=[ScaleRate(metric=..., factor=20)]",
            )

    def metrics(self) -> frozenset[str]:
        """The metrics the changes name (a stopped target is resolved against the catalog)."""
        return frozenset(c.metric for c in self.changes if isinstance(c, Change))

    def stopped_jobs(self) -> frozenset[str]:
        return frozenset(c.job for c in self.changes if isinstance(c, StopTarget))


@declaration
class Simulation:
    """Where the simulated system runs: its environments and where faults strike.

    ``environments`` maps each environment to how busy it is (rates are multiplied by it);
    they become the ``environment_label`` of every target, as a scrape config's target labels
    do. Without environments, targets carry no such label and faults apply everywhere.
    """

    environments: Mapping[str, float] = field(default_factory=dict)
    faults_in: str = ""
    environment_label: str = "environment"
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze_map(self, "environments", {k: float(v) for k, v in self.environments.items()})
        if self.environments and self.faults_in not in self.environments:
            raise fail(
                self.location,
                f"Simulation faults_in={self.faults_in!r} is not one of its environments",
                f"use one of {', '.join(self.environments)}",
            )
        if not self.environments and self.faults_in:
            raise fail(self.location, "Simulation faults_in needs environments= to choose from")
        if not _LABEL.match(self.environment_label):
            raise fail(self.location, f"invalid label name {self.environment_label!r}")
