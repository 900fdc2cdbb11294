"""The bundled PFM monitoring: the overview's panels, the alerts and teams the product promises.

`pfm-dash build --check` guards the committed bytes of build/; tests/test_snapshots.py pins
the compiler's output for every kind of declaration.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = ROOT / "build/grafana/dashboards/pfm-overview.json"
TITLES = [
    "Service Status",
    "Request Rate",
    "Error Rate",
    "Response Time (p95)",
    "Database Connections",
    "Redis Memory Usage",
    "Container Resources",
    "Business Metrics",
    "Wallet Connections",
    "Solana RPC Health",
    "Alert Status",
]
ALERTS = {
    "ServiceDown": ("critical", "platform"),
    "HighErrorRate": ("warning", "platform"),
    "HighResponseTimeP95": ("warning", "platform"),
    "DatabaseConnectionsNearMax": ("warning", "platform"),
    "RedisMemoryHigh": ("warning", "platform"),
    "ContainerCPUHigh": ("warning", "platform"),
    "ContainerMemoryHigh": ("warning", "platform"),
    "FailedLoginSpike": ("warning", "security"),
    "WalletConnectionFailureRateHigh": ("warning", "blockchain"),
    "SolanaRPCUnhealthy": ("critical", "blockchain"),
    "SolanaRPCLatencyHigh": ("warning", "blockchain"),
    "NoVotesRecorded": ("warning", "development"),
}


def overview() -> dict[str, object]:
    return json.loads(OVERVIEW.read_text())  # type: ignore[no-any-return]


def rules() -> dict[str, dict[str, object]]:
    out = {}
    for path in (ROOT / "build/prometheus/rules").glob("*.rules.yml"):
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    out[rule["alert"]] = rule
    return out


def test_overview_has_the_eleven_panels() -> None:
    model = overview()
    assert model["uid"] == "pfm-overview"
    assert [p["title"] for p in model["panels"]] == TITLES  # type: ignore[index, union-attr]


def test_overview_queries_use_variables_and_real_metrics() -> None:
    exprs = [t["expr"] for p in overview()["panels"] for t in p["targets"]]  # type: ignore[union-attr, index]
    joined = "\n".join(exprs)
    assert 'status=~"5.."' in joined and "histogram_quantile(0.95" in joined
    assert "http_request_duration_seconds_bucket" in joined and "le)" in joined
    for metric in [
        "up{",
        "pg_stat_database_numbackends",
        "pg_settings_max_connections",
        "redis_memory_used_bytes",
        "redis_memory_max_bytes",
        "container_cpu_usage_seconds_total",
        "container_memory_usage_bytes",
        "pfm_communities_total",
        "pfm_active_communities_total",
        "pfm_votes_total",
        "pfm_wallet_connections_total",
        "pfm_wallet_connection_failures_total",
        "solana_rpc_health",
    ]:
        assert metric in joined, metric
    for expr in exprs:
        assert "$environment" in expr, expr
        if "rate(" in expr and "24h" not in expr:
            assert "$__rate_interval" in expr, expr


def test_every_panel_has_a_unit() -> None:
    for panel in overview()["panels"]:  # type: ignore[union-attr]
        if panel["type"] != "alertlist":  # type: ignore[index]
            assert panel["fieldConfig"]["defaults"].get("unit"), panel["title"]  # type: ignore[index]


def test_alerts_have_severity_team_and_annotations() -> None:
    found = rules()
    assert set(found) == set(ALERTS)
    for name, (severity, team) in ALERTS.items():
        rule = found[name]
        assert rule["labels"] == {"severity": severity, "team": team} | {
            k: v
            for k, v in rule["labels"].items()
            if k not in ("severity", "team")  # type: ignore[union-attr]
        }
        annotations = rule["annotations"]
        assert {"summary", "description", "runbook_url"} <= annotations.keys()  # type: ignore[union-attr]
        assert "{{" in annotations["description"]  # type: ignore[index]
        assert "environment" in rule["expr"] or name == "ServiceDown"  # type: ignore[operator]
