"""Source snippets for fixture projects: a valid team, alert and dashboard to vary from."""

TEAMS = """
from pfm_dash import Team, Receiver
OPS = Team(name="ops", receiver=Receiver(email_env="OPS_EMAIL"))
"""

ALERT = """
from alerts.teams import OPS
from pfm_dash import AlertRule, AlertTest, Expect, RuleGroup, Series, Severity

up = AlertRule(
    name="{name}",
    expr='up == 0',
    for_="{for_}",
    severity=Severity.WARNING,
    team={team},
    summary="Down.",
    description="{{{{ $labels.instance }}}} is down.",
    runbook_url="https://runbooks.example/{name}",
    tests={tests},
)
"""

TESTS_OK = """[
        AlertTest(
            name="down",
            series=[Series(series='up{instance="a"}', values="0x10")],
            at="5m",
            expect=[Expect(labels={"instance": "a"}, annotations={"description": "a is down."})],
        ),
        AlertTest(name="up", series=[Series(series='up{instance="a"}', values="1x10")], at="5m"),
    ]"""


def alert_module(
    name: str = "InstanceDown",
    for_: str = "1m",
    team: str = "OPS",
    tests: str = TESTS_OK,
    group: str = "ops",
) -> str:
    body = ALERT.format(name=name, for_=for_, team=team, tests=tests)
    return body + f'\ngroup = RuleGroup(name="{group}", rules=[up])\n'


DASHBOARD = """
from pfm_dash import Dashboard, DatasourceVariable, Query, TimeSeries, Unit

panel = TimeSeries(title="{title}", queries=[Query(expr="up")], unit=Unit.NONE, width={width})
board = Dashboard(uid="{uid}", title="Board", variables=[DatasourceVariable()], panels=[panel])
"""


def dashboard_module(uid: str = "board", title: str = "Up", width: int = 12) -> str:
    return DASHBOARD.format(uid=uid, title=title, width=width)
