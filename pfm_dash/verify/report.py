"""What a verify run found, as rows a person reads and JSON a test asserts on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class AlertRow:
    """One alert's proof: fault on, it fires and reaches the routed receivers; off, it resolves."""

    alert: str
    group: str
    team: str
    severity: str
    scenario: str
    time_scale: int
    for_shipped: str
    for_run: str
    wave: int
    location: str
    fired_after_s: float | None = None
    delivered_after_s: float | None = None
    receivers_expected: list[str] = field(default_factory=list)
    receivers_got: list[str] = field(default_factory=list)
    resolved_after_s: float | None = None
    resolved_delivered: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    # Alerts firing with it that mute it under the routing's inhibit rules: then it must reach
    # no receiver while they fire (one fault firing a warning and its critical, say).
    inhibited_by: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class PanelResult:
    """One panel query evaluated through Prometheus' /api/v1/query in the healthy run."""

    dashboard: str
    panel: str
    ref_id: str
    expr: str
    series: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.series > 0


@dataclass
class Healthy:
    """The baseline: no fault on, nothing may fire or be delivered, for ``required`` seconds
    (as long as the slowest alert of the run needs to fire)."""

    seconds: float = 0.0
    firing: list[str] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    required: float = 0.0

    @property
    def ok(self) -> bool:
        return self.seconds >= self.required and not self.firing and not self.delivered


@dataclass
class RuleHealth:
    group: str
    rule: str
    health: str
    last_error: str = ""

    @property
    def ok(self) -> bool:
        return self.health == "ok"


@dataclass
class Report:
    rows: list[AlertRow] = field(default_factory=list)
    healthy: Healthy = field(default_factory=Healthy)
    panels: list[PanelResult] = field(default_factory=list)
    rules: list[RuleHealth] = field(default_factory=list)
    default_time_scale: int = 60
    seconds: float = 0.0
    run_dir: str = ""
    errors: list[str] = field(default_factory=list)
    # The run itself could not be done (a tool or server failed to start, or died): nothing
    # was proven or disproven, so this is reported alone, with the environment's exit code.
    setup_error: str = ""

    @property
    def ok(self) -> bool:
        return (
            not self.setup_error
            and not self.errors
            and self.healthy.ok
            and bool(self.rows)
            and all(r.ok for r in self.rows)
            and all(p.ok for p in self.panels)
            and bool(self.rules)
            and all(r.ok for r in self.rules)
        )

    def failures(self) -> list[str]:
        """One line per thing that is missing, naming the alert, panel or rule."""
        out = [self.setup_error] if self.setup_error else []
        out += self.errors
        if not self.healthy.ok:
            out.append(
                f"healthy baseline ({self.healthy.seconds:.0f}s): firing {self.healthy.firing}, "
                f"delivered {self.healthy.delivered}"
            )
        out += [f"{r.alert}: {'; '.join(r.problems)}" for r in self.rows if not r.ok]
        out += [
            f"panel {p.panel!r} ({p.dashboard}) query {p.ref_id}: "
            + (p.error or "returned no series")
            for p in self.panels
            if not p.ok
        ]
        out += [
            f"rule {r.rule} ({r.group}): health {r.health} {r.last_error}".rstrip()
            for r in self.rules
            if not r.ok
        ]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 1),
            "time_scale": {
                "default": self.default_time_scale,
                "note": "each alert's `for` and range windows are divided by its time_scale in "
                "the run's copy of the rules (the default, or more for a rule that would take "
                "over 10s to fire); rule groups evaluate every 1s. The shipped rules are "
                "unchanged.",
            },
            "healthy": {**asdict(self.healthy), "ok": self.healthy.ok},
            "rows": [{**asdict(r), "ok": r.ok} for r in self.rows],
            "panels": [{**asdict(p), "ok": p.ok} for p in self.panels],
            "rules": [{**asdict(r), "ok": r.ok} for r in self.rules],
            "failures": self.failures(),
            "setup_error": self.setup_error,
            "run_dir": self.run_dir,
        }


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


def table(report: Report) -> str:
    """The human summary: one line per alert, then the baseline, panels and rules."""
    head = ("alert", "scenario", "fired after", "receiver expected", "receiver got", "resolved")
    rows = [
        (
            r.alert,
            f"{r.scenario} (x{r.time_scale})",
            _s(r.fired_after_s),
            ",".join(r.receivers_expected) or "-"
            if not r.inhibited_by
            else f"{','.join(r.receivers_expected)} or none ({','.join(r.inhibited_by)} inhibits)",
            ",".join(r.receivers_got) or "-",
            _s(r.resolved_after_s) if r.resolved_after_s is not None else "no",
        )
        for r in report.rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    lines = [
        "  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip()
        for line in (head, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    panels_ok = sum(p.ok for p in report.panels)
    rules_ok = sum(r.ok for r in report.rules)
    lines += [
        "",
        f"healthy baseline: {report.healthy.seconds:.0f}s, "
        + ("nothing fired" if report.healthy.ok else f"FIRED {report.healthy.firing}"),
        f"panel queries: {panels_ok}/{len(report.panels)} returned data",
        f"rule health: {rules_ok}/{len(report.rules)} ok",
        f"time scale: `for` and windows divided by {report.default_time_scale}, or more for a "
        "slow rule (each row's xN); the shipped rules are unchanged",
        f"took {report.seconds:.1f}s",
    ]
    return "\n".join(lines)
