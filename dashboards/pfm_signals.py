"""Signals the overview leaves out but alerts page on: failed logins and Solana RPC latency.

The overview keeps the seed's eleven panels; an alert must link to a panel that shows what it
evaluates, so these two live here.
"""

from dashboards import queries as q
from dashboards.pfm_overview import PFM, overview
from pfm_dash import (
    Color,
    Dashboard,
    Step,
    Thresholds,
    TimeSeries,
    Unit,
)

failed_logins = TimeSeries(
    title="Failed Logins",
    description="Failed login attempts per second; a spike means credential stuffing.",
    queries=[q.FAILED_LOGINS],
    unit=Unit.OPS_PER_SECOND,
    min=0,
    thresholds=Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=1)]),
    width=12,
)

solana_rpc_latency = TimeSeries(
    title="Solana RPC Latency (p95)",
    description="95th percentile of Solana RPC call duration, per endpoint.",
    queries=[q.SOLANA_LATENCY_P95],
    unit=Unit.SECONDS,
    min=0,
    thresholds=Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=2)]),
    width=12,
)

signals = Dashboard(
    uid="pfm-signals",
    title="PFM Security and Blockchain Signals",
    description="Failed logins and Solana RPC latency, the signals of two PFM alerts.",
    folder=PFM,
    tags=["pfm"],
    variables=overview.variables,  # the same datasource and $environment
    panels=[failed_logins, solana_rpc_latency],
)
