"""What PFM and its exporters expose: the metrics our panels and alerts may use.

Every scrape job of PFM's Prometheus attaches ``environment`` (production, staging) to its
targets, so it is a label of every series; ``job`` and ``instance`` come with each target.
"""

from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType

COUNTER, GAUGE, HISTOGRAM = MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM

PROMETHEUS = Exporter(
    name="prometheus",
    metrics=[Metric(name="up", type=GAUGE, help="1 if the last scrape of the target succeeded.")],
)

PFM_BACKEND = Exporter(
    name="pfm-backend",
    metrics=[
        Metric(
            name="http_requests_total",
            type=COUNTER,
            help="HTTP requests served, by route and status code.",
            labels=["service", "method", "route", "status"],
        ),
        Metric(
            name="http_request_duration_seconds",
            type=HISTOGRAM,
            help="Time to serve an HTTP request.",
            labels=["service", "method", "route"],
        ),
        Metric(
            name="pfm_communities_total",
            type=GAUGE,
            help="Communities that exist now (a gauge despite its _total suffix).",
        ),
        Metric(
            name="pfm_active_communities_total",
            type=GAUGE,
            help="Communities with activity in the last 24 hours (a gauge).",
        ),
        Metric(
            name="pfm_votes_total",
            type=COUNTER,
            help="Votes cast, by community.",
            labels=["community"],
        ),
        Metric(
            name="pfm_wallet_connections_total",
            type=COUNTER,
            help="Wallet connection attempts, by wallet.",
            labels=["wallet"],
        ),
        Metric(
            name="pfm_wallet_connection_failures_total",
            type=COUNTER,
            help="Failed wallet connection attempts, by wallet and reason.",
            labels=["wallet", "reason"],
        ),
        Metric(
            name="pfm_failed_login_attempts_total",
            type=COUNTER,
            help="Rejected logins, by reason.",
            labels=["reason"],
        ),
        Metric(
            name="solana_rpc_health",
            type=GAUGE,
            help="1 if the Solana RPC endpoint passed its last health probe.",
            labels=["endpoint"],
        ),
        Metric(
            name="solana_rpc_latency_seconds",
            type=HISTOGRAM,
            help="Duration of Solana RPC calls.",
            labels=["endpoint"],
        ),
    ],
)

POSTGRES_EXPORTER = Exporter(
    name="postgres_exporter",
    metrics=[
        Metric(
            name="pg_stat_database_numbackends",
            type=GAUGE,
            help="Backends connected to each database.",
            labels=["datname", "datid"],
        ),
        Metric(
            name="pg_settings_max_connections",
            type=GAUGE,
            help="The server's max_connections setting.",
        ),
    ],
)

REDIS_EXPORTER = Exporter(
    name="redis_exporter",
    metrics=[
        Metric(name="redis_memory_used_bytes", type=GAUGE, help="Memory Redis has allocated."),
        Metric(
            name="redis_memory_max_bytes",
            type=GAUGE,
            help="The maxmemory setting; 0 when unlimited.",
        ),
    ],
)

NODE_EXPORTER = Exporter(
    name="node_exporter",
    metrics=[
        Metric(
            name="node_cpu_seconds_total",
            type=COUNTER,
            help="Seconds the host's CPUs spent in each mode.",
            labels=["cpu", "mode"],
        ),
        Metric(
            name="node_memory_MemAvailable_bytes",
            type=GAUGE,
            help="Memory available for starting new applications, without swapping.",
        ),
        Metric(name="node_memory_MemTotal_bytes", type=GAUGE, help="Total usable memory."),
        Metric(
            name="node_filesystem_avail_bytes",
            type=GAUGE,
            help="Filesystem space available to non-root users.",
            labels=["device", "fstype", "mountpoint"],
        ),
    ],
)

CONTAINER = ["name", "id", "image"]
CADVISOR = Exporter(
    name="cadvisor",
    metrics=[
        Metric(
            name="container_cpu_usage_seconds_total",
            type=COUNTER,
            help="CPU time consumed by the container, per CPU.",
            labels=[*CONTAINER, "cpu"],
        ),
        Metric(
            name="container_memory_usage_bytes",
            type=GAUGE,
            help="Memory used by the container, page cache included.",
            labels=CONTAINER,
        ),
        Metric(
            name="container_spec_cpu_quota",
            type=GAUGE,
            help="The container's CPU quota (CFS), in microseconds per period.",
            labels=CONTAINER,
        ),
        Metric(
            name="container_spec_cpu_period",
            type=GAUGE,
            help="The container's CPU period (CFS), in microseconds.",
            labels=CONTAINER,
        ),
        Metric(
            name="container_spec_memory_limit_bytes",
            type=GAUGE,
            help="The container's memory limit; 0 when unlimited.",
            labels=CONTAINER,
        ),
    ],
)

CATALOG = Catalog(
    exporters=[
        PROMETHEUS,
        PFM_BACKEND,
        POSTGRES_EXPORTER,
        REDIS_EXPORTER,
        NODE_EXPORTER,
        CADVISOR,
    ],
    common_labels=["environment"],
)
