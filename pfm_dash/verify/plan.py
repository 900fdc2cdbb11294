"""What a verify run can prove, and in which waves: read from the declarations before it starts.

An alert's proof needs its fault to bend only what the alert reads, and nothing else in its wave
to disturb it. Two alerts share a wave only when neither's fault touches a metric the other's
fault or expression involves (a stopped target touches every metric it serves, and ``up``), and
when neither can inhibit the other under the routing's inhibit rules: an inhibited alert is never
delivered, so it would look unproven.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import promql_parser

from pfm_dash.catalog import Metric, Series, merge
from pfm_dash.checks.promql import selector_name, substitute, walk
from pfm_dash.errors import DeclarationError
from pfm_dash.model.alerting import AlertRule, RecordingRule, RuleGroup
from pfm_dash.model.base import duration_seconds
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.simulation import (
    Change,
    DropSeries,
    Fault,
    ScaleRate,
    SetGauge,
    ShiftLatency,
    StopTarget,
)
from pfm_dash.routing import matches
from pfm_dash.verify import configs

# Series Prometheus writes itself, whatever the targets serve (scrape health, alert state).
PROMETHEUS_OWN = frozenset({"up", "ALERTS", "ALERTS_FOR_STATE"})
MAX_BUDGET_S = 120.0  # the most one alert may take to fire once its fault is on (scaled)
_FITS: dict[type, tuple[str, ...]] = {
    SetGauge: ("gauge",),
    ScaleRate: ("counter", "histogram"),
    ShiftLatency: ("histogram",),
    DropSeries: ("counter", "gauge", "histogram", "summary"),
}


def budget(rule: AlertRule) -> float:
    """Seconds the alert may need after its fault is on: scaled `for` and longest window."""
    scale = configs.time_scale(rule)
    longest = max(configs.windows(rule.expression), default=0.0) / scale
    return duration_seconds(rule.for_ or "0s") / scale + longest


class Reads:
    """Which catalog metrics an expression reads, through recording rules too."""

    def __init__(self, index: Mapping[str, Series], groups: Sequence[RuleGroup]) -> None:
        self.index = index
        self.recorded: dict[str, str] = {
            r.record: r.expression for g in groups for r in g.rules if isinstance(r, RecordingRule)
        }

    def names(self, expr: str) -> set[str]:
        """Series names the expression selects (Grafana variables read as any value)."""
        try:
            tree = promql_parser.parse(substitute(expr)[0])
        except ValueError:
            return set()
        return {
            name
            for node in walk(tree)
            if type(node).__name__ == "VectorSelector" and (name := selector_name(node))
        }

    def metrics(self, expr: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """Metric families (catalog names) read, and Prometheus' own series by name."""
        out: set[str] = set()
        for name in self.names(expr):
            if name in self.recorded and name not in seen:
                out |= self.metrics(self.recorded[name], seen | {name})
            elif name in self.index:
                out.add(self.index[name].metric.name)
            else:
                out.add(name)
        return out


class Planner:
    """The project's catalog, faults and routing, asked about one run's alerts."""

    def __init__(
        self,
        catalogs: Sequence[Any],
        groups: Sequence[RuleGroup],
        inhibit_rules: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.index = merge(catalogs)
        self.reads = Reads(self.index, groups)
        self.inhibit_rules = list(inhibit_rules)
        self.metrics: dict[str, Metric] = {s.metric.name: s.metric for s in self.index.values()}
        self.exporter_of: dict[str, str] = {s.metric.name: s.exporter for s in self.index.values()}

    def served(self, metric: str) -> bool:
        found = self.metrics.get(metric)
        return found is not None and found.healthy is not None

    def touched(self, fault: Fault) -> set[str]:
        """Metrics the fault changes: its changes' metrics, all of a stopped target's, ``up``."""
        out = set(fault.metrics())
        for job in fault.stopped_jobs():
            out |= {m for m, e in self.exporter_of.items() if e == job} | {"up"}
        return out

    def involved(self, rule: AlertRule) -> set[str]:
        assert rule.scenario is not None
        return self.touched(rule.scenario.fault) | self.reads.metrics(rule.expression)

    def conflict(self, a: AlertRule, b: AlertRule) -> bool:
        """Whether ``a`` and ``b`` cannot be proven in the same wave."""
        assert a.scenario is not None and b.scenario is not None
        if a.scenario.fault.name == b.scenario.fault.name:
            return False  # one fault proves both: on for both, off once both are proven
        if self.touched(a.scenario.fault) & self.involved(b):
            return True
        if self.touched(b.scenario.fault) & self.involved(a):
            return True
        return self.may_inhibit(a, b) or self.may_inhibit(b, a)

    def may_inhibit(self, source: AlertRule, target: AlertRule) -> bool:
        """Whether an inhibit rule could silence ``target`` while ``source`` fires.

        Only the labels a rule sets itself are known before it fires; a matcher or an
        ``equal`` on any other label is assumed to hold, so the answer errs towards "yes".
        """
        src, tgt = _static_labels(source), _static_labels(target)
        for rule in self.inhibit_rules:
            if not _may_match(rule.get("source_matchers", []), src):
                continue
            if not _may_match(rule.get("target_matchers", []), tgt):
                continue
            if all(src.get(n, tgt.get(n)) == tgt.get(n, src.get(n)) for n in rule.get("equal", [])):
                return True
        return False

    def waves(self, alerts: Sequence[AlertRule]) -> list[list[AlertRule]]:
        """Greedy waves, longest first, the alerts of one fault together (the fault is on
        once for all of them), each in the first wave none of its alerts upsets."""
        by_fault: dict[str, list[AlertRule]] = {}
        for rule in alerts:
            assert rule.scenario is not None
            by_fault.setdefault(rule.scenario.fault.name, []).append(rule)
        units = sorted(by_fault.values(), key=lambda unit: max(map(budget, unit)), reverse=True)
        waves: list[list[AlertRule]] = []
        for unit in units:
            for wave in waves:
                if not any(self.conflict(rule, other) for rule in unit for other in wave):
                    wave.extend(unit)
                    break
            else:
                waves.append(list(unit))
        return [sorted(wave, key=budget, reverse=True) for wave in waves]

    # --- what verify refuses before it starts ----------------------------------------------

    def problems(
        self, alerts: Sequence[AlertRule], dashboards: Sequence[Dashboard]
    ) -> list[DeclarationError]:
        """Every declaration that would make the run fail for a reason it can name up front."""
        errors: list[DeclarationError] = []
        faults: dict[str, Fault] = {}
        for rule in alerts:
            if rule.scenario is None:
                errors.append(
                    DeclarationError(
                        f"alert {rule.name} has no scenario, so verify cannot prove it",
                        rule.location,
                        "add scenario=Scenario(fault=Fault(name=..., changes=[...])) to it",
                    )
                )
                continue
            fault = rule.scenario.fault
            first = faults.setdefault(fault.name, fault)
            if first is fault:
                errors += self.fault_problems(fault)
            elif first != fault:
                errors.append(
                    DeclarationError(
                        f"two different faults are named {fault.name} "
                        f"(the other is at {first.location})",
                        fault.location,
                        "declare the fault once and use it in both scenarios, or rename one",
                    )
                )
            errors += self.unserved(rule.expression, f"alert {rule.name}", rule.location)
            errors += too_slow(rule)
        for dashboard in dashboards:
            for panel in dashboard.all_panels():
                for query in panel.queries:
                    errors += self.unserved(
                        query.expr, f"panel {panel.title!r} of {dashboard.uid}", panel.location
                    )
        unique = {(str(e.location), e.message): e for e in errors}
        return list(unique.values())

    def unserved(self, expr: str, what: str, location: Any) -> list[DeclarationError]:
        """A catalog metric the expression reads that the simulated system would not serve."""
        return [
            DeclarationError(
                f"{what} reads {name}, which verify's simulated system does not serve",
                self.metrics[name].location,
                f"say how {name} behaves when healthy: healthy=... on its Metric in the catalog "
                f"(read by {what} at {location})",
            )
            for name in sorted(self.reads.metrics(expr))
            if name in self.metrics and not self.served(name) and not _own(name)
        ]

    def fault_problems(self, fault: Fault) -> list[DeclarationError]:
        errors: list[DeclarationError] = []
        jobs = {self.exporter_of[m] for m in self.metrics if self.served(m)}
        for change in fault.changes:
            if isinstance(change, StopTarget):
                if change.job not in jobs:
                    errors.append(
                        DeclarationError(
                            f"fault {fault.name} stops job {change.job!r}, which serves nothing",
                            change.location,
                            f"name an exporter of the catalog that serves a healthy metric: "
                            f"{', '.join(sorted(jobs)) or 'none yet'}",
                        )
                    )
                continue
            errors += self.change_problems(fault, change)
        return errors

    def change_problems(self, fault: Fault, change: Change) -> list[DeclarationError]:
        what = f"fault {fault.name}: {type(change).__name__}({change.metric})"
        metric = self.metrics.get(change.metric)
        if metric is None:
            return [
                DeclarationError(
                    f"{what}: the catalog has no such metric",
                    change.location,
                    "name a metric family of the catalog (without _bucket, _sum or _count)",
                )
            ]
        if metric.healthy is None:
            return [
                DeclarationError(
                    f"{what}: the metric has no healthy behaviour, so verify does not serve it",
                    change.location,
                    f"declare healthy=... on it at {metric.location}",
                )
            ]
        kinds = _FITS[type(change)]
        if metric.type.value not in kinds:
            return [
                DeclarationError(
                    f"{what}: the metric is a {metric.type.value}, and this change applies "
                    f"to a {' or '.join(kinds)}",
                    change.location,
                    "pick the change that fits the metric's type",
                )
            ]
        names = metric.healthy.label_names()
        series = metric.healthy.series()
        for name, value in change.where.items():
            if name not in names:
                return [
                    DeclarationError(
                        f"{what}: where= names label {name!r}, which its healthy series lack",
                        change.location,
                        f"use one of {', '.join(sorted(names)) or '(none: drop where=)'}",
                    )
                ]
            values = sorted({v for labels, _ in series for n, v in labels if n == name})
            if value not in values:
                return [
                    DeclarationError(
                        f"{what}: no healthy series has {name}={value!r}",
                        change.location,
                        f"its values are {', '.join(values)}",
                    )
                ]
        if not any(change.selects(labels) for labels, _ in series):
            return [DeclarationError(f"{what}: where= selects no series", change.location)]
        return []


def too_slow(rule: AlertRule) -> list[DeclarationError]:
    """An alert whose scaled `for` and windows exceed the per-alert bound would only time out
    after minutes; refuse it before anything starts, with the time_scale that would fit."""
    if budget(rule) <= MAX_BUDGET_S:
        return []
    scale = configs.time_scale(rule)
    fits = math.ceil(budget(rule) * scale / MAX_BUDGET_S)
    return [
        DeclarationError(
            f"alert {rule.name} needs {budget(rule):.0f}s after its fault to fire at time "
            f"scale {scale}; verify allows {MAX_BUDGET_S:.0f}s per alert",
            rule.location,
            f"speed it up with Scenario(..., time_scale={fits}) or more",
        )
    ]


def _static_labels(rule: AlertRule) -> dict[str, str]:
    """The labels a rule sets itself, which every one of its alerts carries."""
    out = {"alertname": rule.name, **rule.all_labels}
    return {k: str(v) for k, v in out.items()}


def _may_match(matchers: Sequence[str], labels: Mapping[str, str]) -> bool:
    for matcher in matchers:
        name = matcher.split("=", 1)[0].rstrip("!~ ").strip()
        if name in labels and not matches(matcher, labels):
            return False
    return True


def _own(name: str) -> bool:
    return name in PROMETHEUS_OWN or name.startswith("scrape_")
