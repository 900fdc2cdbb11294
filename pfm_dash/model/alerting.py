"""Alerting and recording rules, their unit tests, and the teams that own them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, check_duration, fail, freeze, freeze_map
from pfm_dash.model.panels import Ignore
from pfm_dash.model.query import Query
from pfm_dash.model.scenario import Scenario
from pfm_dash.model.vocab import Severity

_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_METRIC = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_GROUP = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
RESERVED_LABELS = frozenset({"alertname", "severity", "team"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Receiver:
    """Where a team's alerts go; each address or URL is read from the environment at deploy time.

    Values are environment variable names (``email_env="PLATFORM_EMAIL"``), or for Slack and
    webhooks also files (``slack_url_file=...``), so no address or secret is ever in the repo.
    """

    email_env: str | None = None
    slack_url_file: str | None = None
    slack_channel: str | None = None
    webhook_url_file: str | None = None
    webhook_url_env: str | None = None
    location: Location = LOCATION


@dataclass(frozen=True, kw_only=True, slots=True)
class Team:
    """A team that owns alerts; its ``name`` is the ``team`` label and the receiver's name."""

    name: str
    description: str = ""
    receiver: Receiver | None = None
    group_wait: str = "30s"
    group_interval: str = "5m"
    repeat_interval: str = "4h"
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.name):
            raise fail(
                self.location,
                f"invalid team name {self.name!r}",
                "use lower-case letters, digits and '-', e.g. 'platform'",
            )
        for what in ("group_wait", "group_interval", "repeat_interval"):
            check_duration(getattr(self, what), f"team {self.name!r} {what}", self.location)


@dataclass(frozen=True, kw_only=True, slots=True)
class Series:
    """One input series of a rule test, in promtool's expanding notation (``'0+10x20'``)."""

    series: str
    values: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Expect:
    """An alert the test expects: the labels that come from the series, and rendered annotations.

    The rule's own labels (severity, team, extras) are added for you, and so are annotations
    without templates; give the rendered text of the templated ones.
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        freeze_map(self, "labels", self.labels)
        freeze_map(self, "annotations", self.annotations)


@dataclass(frozen=True, kw_only=True, slots=True)
class AlertTest:
    """A promtool unit test case: given ``series``, at ``at`` the rule fires with ``expect``.

    An empty ``expect`` asserts the alert stays silent.
    """

    name: str
    series: Sequence[Series]
    at: str
    expect: Sequence[Expect] = ()
    interval: str = "1m"
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "series", self.series)
        freeze(self, "expect", self.expect)
        check_duration(self.at, f"test {self.name!r} eval time", self.location)
        check_duration(self.interval, f"test {self.name!r} series interval", self.location)
        if not self.name.strip():
            raise fail(self.location, "alert test has no name", "describe the case in name=")

    @property
    def fires(self) -> bool:
        return bool(self.expect)


@dataclass(frozen=True, kw_only=True, slots=True)
class AlertRule:
    """A Prometheus alerting rule owned by a team."""

    name: str
    expr: Query | str
    severity: Severity
    team: Team
    summary: str
    description: str
    runbook_url: str
    for_: str | None = None
    keep_firing_for: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    tests: Sequence[AlertTest] = ()
    dashboard_uid: str | None = None
    panel_title: str | None = None
    ignore: Sequence[Ignore] = ()
    # The fault that proves it end to end in `pfm-dash verify`; required there.
    scenario: Scenario | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "tests", self.tests)
        freeze(self, "ignore", self.ignore)
        freeze_map(self, "labels", self.labels)
        freeze_map(self, "annotations", self.annotations)
        if not isinstance(self.name, str) or not _METRIC.match(self.name):
            raise fail(
                self.location,
                f"invalid alert name {self.name!r}",
                "use CamelCase letters and digits, e.g. 'HighErrorRate'",
            )
        if not isinstance(self.severity, Severity):
            raise fail(self.location, f"alert {self.name}: severity must be a Severity member")
        if not isinstance(self.team, Team):
            raise fail(
                self.location,
                f"alert {self.name}: team must be a declared Team, not {self.team!r}",
                "import the Team object from your teams module",
            )
        if self.scenario is not None and not isinstance(self.scenario, Scenario):
            raise fail(self.location, f"alert {self.name}: scenario must be a Scenario")
        check_duration(self.for_, f"alert {self.name} for_", self.location)
        check_duration(self.keep_firing_for, f"alert {self.name} keep_firing_for", self.location)
        for label in self.labels:
            if not _LABEL.match(label) or label in RESERVED_LABELS:
                raise fail(
                    self.location,
                    f"alert {self.name}: label {label!r} is invalid or reserved",
                    "severity and team come from severity= and team=; other names must be "
                    "valid Prometheus label names",
                )

    @property
    def expression(self) -> str:
        return self.expr.expr if isinstance(self.expr, Query) else self.expr

    @property
    def all_labels(self) -> dict[str, str]:
        """Labels as Prometheus attaches them: severity and team, then the extras."""
        return {"severity": self.severity.value, "team": self.team.name, **self.labels}

    @property
    def all_annotations(self) -> dict[str, str]:
        return {
            "summary": self.summary,
            "description": self.description,
            "runbook_url": self.runbook_url,
            **self.annotations,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordingRule:
    record: str
    expr: Query | str
    labels: Mapping[str, str] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze_map(self, "labels", self.labels)
        if not _METRIC.match(self.record):
            raise fail(
                self.location,
                f"invalid recording rule name {self.record!r}",
                "use the level:metric:operations convention, e.g. 'service:http_requests:rate5m'",
            )

    @property
    def expression(self) -> str:
        return self.expr.expr if isinstance(self.expr, Query) else self.expr


Rule = AlertRule | RecordingRule


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleGroup:
    """A Prometheus rule group; compiled to ``<name>.rules.yml`` with its tests beside."""

    name: str
    rules: Sequence[Rule]
    interval: str = "30s"
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "rules", self.rules)
        if not _GROUP.match(self.name):
            raise fail(
                self.location,
                f"invalid rule group name {self.name!r}",
                "use lower-case letters, digits, '-', '_' and '.' (it names the file)",
            )
        check_duration(self.interval, f"group {self.name!r} interval", self.location)

    @property
    def alerts(self) -> list[AlertRule]:
        return [r for r in self.rules if isinstance(r, AlertRule)]
