"""PFM overview: is the community app up, fast, and are people voting?"""

from dashboards import queries as q
from pfm_dash import (
    AlertList,
    AlertState,
    AxisPlacement,
    ByRefId,
    Color,
    Dashboard,
    DatasourceVariable,
    Folder,
    Gauge,
    Legend,
    LegendMode,
    LegendPlacement,
    Link,
    Override,
    Query,
    QueryVariable,
    Reduce,
    SetAxisPlacement,
    SetUnit,
    Stat,
    StatColorMode,
    StateTimeline,
    Step,
    TextMode,
    Thresholds,
    TimeSeries,
    Unit,
    ValueMap,
)

PFM = Folder(uid="pfm", title="PFM")

ENV = q.ENV
TABLE_LEGEND = Legend(
    mode=LegendMode.TABLE, placement=LegendPlacement.RIGHT, calcs=[Reduce.MEAN, Reduce.MAX]
)


def traffic_light(warn: float, crit: float) -> Thresholds:
    """Green, yellow from ``warn``, red from ``crit``: the colours every PFM panel uses."""
    return Thresholds(
        steps=[
            Step(color=Color.GREEN),
            Step(color=Color.YELLOW, value=warn),
            Step(color=Color.RED, value=crit),
        ]
    )


def usage_gauge(title: str, description: str, query: Query, warn: float, crit: float) -> Gauge:
    """A 0-100% gauge of how much of a capacity is used."""
    return Gauge(
        title=title,
        description=description,
        queries=[query],
        unit=Unit.PERCENT_UNIT,
        min=0,
        max=1,
        decimals=1,
        thresholds=traffic_light(warn, crit),
        width=6,
    )


service_status = Stat(
    title="Service Status",
    description="Whether Prometheus can scrape each PFM target (1 = up).",
    queries=[Query(expr=f'up{{job=~"pfm.*", {ENV}}}', legend="{{job}} {{instance}}", instant=True)],
    unit=Unit.NONE,
    thresholds=Thresholds(steps=[Step(color=Color.RED), Step(color=Color.GREEN, value=1)]),
    mappings=[
        ValueMap(value=0, text="DOWN", color=Color.RED),
        ValueMap(value=1, text="UP", color=Color.GREEN),
    ],
    stat_color=StatColorMode.BACKGROUND,
    text=TextMode.VALUE_AND_NAME,
    width=6,
)

request_rate = TimeSeries(
    title="Request Rate",
    description="HTTP requests per second served by each service.",
    queries=[q.REQUEST_RATE],
    unit=Unit.REQUESTS_PER_SECOND,
    legend=TABLE_LEGEND,
    width=9,
)

error_rate = TimeSeries(
    title="Error Rate",
    description="Share of requests answered with a 5xx status.",
    queries=[q.ERROR_RATIO],
    unit=Unit.PERCENT_UNIT,
    min=0,
    thresholds=traffic_light(0.01, 0.05),
    legend=TABLE_LEGEND,
    width=9,
)

response_time = TimeSeries(
    title="Response Time (p95)",
    description="95th percentile of request duration, per service.",
    queries=[q.LATENCY_P95],
    unit=Unit.SECONDS,
    min=0,
    thresholds=traffic_light(0.5, 1),
    legend=TABLE_LEGEND,
    width=12,
)

database_connections = usage_gauge(
    "Database Connections",
    "PostgreSQL backends in use as a share of max_connections.",
    q.DB_CONNECTIONS_USED,
    warn=0.7,
    crit=0.8,
)

redis_memory = usage_gauge(
    "Redis Memory Usage",
    "Redis used memory as a share of maxmemory.",
    q.REDIS_MEMORY_USED,
    warn=0.75,
    crit=0.9,
)

container_resources = TimeSeries(
    title="Container Resources",
    description="CPU (cores, left axis) and memory (bytes, right axis) per container.",
    queries=[q.CONTAINER_CPU, q.CONTAINER_MEMORY],
    unit=Unit.SHORT,
    legend=TABLE_LEGEND,
    width=12,
    # Memory (query B) has its own unit, on an axis of its own.
    overrides=[
        Override(
            matcher=ByRefId(ref_id="B"),
            properties=[
                SetUnit(unit=Unit.BYTES),
                SetAxisPlacement(placement=AxisPlacement.RIGHT),
            ],
        )
    ],
)

business_metrics = Stat(
    title="Business Metrics",
    description="Communities, active communities and votes cast in the last 24 hours.",
    queries=[
        Query(expr=f"sum(pfm_communities_total{{{ENV}}})", legend="Communities", instant=True),
        Query(
            expr=f"sum(pfm_active_communities_total{{{ENV}}})",
            legend="Active communities",
            instant=True,
        ),
        Query(
            expr=f"sum(increase(pfm_votes_total{{{ENV}}}[24h]))",
            legend="Votes (24h)",
            instant=True,
        ),
    ],
    unit=Unit.SHORT,
    decimals=0,
    stat_color=StatColorMode.NONE,
    text=TextMode.VALUE_AND_NAME,
    width=12,
)

wallet_connections = TimeSeries(
    title="Wallet Connections",
    description="Wallet connections and failed connection attempts per second, by wallet.",
    queries=[q.WALLET_CONNECTIONS, q.WALLET_FAILURES],
    unit=Unit.OPS_PER_SECOND,
    legend=TABLE_LEGEND,
    width=8,
)

solana_rpc_health = StateTimeline(
    title="Solana RPC Health",
    description="Health of each Solana RPC endpoint as the backend probes it.",
    queries=[q.SOLANA_HEALTH],
    unit=Unit.NONE,
    thresholds=Thresholds(steps=[Step(color=Color.RED), Step(color=Color.GREEN, value=1)]),
    mappings=[
        ValueMap(value=0, text="Unhealthy", color=Color.RED),
        ValueMap(value=1, text="Healthy", color=Color.GREEN),
    ],
    width=8,
)

alert_status = AlertList(
    title="Alert Status",
    description="PFM alerts firing or pending now.",
    states=[AlertState.FIRING, AlertState.PENDING],
    max_items=20,
    width=8,
)

overview = Dashboard(
    uid="pfm-overview",
    title="PFM Overview",
    description="Health of the PFM community application: traffic, errors, latency, "
    "datastores, containers, business activity and the Solana integration.",
    folder=PFM,
    tags=["pfm", "overview"],
    variables=[
        DatasourceVariable(),
        QueryVariable(
            name="environment",
            label="Environment",
            query="label_values(up, environment)",
            multi=True,
            include_all=True,
            all_value=".*",
        ),
    ],
    links=[Link(title="Runbooks", url="https://runbooks.pfm.example/", new_tab=True)],
    panels=[
        service_status,
        request_rate,
        error_rate,
        response_time,
        database_connections,
        redis_memory,
        container_resources,
        business_metrics,
        wallet_connections,
        solana_rpc_health,
        alert_status,
    ],
)
