"""Is the backend up, correct and fast? Owned by the platform team."""

from alerts.teams import PLATFORM, runbook
from dashboards import pfm_overview as board
from dashboards import queries as q
from pfm_dash import (
    AlertRule,
    AlertTest,
    Expect,
    Fault,
    PanelLink,
    RecordingRule,
    RuleGroup,
    ScaleRate,
    Scenario,
    Series,
    Severity,
    ShiftLatency,
    StopTarget,
)

PROD = 'environment="production"'


def requests(status: str, values: str) -> Series:
    return Series(
        series=(
            f'http_requests_total{{service="api", method="GET", route="/communities", '
            f'status="{status}", {PROD}}}'
        ),
        values=values,
    )


def latency(buckets: dict[str, str]) -> list[Series]:
    return [
        Series(
            series=f'http_request_duration_seconds_bucket{{service="api", le="{le}", {PROD}}}',
            values=values,
        )
        for le, values in buckets.items()
    ]


BACKEND_DOWN = Fault(
    name="service-down",
    description="The production backend stops answering its scrapes.",
    changes=[StopTarget(job="pfm-backend")],
)


ERROR_BURST = Fault(
    name="error-burst",
    description="The API answers a quarter of its requests with a 500.",
    changes=[
        ScaleRate(
            metric="http_requests_total", where={"service": "api", "status": "500"}, factor=50
        )
    ],
)


LATENCY_SPIKE = Fault(
    name="latency-spike",
    description="Every API request takes 25 times as long.",
    changes=[
        ShiftLatency(metric="http_request_duration_seconds", where={"service": "api"}, factor=25)
    ],
)

service_down = AlertRule(
    name="ServiceDown",
    expr='up{job=~"pfm.*"} == 0',
    for_="1m",
    severity=Severity.CRITICAL,
    team=PLATFORM,
    summary="A PFM service target is down.",
    description=(
        "{{ $labels.job }} on {{ $labels.instance }} ({{ $labels.environment }}) "
        "has not answered Prometheus' scrapes for a minute."
    ),
    runbook_url=runbook("ServiceDown"),
    panel=PanelLink(dashboard=board.overview, panel=board.service_status),
    scenario=Scenario(fault=BACKEND_DOWN),
    tests=[
        AlertTest(
            name="target stops answering",
            series=[
                Series(
                    series=f'up{{job="pfm-backend", instance="api-1:3000", {PROD}}}',
                    values="1 1 0 0 0 0",
                )
            ],
            at="5m",
            expect=[
                Expect(
                    labels={
                        "job": "pfm-backend",
                        "instance": "api-1:3000",
                        "environment": "production",
                    },
                    annotations={
                        "description": "pfm-backend on api-1:3000 (production) has not "
                        "answered Prometheus' scrapes for a minute."
                    },
                )
            ],
        ),
        AlertTest(
            name="a single failed scrape is not an outage",
            series=[
                Series(
                    series=f'up{{job="pfm-backend", instance="api-1:3000", {PROD}}}',
                    values="1 1 0 1 1 1",
                )
            ],
            at="2m",  # the failed scrape is current: only `for` keeps it silent
        ),
    ],
)

high_error_rate = AlertRule(
    name="HighErrorRate",
    expr=q.ERROR_RATIO.for_rules(window="5m", environment=".+").compare(">", 0.05),
    for_="5m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="More than 5% of requests fail with a 5xx status.",
    description=(
        "{{ $labels.service }} in {{ $labels.environment }} answers "
        "{{ $value | humanizePercentage }} of requests with a 5xx status."
    ),
    runbook_url=runbook("HighErrorRate"),
    panel=PanelLink(dashboard=board.overview, panel=board.error_rate),
    scenario=Scenario(fault=ERROR_BURST),
    tests=[
        AlertTest(
            name="one request in eleven fails",
            series=[requests("200", "0+100x20"), requests("500", "0+10x20")],
            at="15m",
            expect=[
                Expect(
                    labels={"service": "api", "environment": "production"},
                    annotations={
                        "description": "api in production answers 9.091% of requests "
                        "with a 5xx status."
                    },
                )
            ],
        ),
        AlertTest(
            name="one percent of errors is normal",
            series=[requests("200", "0+100x20"), requests("500", "0+1x20")],
            at="15m",
        ),
    ],
)

high_latency = AlertRule(
    name="HighResponseTimeP95",
    expr=q.LATENCY_P95.for_rules(window="5m", environment=".+").compare(">", 1),
    for_="10m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="The 95th percentile response time is above one second.",
    description=(
        "p95 latency of {{ $labels.service }} in {{ $labels.environment }} is "
        "{{ $value | humanizeDuration }}."
    ),
    runbook_url=runbook("HighResponseTimeP95"),
    panel=PanelLink(dashboard=board.overview, panel=board.response_time),
    scenario=Scenario(fault=LATENCY_SPIKE),
    tests=[
        AlertTest(
            name="most requests take over a second",
            series=latency(
                {
                    "0.1": "0+0x30",
                    "0.5": "0+10x30",
                    "1": "0+20x30",
                    "2.5": "0+100x30",
                    "+Inf": "0+100x30",
                }
            ),
            at="20m",
            expect=[
                Expect(
                    labels={"service": "api", "environment": "production"},
                    annotations={"description": "p95 latency of api in production is 2.406s."},
                )
            ],
        ),
        AlertTest(
            name="fast requests stay silent",
            series=latency(
                {
                    "0.1": "0+90x30",
                    "0.5": "0+99x30",
                    "1": "0+100x30",
                    "2.5": "0+100x30",
                    "+Inf": "0+100x30",
                }
            ),
            at="20m",
        ),
    ],
)

availability = RuleGroup(
    name="pfm-availability",
    interval="30s",
    rules=[
        RecordingRule(
            record="service:http_requests:rate5m",
            expr=q.REQUEST_RATE.for_rules(window="5m", environment=".+"),
        ),
        service_down,
        high_error_rate,
        high_latency,
    ],
)
