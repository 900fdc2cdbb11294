"""Container CPU and memory against their limits (cAdvisor). Owned by the platform team."""

from alerts.teams import PLATFORM, runbook
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
    SetGauge,
    Severity,
)

C = 'name="pfm-backend", environment="production"'

BACKEND_CPU_HIGH = Fault(
    name="container-cpu-high",
    description="The backend container runs at its CPU limit.",
    changes=[
        ScaleRate(
            metric="container_cpu_usage_seconds_total", where={"name": "pfm-backend"}, factor=2.8
        )
    ],
)


BACKEND_MEMORY_HIGH = Fault(
    name="container-memory-high",
    description="The backend container fills 95% of its memory limit.",
    changes=[
        SetGauge(
            metric="container_memory_usage_bytes",
            where={"name": "pfm-backend"},
            value=0.95 * 512 * 2**20,
        )
    ],
)

container_cpu = AlertRule(
    name="ContainerCPUHigh",
    expr=(
        'sum by (name, environment) (rate(container_cpu_usage_seconds_total{name!=""}[5m]))\n'
        "/\n"
        "max by (name, environment) "
        '(container_spec_cpu_quota{name!=""} / container_spec_cpu_period{name!=""})\n'
        "> 0.9"
    ),
    for_="10m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="A container uses more than 90% of its CPU limit.",
    description=(
        "{{ $labels.name }} ({{ $labels.environment }}) uses "
        "{{ $value | humanizePercentage }} of its CPU limit."
    ),
    runbook_url=runbook("ContainerCPUHigh"),
    panel=PanelLink(dashboard=board.overview, panel=board.container_resources),
    scenario=Scenario(fault=BACKEND_CPU_HIGH),
    tests=[
        AlertTest(
            name="a container pinned at its 1-core limit",
            series=[
                # 57 CPU-seconds a minute is 0.95 of one core.
                Series(series=f"container_cpu_usage_seconds_total{{{C}}}", values="0+57x40"),
                Series(series=f"container_spec_cpu_quota{{{C}}}", values="100000x40"),
                Series(series=f"container_spec_cpu_period{{{C}}}", values="100000x40"),
            ],
            at="30m",
            expect=[
                Expect(
                    labels={"name": "pfm-backend", "environment": "production"},
                    annotations={
                        "description": "pfm-backend (production) uses 95% of its CPU limit."
                    },
                )
            ],
        ),
        AlertTest(
            name="a container at half its limit",
            series=[
                Series(series=f"container_cpu_usage_seconds_total{{{C}}}", values="0+30x40"),
                Series(series=f"container_spec_cpu_quota{{{C}}}", values="100000x40"),
                Series(series=f"container_spec_cpu_period{{{C}}}", values="100000x40"),
            ],
            at="30m",
        ),
    ],
)

container_memory = AlertRule(
    name="ContainerMemoryHigh",
    expr=(
        'max by (name, environment) (container_memory_usage_bytes{name!=""})\n'
        "/\n"
        'max by (name, environment) (container_spec_memory_limit_bytes{name!=""} > 0)\n'
        "> 0.9"
    ),
    for_="5m",
    severity=Severity.WARNING,
    team=PLATFORM,
    summary="A container is close to its memory limit and may be OOM-killed.",
    description=(
        "{{ $labels.name }} ({{ $labels.environment }}) uses "
        "{{ $value | humanizePercentage }} of its memory limit."
    ),
    runbook_url=runbook("ContainerMemoryHigh"),
    panel=PanelLink(dashboard=board.overview, panel=board.container_resources),
    scenario=Scenario(fault=BACKEND_MEMORY_HIGH),
    tests=[
        AlertTest(
            name="a container at 95% of its limit",
            series=[
                Series(series=f"container_memory_usage_bytes{{{C}}}", values="510027366x20"),
                Series(series=f"container_spec_memory_limit_bytes{{{C}}}", values="536870912x20"),
            ],
            at="10m",
            expect=[
                Expect(
                    labels={"name": "pfm-backend", "environment": "production"},
                    annotations={
                        "description": "pfm-backend (production) uses 95% of its memory limit."
                    },
                )
            ],
        ),
        AlertTest(
            name="a container without a limit is never near it",
            series=[
                Series(series=f"container_memory_usage_bytes{{{C}}}", values="510027366x20"),
                Series(series=f"container_spec_memory_limit_bytes{{{C}}}", values="0x20"),
            ],
            at="10m",
        ),
    ],
)

containers = RuleGroup(
    name="pfm-containers",
    interval="30s",
    rules=[container_cpu, container_memory],
)
