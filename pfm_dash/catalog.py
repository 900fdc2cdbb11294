"""The metric catalog: what the monitored app and its exporters expose, typed.

The types live here; the entries are the user's, declared beside their dashboards
(``dashboards/catalog.py`` in the bundled project) and collected like dashboards and teams.
Which metrics exist is knowledge about the monitored system, not about pfm-dash, so it
belongs with the queries it vouches for, and a project adding an exporter edits its own
code, not ours.

``pfm-dash check`` resolves every selector against it: histogram and summary series
(``_bucket``, ``_sum``, ``_count``), the labels each carries (the metric's own, the exporter's
target labels and the catalog-wide ones Prometheus attaches at scrape), and the type that says
whether ``rate`` makes sense. ``pfm-dash verify`` serves each metric as its ``healthy``
behaviour says (see :mod:`pfm_dash.model.simulation`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, fail, freeze
from pfm_dash.model.simulation import Behaviour, Latency, Level, Rate, Swing
from pfm_dash.records import keyword_record, record

_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class MetricType(StrEnum):
    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    SUMMARY = "summary"


class SeriesKind(StrEnum):
    """What one series name is: a counter, a gauge, or a part of a histogram or summary."""

    COUNTER = "counter"
    GAUGE = "gauge"
    BUCKET = "bucket"
    SUM = "sum"
    COUNT = "count"
    QUANTILE = "quantile"

    @property
    def rateable(self) -> bool:
        """Monotonic counters, which ``rate``/``increase``/``irate`` are defined over."""
        return self in (SeriesKind.COUNTER, SeriesKind.BUCKET, SeriesKind.SUM, SeriesKind.COUNT)


@keyword_record
class Metric:
    """One metric family as its exporter documents it (labels without the target labels).

    ``healthy`` is how it behaves when all is well, for ``pfm-dash verify``'s simulated system;
    a metric without it is not served there.
    """

    name: str
    type: MetricType
    help: str
    labels: Sequence[str] = ()
    healthy: Behaviour | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "labels", self.labels)
        if not _NAME.match(self.name):
            raise fail(self.location, f"invalid metric name {self.name!r}")
        if not isinstance(self.type, MetricType):
            raise fail(self.location, f"metric {self.name}: type must be a MetricType")
        for label in self.labels:
            if not _LABEL.match(label) or label.startswith("__") or label in ("le", "quantile"):
                raise fail(
                    self.location,
                    f"metric {self.name}: invalid or reserved label {label!r}",
                    "le and quantile come from the histogram or summary type",
                )
        if not self.help.strip():
            raise fail(self.location, f"metric {self.name} has no help", "say what it measures")
        if self.healthy is not None:
            self._check_healthy(self.healthy)

    def _check_healthy(self, healthy: Behaviour) -> None:
        """The behaviour must fit the type, and name only the metric's own labels."""
        fits = {
            MetricType.COUNTER: (Rate,),
            MetricType.GAUGE: (Level, Swing),
            MetricType.HISTOGRAM: (Latency,),
        }.get(self.type, ())
        if not isinstance(healthy, fits):
            kinds = " or ".join(f"{k.__name__}(...)" for k in fits) or "nothing yet"
            raise fail(
                healthy.location,
                f"metric {self.name} is a {self.type.value}: healthy="
                f"{type(healthy).__name__}(...) does not fit it",
                f"a {self.type.value} is simulated by {kinds}",
            )
        unknown = sorted(healthy.label_names() - set(self.labels))
        if unknown:
            raise fail(
                healthy.location,
                f"metric {self.name}: healthy behaviour names label {unknown[0]!r}, "
                "which the metric does not have",
                f"its labels are {', '.join(self.labels) or 'none'}; add it to labels=",
            )

    def series(self) -> dict[str, tuple[SeriesKind, frozenset[str]]]:
        """Every series name the family exposes, with its kind and own labels."""
        own = frozenset(self.labels)
        if self.type is MetricType.COUNTER:
            return {self.name: (SeriesKind.COUNTER, own)}
        if self.type is MetricType.GAUGE:
            return {self.name: (SeriesKind.GAUGE, own)}
        parts = {
            f"{self.name}_sum": (SeriesKind.SUM, own),
            f"{self.name}_count": (SeriesKind.COUNT, own),
        }
        if self.type is MetricType.HISTOGRAM:
            parts[f"{self.name}_bucket"] = (SeriesKind.BUCKET, own | {"le"})
        else:
            parts[self.name] = (SeriesKind.QUANTILE, own | {"quantile"})
        return parts


@keyword_record
class Exporter:
    """Who exposes a set of metrics, and the target labels its scrape job attaches."""

    name: str
    metrics: Sequence[Metric]
    target_labels: Sequence[str] = ("job", "instance")
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "metrics", self.metrics)
        freeze(self, "target_labels", self.target_labels)


@record
class Series:
    """A resolved series name: its family, exporter, kind and every label it can carry."""

    name: str
    metric: Metric
    exporter: str
    kind: SeriesKind
    labels: frozenset[str]


@keyword_record
class Catalog:
    """The exporters of a project; ``common_labels`` are on every series (``environment``)."""

    exporters: Sequence[Exporter]
    common_labels: Sequence[str] = ()
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "exporters", self.exporters)
        freeze(self, "common_labels", self.common_labels)
        seen: dict[str, str] = {}
        for exporter in self.exporters:
            for metric in exporter.metrics:
                for name in metric.series():
                    if name in seen:
                        raise fail(
                            metric.location,
                            f"series {name} is declared twice (also by {seen[name]})",
                            "declare each metric once",
                        )
                    seen[name] = exporter.name

    def index(self) -> dict[str, Series]:
        """Series name -> resolved series, for lookups while walking queries."""
        out: dict[str, Series] = {}
        common = frozenset(self.common_labels)
        for exporter in self.exporters:
            target = frozenset(exporter.target_labels) | common
            for metric in exporter.metrics:
                for name, (kind, labels) in metric.series().items():
                    out[name] = Series(name, metric, exporter.name, kind, labels | target)
        return out


def merge(catalogs: Sequence[Catalog]) -> dict[str, Series]:
    """One index over every catalog a project declares."""
    out: dict[str, Series] = {}
    for catalog in catalogs:
        out.update(catalog.index())
    return out
