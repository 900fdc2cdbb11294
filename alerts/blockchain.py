"""Wallet connections and the Solana RPC. Owned by the blockchain team."""

from alerts.teams import BLOCKCHAIN, runbook
from dashboards import pfm_overview as board
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
    SetGauge,
    Severity,
    ShiftLatency,
)

PROD = 'environment="production"'
RPC = f'endpoint="https://rpc.solana.example", {PROD}'
MAIN_RPC = "https://api.mainnet-beta.solana.com"  # the endpoint the app calls most


def wallets(connections: str, failures: str) -> list[Series]:
    return [
        Series(
            series=f'pfm_wallet_connections_total{{wallet="phantom", {PROD}}}', values=connections
        ),
        Series(
            series=(
                "pfm_wallet_connection_failures_total"
                f'{{wallet="phantom", reason="timeout", {PROD}}}'
            ),
            values=failures,
        ),
    ]


def rpc_latency(buckets: dict[str, str]) -> list[Series]:
    return [
        Series(series=f'solana_rpc_latency_seconds_bucket{{le="{le}", {RPC}}}', values=values)
        for le, values in buckets.items()
    ]


WALLET_TIMEOUTS = Fault(
    name="wallet-failures",
    description="Wallet connections time out.",
    changes=[
        ScaleRate(
            metric="pfm_wallet_connection_failures_total", where={"reason": "timeout"}, factor=30
        )
    ],
)


RPC_UNHEALTHY = Fault(
    name="solana-rpc-unhealthy",
    description="The main Solana RPC endpoint fails its health probe.",
    changes=[SetGauge(metric="solana_rpc_health", where={"endpoint": MAIN_RPC}, value=0)],
)


RPC_SLOW = Fault(
    name="solana-rpc-slow",
    description="Calls to the main Solana RPC endpoint take 15 times as long.",
    changes=[
        ShiftLatency(metric="solana_rpc_latency_seconds", where={"endpoint": MAIN_RPC}, factor=15)
    ],
)

wallet_failures = AlertRule(
    name="WalletConnectionFailureRateHigh",
    expr=q.WALLET_FAILURE_RATIO.for_rules(window="5m", environment=".+").compare(">", 0.1),
    for_="5m",
    severity=Severity.WARNING,
    team=BLOCKCHAIN,
    summary="More than 10% of wallet connection attempts fail.",
    description=(
        "{{ $value | humanizePercentage }} of wallet connections fail in {{ $labels.environment }}."
    ),
    runbook_url=runbook("WalletConnectionFailureRateHigh"),
    panel=PanelLink(dashboard=board.overview, panel=board.wallet_connections),
    scenario=Scenario(fault=WALLET_TIMEOUTS),
    tests=[
        AlertTest(
            name="a quarter of connections fail",
            series=wallets("0+40x20", "0+10x20"),
            at="15m",
            expect=[
                Expect(
                    labels={"environment": "production"},
                    annotations={"description": "25% of wallet connections fail in production."},
                )
            ],
        ),
        AlertTest(
            name="a rare failure",
            series=wallets("0+100x20", "0+1x20"),
            at="15m",
        ),
    ],
)

solana_unhealthy = AlertRule(
    name="SolanaRPCUnhealthy",
    expr=q.SOLANA_HEALTH.for_rules(environment=".+").compare("==", 0),
    for_="2m",
    severity=Severity.CRITICAL,
    team=BLOCKCHAIN,
    summary="The Solana RPC endpoint is unhealthy: votes cannot be recorded on chain.",
    description=(
        "{{ $labels.endpoint }} has failed its health probe in {{ $labels.environment }} "
        "for 2 minutes."
    ),
    runbook_url=runbook("SolanaRPCUnhealthy"),
    panel=PanelLink(dashboard=board.overview, panel=board.solana_rpc_health),
    scenario=Scenario(fault=RPC_UNHEALTHY),
    tests=[
        AlertTest(
            name="the endpoint fails its probe",
            series=[Series(series=f"solana_rpc_health{{{RPC}}}", values="1 1 0 0 0 0 0")],
            at="6m",
            expect=[
                Expect(
                    labels={"endpoint": "https://rpc.solana.example", "environment": "production"},
                    annotations={
                        "description": "https://rpc.solana.example has failed its health probe "
                        "in production for 2 minutes."
                    },
                )
            ],
        ),
        AlertTest(
            name="a healthy endpoint",
            series=[Series(series=f"solana_rpc_health{{{RPC}}}", values="1x10")],
            at="6m",
        ),
    ],
)

solana_latency = AlertRule(
    name="SolanaRPCLatencyHigh",
    expr=q.SOLANA_LATENCY_P95.for_rules(window="5m", environment=".+").compare(">", 2),
    for_="5m",
    severity=Severity.WARNING,
    team=BLOCKCHAIN,
    summary="Solana RPC calls are slow (p95 above 2 seconds).",
    description=(
        "p95 latency of {{ $labels.endpoint }} in {{ $labels.environment }} is "
        "{{ $value | humanizeDuration }}."
    ),
    runbook_url=runbook("SolanaRPCLatencyHigh"),
    panel=PanelLink(dashboard=signals.signals, panel=signals.solana_rpc_latency),
    scenario=Scenario(fault=RPC_SLOW),
    tests=[
        AlertTest(
            name="most calls take seconds",
            series=rpc_latency(
                {"0.5": "0+5x30", "1": "0+10x30", "5": "0+100x30", "+Inf": "0+100x30"}
            ),
            at="15m",
            expect=[
                Expect(
                    labels={"endpoint": "https://rpc.solana.example", "environment": "production"},
                    annotations={
                        "description": "p95 latency of https://rpc.solana.example in "
                        "production is 4.778s."
                    },
                )
            ],
        ),
        AlertTest(
            name="fast calls",
            series=rpc_latency(
                {"0.5": "0+95x30", "1": "0+100x30", "5": "0+100x30", "+Inf": "0+100x30"}
            ),
            at="15m",
        ),
    ],
)

blockchain = RuleGroup(
    name="pfm-blockchain",
    interval="30s",
    rules=[wallet_failures, solana_unhealthy, solana_latency],
)
