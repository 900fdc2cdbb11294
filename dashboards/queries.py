"""The PFM signals, written once: panels show them, alert rules evaluate them.

Every query keeps ``environment`` in its grouping, so an alert built from it carries the label
that routes staging separately from production.
"""

from pfm_dash import Query

ENV = 'environment=~"$environment"'

REQUEST_RATE = Query(
    expr=f"sum by (service, environment) (rate(http_requests_total{{{ENV}}}[$__rate_interval]))",
    legend="{{service}} ({{environment}})",
)

ERROR_RATIO = Query(
    expr=(
        f'sum by (service, environment) (rate(http_requests_total{{status=~"5..", {ENV}}}'
        "[$__rate_interval]))\n/\n"
        f"sum by (service, environment) (rate(http_requests_total{{{ENV}}}[$__rate_interval]))"
    ),
    legend="{{service}} ({{environment}})",
)

LATENCY_P95 = Query(
    expr=(
        "histogram_quantile(0.95, sum by (service, environment, le) "
        f"(rate(http_request_duration_seconds_bucket{{{ENV}}}[$__rate_interval])))"
    ),
    legend="{{service}} p95 ({{environment}})",
)

DB_CONNECTIONS_USED = Query(
    expr=(
        f"sum by (instance, environment) (pg_stat_database_numbackends{{{ENV}}})\n/\n"
        f"max by (instance, environment) (pg_settings_max_connections{{{ENV}}})"
    ),
    legend="{{instance}} ({{environment}})",
)

REDIS_MEMORY_USED = Query(
    expr=(
        f"max by (instance, environment) (redis_memory_used_bytes{{{ENV}}})\n/\n"
        f"max by (instance, environment) (redis_memory_max_bytes{{{ENV}}} > 0)"
    ),
    legend="{{instance}} ({{environment}})",
)

CONTAINER_CPU = Query(
    expr=(
        "sum by (name, environment) "
        f'(rate(container_cpu_usage_seconds_total{{name!="", {ENV}}}[$__rate_interval]))'
    ),
    legend="{{name}} CPU ({{environment}})",
)

CONTAINER_MEMORY = Query(
    expr=f'sum by (name, environment) (container_memory_usage_bytes{{name!="", {ENV}}})',
    legend="{{name}} memory ({{environment}})",
)

FAILED_LOGINS = Query(
    expr=f"sum by (environment) (rate(pfm_failed_login_attempts_total{{{ENV}}}[$__rate_interval]))",
    legend="failed logins ({{environment}})",
)

WALLET_CONNECTIONS = Query(
    expr=(
        "sum by (wallet, environment) "
        f"(rate(pfm_wallet_connections_total{{{ENV}}}[$__rate_interval]))"
    ),
    legend="{{wallet}} connections ({{environment}})",
)

WALLET_FAILURES = Query(
    expr=(
        "sum by (wallet, environment) "
        f"(rate(pfm_wallet_connection_failures_total{{{ENV}}}[$__rate_interval]))"
    ),
    legend="{{wallet}} failures ({{environment}})",
)

WALLET_FAILURE_RATIO = Query(
    expr=(
        "sum by (environment) "
        f"(rate(pfm_wallet_connection_failures_total{{{ENV}}}[$__rate_interval]))\n/\n"
        f"sum by (environment) (rate(pfm_wallet_connections_total{{{ENV}}}[$__rate_interval]))"
    ),
    legend="failure ratio ({{environment}})",
)

SOLANA_HEALTH = Query(
    expr=f"max by (endpoint, environment) (solana_rpc_health{{{ENV}}})",
    legend="{{endpoint}} ({{environment}})",
)

SOLANA_LATENCY_P95 = Query(
    expr=(
        "histogram_quantile(0.95, sum by (endpoint, environment, le) "
        f"(rate(solana_rpc_latency_seconds_bucket{{{ENV}}}[$__rate_interval])))"
    ),
    legend="{{endpoint}} p95",
)
