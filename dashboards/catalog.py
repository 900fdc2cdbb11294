"""What PFM and its exporters expose: the metrics our panels and alerts may use.

Every scrape job of PFM's Prometheus attaches ``environment`` (production, staging) to its
targets, so it is a label of every series; ``job`` and ``instance`` come with each target.

Each metric also says how it behaves when PFM is healthy (``healthy=``): ``pfm-dash verify``
serves exactly that, and the faults beside the alerts bend it.
"""

from pfm_dash import Latency, Level, Rate, Simulation, Split, Swing
from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType

COUNTER, GAUGE, HISTOGRAM = MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM
MiB = 2**20

# Staging sees a small share of production's traffic; faults strike production only, so
# staging's own routing (reduced frequency) stays quiet in every verify run.
SIMULATION = Simulation(environments={"production": 1.0, "staging": 0.15}, faults_in="production")

# (service, method, route) -> requests per second in production.
ROUTES = {
    ("api", "GET", "/communities"): 14.0,
    ("api", "GET", "/communities/:id"): 10.0,
    ("api", "POST", "/communities/:id/votes"): 4.8,
    ("api", "POST", "/auth/login"): 3.2,
    ("api", "POST", "/wallet/connect"): 2.0,
    ("api", "GET", "/health"): 4.0,
    ("api", "GET", "/communities/:id/proposals"): 2.0,
    ("frontend", "GET", "/"): 8.0,
    ("frontend", "GET", "/communities/[id]"): 9.0,
    ("frontend", "GET", "/_next/static"): 3.0,
}
ROUTE_SPLIT = [
    Split(labels={"service": service, "method": method, "route": route}, weight=rps)
    for (service, method, route), rps in ROUTES.items()
]
STATUSES = {"200": 0.9, "304": 0.04, "400": 0.02, "404": 0.03, "500": 0.007, "503": 0.003}
COMMUNITIES = ["solana-devs", "defi-dao", "nft-artists", "gaming-guild", "climate-fund"]
WALLETS = {"phantom": 0.6, "solflare": 0.3, "backpack": 0.1}
RPC_ENDPOINTS = {"https://api.mainnet-beta.solana.com": 0.75, "https://rpc.helius.example": 0.25}
# container -> (CPU cores limit, memory limit bytes, normal CPU share, normal memory share)
CONTAINERS = {
    "pfm-backend": (1.0, 512 * MiB, 0.35, 0.55),
    "pfm-frontend": (0.5, 256 * MiB, 0.2, 0.45),
    "postgres": (2.0, 1024 * MiB, 0.15, 0.6),
    "redis": (0.5, 1280 * MiB, 0.05, 0.3),
}
CPU_PERIOD_US = 100_000.0


def containers(weight: dict[str, float]) -> list[Split]:
    """One row per container (cAdvisor's name, id and image), with its own weight."""
    return [
        Split(
            labels={"name": name, "id": f"/docker/{name}", "image": f"ghcr.io/pfm/{name}:1.4.2"},
            weight=weight[name],
        )
        for name in CONTAINERS
    ]


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
            healthy=Rate(per_second=1.0, split=ROUTE_SPLIT, labels={"status": STATUSES}),
        ),
        Metric(
            name="http_request_duration_seconds",
            type=HISTOGRAM,
            help="Time to serve an HTTP request.",
            labels=["service", "method", "route"],
            healthy=Latency(median=0.08, per_second=1.0, split=ROUTE_SPLIT),
        ),
        Metric(
            name="pfm_communities_total",
            type=GAUGE,
            help="Communities that exist now (a gauge despite its _total suffix).",
            healthy=Level(value=45),
        ),
        Metric(
            name="pfm_active_communities_total",
            type=GAUGE,
            help="Communities with activity in the last 24 hours (a gauge).",
            healthy=Swing(low=4, high=6, period="40s"),
        ),
        Metric(
            name="pfm_votes_total",
            type=COUNTER,
            help="Votes cast, by community.",
            labels=["community"],
            healthy=Rate(per_second=3.0, labels={"community": COMMUNITIES}),
        ),
        Metric(
            name="pfm_wallet_connections_total",
            type=COUNTER,
            help="Wallet connection attempts, by wallet.",
            labels=["wallet"],
            healthy=Rate(per_second=5.0, labels={"wallet": WALLETS}),
        ),
        Metric(
            name="pfm_wallet_connection_failures_total",
            type=COUNTER,
            help="Failed wallet connection attempts, by wallet and reason.",
            labels=["wallet", "reason"],
            healthy=Rate(
                per_second=0.075,
                labels={"wallet": WALLETS, "reason": {"timeout": 0.67, "rejected": 0.33}},
            ),
        ),
        Metric(
            name="pfm_failed_login_attempts_total",
            type=COUNTER,
            help="Rejected logins, by reason.",
            labels=["reason"],
            healthy=Rate(
                per_second=0.15,
                labels={"reason": {"bad_password": 0.67, "unknown_user": 0.27, "locked": 0.06}},
            ),
        ),
        Metric(
            name="solana_rpc_health",
            type=GAUGE,
            help="1 if the Solana RPC endpoint passed its last health probe.",
            labels=["endpoint"],
            healthy=Level(value=1, labels={"endpoint": list(RPC_ENDPOINTS)}),
        ),
        Metric(
            name="solana_rpc_latency_seconds",
            type=HISTOGRAM,
            help="Duration of Solana RPC calls.",
            labels=["endpoint"],
            healthy=Latency(
                median=0.2,
                per_second=3.0,
                labels={"endpoint": RPC_ENDPOINTS},
                buckets=[0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
            ),
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
            healthy=Swing(low=16, high=34, labels={"datname": {"pfm": 1.0, "postgres": 0.1}}),
        ),
        Metric(
            name="pg_settings_max_connections",
            type=GAUGE,
            help="The server's max_connections setting.",
            healthy=Level(value=100),
        ),
    ],
)

REDIS_EXPORTER = Exporter(
    name="redis_exporter",
    metrics=[
        Metric(
            name="redis_memory_used_bytes",
            type=GAUGE,
            help="Memory Redis has allocated.",
            healthy=Swing(low=300 * MiB, high=420 * MiB, period="50s"),
        ),
        Metric(
            name="redis_memory_max_bytes",
            type=GAUGE,
            help="The maxmemory setting; 0 when unlimited.",
            healthy=Level(value=1024 * MiB),
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
            healthy=Rate(
                per_second=2.0,
                labels={"cpu": ["0", "1"], "mode": {"idle": 0.7, "user": 0.2, "system": 0.1}},
            ),
        ),
        Metric(
            name="node_memory_MemAvailable_bytes",
            type=GAUGE,
            help="Memory available for starting new applications, without swapping.",
            healthy=Swing(low=3 * 1024 * MiB, high=4 * 1024 * MiB, period="45s"),
        ),
        Metric(
            name="node_memory_MemTotal_bytes",
            type=GAUGE,
            help="Total usable memory.",
            healthy=Level(value=8 * 1024 * MiB),
        ),
        Metric(
            name="node_filesystem_avail_bytes",
            type=GAUGE,
            help="Filesystem space available to non-root users.",
            labels=["device", "fstype", "mountpoint"],
            healthy=Level(
                value=40 * 1024 * MiB,
                split=[Split(labels={"device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/"})],
            ),
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
            healthy=Rate(
                per_second=1.0,
                split=containers({n: c[0] * c[2] for n, c in CONTAINERS.items()}),
                labels={"cpu": ["total"]},
            ),
        ),
        Metric(
            name="container_memory_usage_bytes",
            type=GAUGE,
            help="Memory used by the container, page cache included.",
            labels=CONTAINER,
            healthy=Level(
                value=1.0, split=containers({n: c[1] * c[3] for n, c in CONTAINERS.items()})
            ),
        ),
        Metric(
            name="container_spec_cpu_quota",
            type=GAUGE,
            help="The container's CPU quota (CFS), in microseconds per period.",
            labels=CONTAINER,
            healthy=Level(
                value=CPU_PERIOD_US, split=containers({n: c[0] for n, c in CONTAINERS.items()})
            ),
        ),
        Metric(
            name="container_spec_cpu_period",
            type=GAUGE,
            help="The container's CPU period (CFS), in microseconds.",
            labels=CONTAINER,
            healthy=Level(value=CPU_PERIOD_US, split=containers(dict.fromkeys(CONTAINERS, 1.0))),
        ),
        Metric(
            name="container_spec_memory_limit_bytes",
            type=GAUGE,
            help="The container's memory limit; 0 when unlimited.",
            labels=CONTAINER,
            healthy=Level(value=1.0, split=containers({n: c[1] for n, c in CONTAINERS.items()})),
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
