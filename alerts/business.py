"""Product health: are people using PFM? Owned by the development team."""

from alerts.teams import DEVELOPMENT, runbook
from dashboards import pfm_overview as board
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

VOTES = 'pfm_votes_total{community="solana-devs", environment="production"}'

VOTES_STOPPED = Fault(
    name="votes-stopped",
    description="Nobody can vote: the vote counter stops.",
    changes=[ScaleRate(metric="pfm_votes_total", factor=0)],
)

no_votes = AlertRule(
    name="NoVotesRecorded",
    expr='sum by (environment) (increase(pfm_votes_total{environment=~".+"}[1h])) == 0',
    for_="30m",
    severity=Severity.WARNING,
    team=DEVELOPMENT,
    summary="No votes were recorded for an hour and a half.",
    description=(
        "{{ $labels.environment }} has recorded no vote in the last hour, for 30 minutes: "
        "voting may be broken."
    ),
    runbook_url=runbook("NoVotesRecorded"),
    panel=PanelLink(dashboard=board.overview, panel=board.business_metrics),
    scenario=Scenario(fault=VOTES_STOPPED),
    tests=[
        AlertTest(
            name="votes stop",
            series=[Series(series=VOTES, values="0+10x60 600x120")],
            at="170m",
            expect=[
                Expect(
                    labels={"environment": "production"},
                    annotations={
                        "description": "production has recorded no vote in the last hour, "
                        "for 30 minutes: voting may be broken."
                    },
                )
            ],
        ),
        AlertTest(
            name="votes keep coming",
            series=[Series(series=VOTES, values="0+10x180")],
            at="170m",
        ),
    ],
)

business = RuleGroup(name="pfm-business", interval="1m", rules=[no_votes])
