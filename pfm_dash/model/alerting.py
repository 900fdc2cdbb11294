"""Alerting and recording rules, their unit tests, and the teams that own them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pfm_dash.errors import Location
from pfm_dash.model.base import (
    LOCATION,
    check_duration,
    declaration,
    fail,
    freeze,
    freeze_map,
    hint,
)
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.panels import Ignore, Panel
from pfm_dash.model.query import Query
from pfm_dash.model.scenario import Scenario
from pfm_dash.model.vocab import Severity
from pfm_dash.records import field

_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_METRIC = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
# An alert name is the ``alertname`` label's value: Prometheus takes any non-empty text
# (model/rulefmt/rulefmt.go validates recording rule names only); CamelCase is a house rule.
_ALERT = re.compile(r"^\S(?:[^\n]*\S)?$")
_GROUP = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
RESERVED_LABELS = frozenset({"alertname", "severity", "team"})


_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def _url_problem(url: str) -> str:
    """Why Alertmanager's URL parsing would refuse ``url`` ("" when it would not)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError as exc:
        return f"does not parse ({exc})"
    if parts.scheme not in ("http", "https"):
        return "is not an http or https URL"
    if not parts.hostname:
        return "has no host"
    return ""


@declaration
class Receiver:
    """Where a team's alerts go, with no address or secret in the repo.

    Alertmanager 0.25 reads Slack URLs and tokens from files, but has no file or environment
    form for e-mail addresses or webhook URLs. So: ``email_env`` names an environment variable
    that the deploy step fills in with ``envsubst`` (the emitted file holds ``${NAME}``, which
    ``amtool check-config`` accepts); Slack's URL and a webhook's bearer token are files on the
    Alertmanager host; a webhook URL is written plainly (an endpoint, not a credential).
    """

    email_env: str | None = None
    slack_url_file: str | None = None
    slack_channel: str | None = None
    webhook_url: str | None = None
    webhook_token_file: str | None = None
    send_resolved: bool = True
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not (self.email_env or self.slack_url_file or self.webhook_url):
            raise fail(
                self.location,
                "receiver sends nowhere",
                "give email_env=, slack_url_file= or webhook_url=",
            )
        if self.email_env is not None and not _ENV.match(self.email_env):
            raise fail(
                self.location,
                f"email_env {self.email_env!r} is not an environment variable name",
                "name the variable that holds the address, e.g. 'PLATFORM_TEAM_EMAIL'",
            )
        for what in ("slack_url_file", "webhook_token_file"):
            path = getattr(self, what)
            if path is not None and not path.startswith("/"):
                raise fail(
                    self.location,
                    f"{what} {path!r} is not an absolute path",
                    "give the file's path on the Alertmanager host, e.g. /etc/alertmanager/x",
                )
        if self.webhook_url is not None and (problem := _url_problem(self.webhook_url)):
            raise fail(
                self.location,
                f"webhook_url {self.webhook_url!r} {problem}; Alertmanager would refuse the file",
                "write a full http(s) URL, e.g. https://hooks.example.org/alerts",
            )
        if self.slack_channel is not None and self.slack_url_file is None:
            raise fail(self.location, "slack_channel needs slack_url_file", "add slack_url_file=")
        if self.webhook_url is not None and not re.match(r"^https?://[^\s$]+$", self.webhook_url):
            raise fail(
                self.location,
                f"webhook_url {self.webhook_url!r} is not an http(s) URL",
                "write the endpoint itself; keep a token in webhook_token_file=",
            )
        if self.webhook_token_file is not None and self.webhook_url is None:
            raise fail(self.location, "webhook_token_file needs webhook_url", "add webhook_url=")

    @property
    def env_vars(self) -> list[str]:
        """Environment variables the deploy step must set."""
        return [self.email_env] if self.email_env else []

    @property
    def files(self) -> list[str]:
        """Files the Alertmanager host must hold."""
        return [f for f in (self.slack_url_file, self.webhook_token_file) if f]


@declaration
class Team:
    """A team that owns alerts; its ``name`` is the ``team`` label and the receiver's name.

    ``on_call_for`` makes the team the on-call rota for one severity: every alert of that
    severity goes to it first, whoever owns it (an on-call ``critical`` team, say).
    """

    name: str
    description: str = ""
    receiver: Receiver | None = None
    group_wait: str = "30s"
    group_interval: str = "5m"
    repeat_interval: str = "4h"
    on_call_for: Severity | None = None
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
        if self.on_call_for is not None and not isinstance(self.on_call_for, Severity):
            raise fail(self.location, f"team {self.name!r}: on_call_for must be a Severity")


@declaration
class PanelLink:
    """The dashboard panel that shows an alert's signal; the rule gets its URL as an annotation.

    Holding the objects (not a uid and a title) means a renamed or removed panel breaks at
    import, and the panel id comes from the same layout the dashboard is compiled with.
    """

    dashboard: Dashboard
    panel: Panel
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not any(p is self.panel for p in self.dashboard.all_panels()):
            raise fail(
                self.location,
                f"panel {self.panel.title!r} is not on dashboard {self.dashboard.uid!r}",
                "link a panel that the dashboard's panels= (or its rows) contains",
            )

    @property
    def panel_id(self) -> int:
        from pfm_dash.model.layout import layout

        for placed in layout(self.dashboard):
            for item in (placed, *placed.children):
                if item.panel is self.panel:
                    return item.id
        raise AssertionError("panel vanished from its dashboard")  # pragma: no cover

    def url(self, grafana_url: str = "") -> str:
        """``<grafana>/d/<uid>?viewPanel=<id>``: Grafana opens the panel on its own."""
        return f"{grafana_url.rstrip('/')}/d/{self.dashboard.uid}?viewPanel={self.panel_id}"


@declaration
class Series:
    """One input series of a rule test, in promtool's expanding notation (``'0+10x20'``)."""

    series: str
    values: str


@declaration
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


@declaration
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


@declaration
class AlertRule:
    """A Prometheus alerting rule owned by a team.

    ``severity``, ``team``, ``summary``, ``description`` and ``runbook_url`` may be left out
    (imported rules often lack them): what is left out is not emitted, and ``pfm-dash check``
    reports it (``alert-severity``, ``alert-team``, ...) unless an ``Ignore`` says why. A
    severity outside :class:`Severity` (kube-prometheus' ``none``) goes in ``labels`` instead.
    """

    name: str
    expr: Query | str
    severity: Severity | None = field(
        default=None, metadata=hint("use a Severity member, e.g. severity=Severity.WARNING")
    )
    team: Team | None = field(
        default=None,
        metadata=hint(
            "a declared Team object, not its name: import it from your teams module "
            "(from alerts.teams import OPS; team=OPS)"
        ),
    )
    summary: str = ""
    description: str = ""
    runbook_url: str = ""
    for_: str | None = None
    keep_firing_for: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    tests: Sequence[AlertTest] = ()
    panel: PanelLink | None = None
    ignore: Sequence[Ignore] = ()
    # The fault that proves it end to end in `pfm-dash verify`; required there.
    scenario: Scenario | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "tests", self.tests)
        freeze(self, "ignore", self.ignore)
        freeze_map(self, "labels", self.labels)
        freeze_map(self, "annotations", self.annotations)
        if not isinstance(self.name, str) or not _ALERT.match(self.name):
            raise fail(
                self.location,
                f"invalid alert name {self.name!r}",
                "use CamelCase letters and digits, e.g. 'HighErrorRate'",
            )
        if self.scenario is not None and not isinstance(self.scenario, Scenario):
            raise fail(self.location, f"alert {self.name}: scenario must be a Scenario")
        if self.panel is not None and not isinstance(self.panel, PanelLink):
            raise fail(
                self.location,
                f"alert {self.name}: panel must be a PanelLink",
                "write panel=PanelLink(dashboard=..., panel=...)",
            )
        check_duration(self.for_, f"alert {self.name} for_", self.location)
        check_duration(self.keep_firing_for, f"alert {self.name} keep_firing_for", self.location)
        for label in self.labels:
            # a severity Severity lacks, or a team label no Team may carry, stays a label
            free = label in ("severity", "team") and getattr(self, label) is None
            if not _LABEL.match(label) or (label in RESERVED_LABELS and not free):
                raise fail(
                    self.location,
                    f"alert {self.name}: label {label!r} is invalid or reserved",
                    "severity and team come from severity= and team=; other names must be "
                    "valid Prometheus label names",
                )

    @property
    def expression(self) -> str:
        return self.expr.expr if isinstance(self.expr, Query) else self.expr

    def ignores(self, rule: str) -> bool:
        """Whether an ``Ignore`` waives house rule ``rule`` here (imported debt, say)."""
        return any(i.rule == rule for i in self.ignore)

    @property
    def all_labels(self) -> dict[str, str]:
        """Labels as Prometheus attaches them: severity and team, then the extras."""
        out: dict[str, str] = {}
        if self.severity is not None:
            out["severity"] = self.severity.value
        if self.team is not None:
            out["team"] = self.team.name
        return {**out, **self.labels}

    @property
    def all_annotations(self) -> dict[str, str]:
        """The declared annotations; an empty summary, description or runbook is left out."""
        typed = {
            "summary": self.summary,
            "description": self.description,
            "runbook_url": self.runbook_url,
        }
        return {**{k: v for k, v in typed.items() if v}, **self.annotations}

    def rendered_annotations(self, grafana_url: str = "") -> dict[str, str]:
        """Annotations as emitted: the declared ones plus ``dashboard_url`` from ``panel=``."""
        out = self.all_annotations
        if self.panel is not None and "dashboard_url" not in out:
            out["dashboard_url"] = self.panel.url(grafana_url)
        return out


@declaration
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


@declaration
class RuleGroup:
    """A Prometheus rule group; compiled to ``<name>.rules.yml`` with its tests beside.

    ``interval=None`` leaves the evaluation interval to Prometheus' global one; ``limit``,
    ``query_offset`` and ``labels`` are Prometheus' group fields of the same names.
    """

    name: str
    rules: Sequence[Rule]
    interval: str | None = "30s"
    limit: int | None = None
    query_offset: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "rules", self.rules)
        freeze_map(self, "labels", self.labels)
        if not _GROUP.match(self.name):
            raise fail(
                self.location,
                f"invalid rule group name {self.name!r}",
                "use letters, digits, '-', '_' and '.' (it names the file)",
            )
        check_duration(self.interval, f"group {self.name!r} interval", self.location)
        check_duration(self.query_offset, f"group {self.name!r} query_offset", self.location)
        if self.limit is not None and self.limit < 0:
            raise fail(self.location, f"group {self.name!r}: limit {self.limit} is negative")

    @property
    def alerts(self) -> list[AlertRule]:
        return [r for r in self.rules if isinstance(r, AlertRule)]
