"""PostgreSQL and Redis capacity. Owned by the platform team."""

from alerts.teams import PLATFORM, runbook
from dashboards import pfm_overview as board
from dashboards import queries as q
from pfm_dash import (
    AlertRule,
    AlertTest,
    Expect,
    Fault,
    PanelLink,
    RuleGroup,
    Scenario,
    Series,
    SetGauge,
    Severity,
)

PG = 'instance="postgres:9187", environment="production"'
REDIS = 'instance="redis:9121", environment="production"'


def postgres(backends: str) -> list[Series]:
    return [
        Series(series=f'pg_stat_database_numbackends{{datname="pfm", {PG}}}', values=backends),
        Series(series=f"pg_settings_max_connections{{{PG}}}", values="100x30"),
    ]


def redis(used: str) -> list[Series]:
    return [
        Series(series=f"redis_memory_used_bytes{{{REDIS}}}", values=used),
        Series(series=f"redis_memory_max_bytes{{{REDIS}}}", values="1073741824x30"),
    ]


DB_CONNECTIONS_HIGH = Fault(
    name="db-connections-high",
    description="The app holds 88 of PostgreSQL's 100 connections.",
    changes=[SetGauge(metric="pg_stat_database_numbackends", where={"datname": "pfm"}, value=88)],
)


REDIS_MEMORY_HIGH = Fault(
    name="redis-memory-high",
    description="Redis fills 97% of its maxmemory.",
    changes=[SetGauge(metric="redis_memory_used_bytes", value=0.97 * 1024 * 2**20)],
)

database_connections = AlertRule(
    name="DatabaseConnectionsNearMax",
    expr=q.DB_CONNECTIONS_USED.for_rules(environment=".+").compare(">", 0.8),
    for_="5m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="PostgreSQL is close to max_connections.",
    description=(
        "{{ $labels.instance }} ({{ $labels.environment }}) uses "
        "{{ $value | humanizePercentage }} of its connections."
    ),
    runbook_url=runbook("DatabaseConnectionsNearMax"),
    panel=PanelLink(dashboard=board.overview, panel=board.database_connections),
    scenario=Scenario(fault=DB_CONNECTIONS_HIGH),
    tests=[
        AlertTest(
            name="90 of 100 connections in use",
            series=postgres("90x30"),
            at="10m",
            expect=[
                Expect(
                    labels={"instance": "postgres:9187", "environment": "production"},
                    annotations={
                        "description": "postgres:9187 (production) uses 90% of its connections."
                    },
                )
            ],
        ),
        AlertTest(name="half the connections in use", series=postgres("50x30"), at="10m"),
    ],
)

redis_memory = AlertRule(
    name="RedisMemoryHigh",
    expr=q.REDIS_MEMORY_USED.for_rules(environment=".+").compare(">", 0.9),
    for_="5m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="Redis is close to maxmemory and will start evicting keys.",
    description=(
        "{{ $labels.instance }} ({{ $labels.environment }}) uses "
        "{{ $value | humanizePercentage }} of maxmemory."
    ),
    runbook_url=runbook("RedisMemoryHigh"),
    panel=PanelLink(dashboard=board.overview, panel=board.redis_memory),
    scenario=Scenario(fault=REDIS_MEMORY_HIGH),
    tests=[
        AlertTest(
            name="95% of maxmemory used",
            series=redis("1020054733x30"),
            at="10m",
            expect=[
                Expect(
                    labels={"instance": "redis:9121", "environment": "production"},
                    annotations={"description": "redis:9121 (production) uses 95% of maxmemory."},
                )
            ],
        ),
        AlertTest(name="half of maxmemory used", series=redis("536870912x30"), at="10m"),
    ],
)

datastores = RuleGroup(
    name="pfm-datastores",
    interval="30s",
    rules=[database_connections, redis_memory],
)
