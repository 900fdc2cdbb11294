"""Abuse of the login. Owned by the security team."""

from alerts.teams import SECURITY, runbook
from dashboards import pfm_signals as signals
from dashboards import queries as q
from pfm_dash import (
    AlertRule,
    AlertTest,
    Expect,
    Fault,
    PanelLink,
    RuleGroup,
    ScaleRate,
    Scenario,
    Series,
    Severity,
)

LOGINS = 'pfm_failed_login_attempts_total{reason="bad_password", environment="production"}'

CREDENTIAL_STUFFING = Fault(
    name="failed-login-burst",
    description="A credential-stuffing attack: 12 bad passwords a second.",
    changes=[
        ScaleRate(
            metric="pfm_failed_login_attempts_total", where={"reason": "bad_password"}, factor=120
        )
    ],
)

failed_login_spike = AlertRule(
    name="FailedLoginSpike",
    expr=q.FAILED_LOGINS.for_rules(window="5m", environment=".+").compare(">", 1),
    for_="2m",
    severity=Severity.WARNING,
    team=SECURITY,
    summary="Failed logins are spiking: a credential-stuffing attempt is likely.",
    description=(
        "{{ $value | humanize }} failed logins per second in {{ $labels.environment }} "
        "over the last 5 minutes."
    ),
    runbook_url=runbook("FailedLoginSpike"),
    panel=PanelLink(dashboard=signals.signals, panel=signals.failed_logins),
    scenario=Scenario(fault=CREDENTIAL_STUFFING),
    tests=[
        AlertTest(
            name="300 failed logins a minute",
            series=[Series(series=LOGINS, values="0+300x20")],
            at="10m",
            expect=[
                Expect(
                    labels={"environment": "production"},
                    annotations={
                        "description": "5 failed logins per second in production over the "
                        "last 5 minutes."
                    },
                )
            ],
        ),
        AlertTest(
            name="a few typos a minute",
            series=[Series(series=LOGINS, values="0+6x20")],
            at="10m",
        ),
    ],
)

security = RuleGroup(name="pfm-security", interval="30s", rules=[failed_login_spike])
