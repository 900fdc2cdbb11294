"""The simulated PFM backend's metrics: every series the PFM panels and alerts read.

Each scrape advances the simulation by the time since the previous one, so counters grow at
realistic, slowly waving rates whatever the scrape interval. Label sets move as a live app's
do: traffic waves, a route and new communities appear after a while. Faults are switches that
bend one signal each, in production only, so staging keeps its own healthy routing.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from pfm_dash.model.scenario import Fault

ENVIRONMENTS = ("production", "staging")
FAULT_ENVIRONMENT = "production"
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RPC_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# The metric each fault bends; faults on different metrics may run at the same time.
FAULT_METRICS: dict[Fault, str] = {
    Fault.ERROR_BURST: "http_requests_total",
    Fault.LATENCY_SPIKE: "http_request_duration_seconds",
    Fault.SERVICE_DOWN: "up",
    Fault.DB_CONNECTIONS_HIGH: "pg_stat_database_numbackends",
    Fault.REDIS_MEMORY_HIGH: "redis_memory_used_bytes",
    Fault.CONTAINER_CPU_HIGH: "container_cpu_usage_seconds_total",
    Fault.CONTAINER_MEMORY_HIGH: "container_memory_usage_bytes",
    Fault.FAILED_LOGIN_BURST: "pfm_failed_login_attempts_total",
    Fault.WALLET_FAILURES: "pfm_wallet_connection_failures_total",
    Fault.SOLANA_RPC_UNHEALTHY: "solana_rpc_health",
    Fault.SOLANA_RPC_SLOW: "solana_rpc_latency_seconds",
    Fault.VOTES_STOPPED: "pfm_votes_total",
}

# (method, route, median latency s, share of traffic, seconds after start it appears)
API_ROUTES = (
    ("GET", "/communities", 0.06, 0.35, 0.0),
    ("GET", "/communities/:id", 0.04, 0.25, 0.0),
    ("POST", "/communities/:id/votes", 0.12, 0.12, 0.0),
    ("POST", "/auth/login", 0.2, 0.08, 0.0),
    ("POST", "/wallet/connect", 0.15, 0.05, 0.0),
    ("GET", "/health", 0.004, 0.1, 0.0),
    ("GET", "/communities/:id/proposals", 0.08, 0.05, 12.0),  # a deploy adds a route
)
FRONTEND_ROUTES = (
    ("GET", "/", 0.09, 0.4, 0.0),
    ("GET", "/communities/[id]", 0.12, 0.45, 0.0),
    ("GET", "/_next/static", 0.01, 0.15, 0.0),
)
# status -> share of requests when healthy
STATUSES = {"200": 0.9, "304": 0.04, "400": 0.02, "404": 0.03, "500": 0.007, "503": 0.003}
COMMUNITIES = ("solana-devs", "defi-dao", "nft-artists", "gaming-guild", "climate-fund")
WALLETS = {"phantom": 3.0, "solflare": 1.5, "backpack": 0.5}
RPC_ENDPOINTS = ("https://api.mainnet-beta.solana.com", "https://rpc.helius.example")
RPC_METHODS = {"getLatestBlockhash": 0.5, "sendTransaction": 0.2, "getAccountInfo": 0.3}
# name -> (CPU cores limit, memory limit bytes, normal CPU share, normal memory share)
CONTAINERS = {
    "pfm-backend": (1.0, 512 * 2**20, 0.35, 0.55),
    "pfm-frontend": (0.5, 256 * 2**20, 0.2, 0.45),
    "postgres": (2.0, 1024 * 2**20, 0.15, 0.6),
    "redis": (0.5, 1280 * 2**20, 0.05, 0.3),
}
CPU_PERIOD = 100_000.0


def lognormal_cdf(x: float, median: float, sigma: float = 0.5) -> float:
    """Share of requests faster than ``x`` seconds, for a log-normal latency around ``median``."""
    return 0.5 * (1 + math.erf(math.log(x / median) / (sigma * math.sqrt(2))))


class Faults:
    """The switches, shared by the control endpoint and the collectors."""

    def __init__(self) -> None:
        self._on: set[Fault] = set()
        self._lock = threading.Lock()

    def set(self, fault: Fault, on: bool) -> None:
        with self._lock:
            (self._on.add if on else self._on.discard)(fault)

    def active(self) -> list[Fault]:
        with self._lock:
            return sorted(self._on, key=lambda f: f.value)

    def on(self, fault: Fault, environment: str) -> bool:
        with self._lock:
            return environment == FAULT_ENVIRONMENT and fault in self._on


@dataclass
class Histogram:
    """Cumulative bucket counts as floats, fed with a share of requests at a time."""

    bounds: tuple[float, ...]
    buckets: list[float] = field(default_factory=list)
    total: float = 0.0

    def observe(self, count: float, median: float) -> None:
        if not self.buckets:
            self.buckets = [0.0] * len(self.bounds)
        for i, bound in enumerate(self.bounds):
            self.buckets[i] += count * lognormal_cdf(bound, median)
        self.total += count * median * 1.13  # the log-normal mean, for the _sum

    def samples(self, count: float) -> list[tuple[str, float]]:
        pairs = [(repr(b), v) for b, v in zip(self.bounds, self.buckets, strict=True)]
        return [*pairs, ("+Inf", count)]


class Service:
    """One HTTP service's request counters and latency histograms in one environment."""

    def __init__(
        self,
        name: str,
        environment: str,
        routes: tuple[tuple[str, str, float, float, float], ...],
        rps: float,
        faults: Faults,
    ) -> None:
        self.name, self.environment, self.routes = name, environment, routes
        self.rps, self.faults = rps, faults
        self.requests: dict[tuple[str, str, str], float] = {}
        self.latency: dict[tuple[str, str], Histogram] = {}
        self.counts: dict[tuple[str, str], float] = {}

    def advance(self, age: float, dt: float, wave: float) -> None:
        errors = self.name == "api" and self.faults.on(Fault.ERROR_BURST, self.environment)
        slow = self.name == "api" and self.faults.on(Fault.LATENCY_SPIKE, self.environment)
        for method, route, median, share, appears in self.routes:
            if age < appears:
                continue
            n = self.rps * share * wave * dt
            statuses = dict(STATUSES)
            if method == "POST":
                statuses["201"], statuses["200"] = statuses["200"] * 0.8, statuses["200"] * 0.2
                del statuses["304"]
            if route == "/auth/login":
                statuses["401"] = 0.06
            if errors:
                statuses["500"] = 0.35
            weight = sum(statuses.values())
            for status, part in statuses.items():
                key = (method, route, status)
                self.requests[key] = self.requests.get(key, 0.0) + n * part / weight
            hist = self.latency.setdefault((method, route), Histogram(HTTP_BUCKETS))
            hist.observe(n, median * (25 if slow else 1))
            self.counts[(method, route)] = self.counts.get((method, route), 0.0) + n

    def metrics(self) -> Iterator[Metric]:
        labels = ["service", "method", "route", "status", "environment"]
        counter = CounterMetricFamily("http_requests", "HTTP requests served.", labels=labels)
        for (method, route, status), value in sorted(self.requests.items()):
            counter.add_metric([self.name, method, route, status, self.environment], value)
        yield counter
        hist = HistogramMetricFamily(
            "http_request_duration_seconds",
            "HTTP request duration.",
            labels=["service", "method", "route", "environment"],
        )
        for (method, route), h in sorted(self.latency.items()):
            count = self.counts[(method, route)]
            hist.add_metric([self.name, method, route, self.environment], h.samples(count), h.total)
        yield hist


class ServiceCollector:
    """A scrape target exposing one service: advances it, then reports it."""

    def __init__(self, service: Service, seed: int) -> None:
        self.service = service
        self.rng = random.Random(seed)
        self.started = self.last = time.monotonic()
        self.lock = threading.Lock()

    def step(self) -> tuple[float, float, float]:
        """(age, dt, traffic wave) since the previous scrape."""
        now = time.monotonic()
        age, dt, self.last = now - self.started, now - self.last, now
        wave = 1 + 0.25 * math.sin(age / 7) + self.rng.uniform(-0.05, 0.05)
        return age, dt, wave

    def collect(self) -> Iterator[Metric]:
        with self.lock:
            age, dt, wave = self.step()
            self.service.advance(age, dt, wave)
            yield from self.service.metrics()


class BackendCollector(ServiceCollector):
    """The PFM backend of one environment, with the exporters it runs beside it.

    PostgreSQL, Redis and cAdvisor series carry the exporter's own ``instance``; the scrape
    keeps them (``honor_labels``), as a federated or pushed setup would.
    """

    def __init__(self, environment: str, rps: float, faults: Faults, seed: int) -> None:
        super().__init__(Service("api", environment, API_ROUTES, rps, faults), seed)
        self.env, self.faults, self.scale = environment, faults, rps / 40
        self.cpu = dict.fromkeys(CONTAINERS, 0.0)
        self.votes: dict[str, float] = {}
        self.logins: dict[str, float] = {"bad_password": 0.0, "unknown_user": 0.0, "locked": 0.0}
        self.wallets = {w: 0.0 for w in WALLETS}
        self.wallet_failures = {(w, r): 0.0 for w in WALLETS for r in ("timeout", "rejected")}
        self.rpc: dict[tuple[str, str], Histogram] = {}
        self.rpc_counts: dict[tuple[str, str], float] = {}

    def on(self, fault: Fault) -> bool:
        return self.faults.on(fault, self.env)

    def collect(self) -> Iterator[Metric]:
        with self.lock:
            age, dt, wave = self.step()
            self.service.advance(age, dt, wave)
            yield from self.service.metrics()
            yield from self.datastores(wave)
            yield from self.containers(dt, wave)
            yield from self.business(age, dt, wave)
            yield from self.blockchain(dt, wave)

    def gauge(self, name: str, help_: str, labels: list[str]) -> GaugeMetricFamily:
        return GaugeMetricFamily(name, help_, labels=[*labels, "environment"])

    def datastores(self, wave: float) -> Iterator[Metric]:
        pg = self.gauge("pg_stat_database_numbackends", "Backends.", ["datname", "instance"])
        busy = 88.0 if self.on(Fault.DB_CONNECTIONS_HIGH) else 12 + 14 * wave * self.scale
        pg.add_metric(["pfm", "postgres:9187", self.env], round(busy))
        pg.add_metric(["postgres", "postgres:9187", self.env], 2)
        yield pg
        mx = self.gauge("pg_settings_max_connections", "max_connections.", ["instance"])
        mx.add_metric(["postgres:9187", self.env], 100)
        yield mx
        limit = 1024 * 2**20
        used = 0.97 if self.on(Fault.REDIS_MEMORY_HIGH) else 0.3 + 0.05 * wave
        for name, value in (
            ("redis_memory_used_bytes", used * limit),
            ("redis_memory_max_bytes", limit),
        ):
            g = self.gauge(name, "Redis memory.", ["instance"])
            g.add_metric(["redis:9121", self.env], round(value))
            yield g

    def containers(self, dt: float, wave: float) -> Iterator[Metric]:
        names = ["name", "id", "image"]
        cpu = CounterMetricFamily(
            "container_cpu_usage_seconds", "CPU seconds.", labels=[*names, "environment"]
        )
        quota = self.gauge("container_spec_cpu_quota", "CPU quota.", names)
        period = self.gauge("container_spec_cpu_period", "CPU period.", names)
        mem = self.gauge("container_memory_usage_bytes", "Memory in use.", names)
        limit = self.gauge("container_spec_memory_limit_bytes", "Memory limit.", names)
        total = 0.0
        for name, (cores, mem_limit, cpu_share, mem_share) in CONTAINERS.items():
            hot = name == "pfm-backend" and self.on(Fault.CONTAINER_CPU_HIGH)
            self.cpu[name] += cores * (0.97 if hot else cpu_share * wave) * dt
            total += self.cpu[name]
            full = name == "pfm-backend" and self.on(Fault.CONTAINER_MEMORY_HIGH)
            labels = [name, f"/docker/{name}", f"ghcr.io/pfm/{name}:1.4.2", self.env]
            cpu.add_metric(labels, self.cpu[name])
            quota.add_metric(labels, cores * CPU_PERIOD)
            period.add_metric(labels, CPU_PERIOD)
            mem.add_metric(labels, round(mem_limit * (0.95 if full else mem_share * wave)))
            limit.add_metric(labels, mem_limit)
        # The root cgroup has no name; panels and alerts must filter it out.
        cpu.add_metric(["", "/", "", self.env], total * 1.1)
        mem.add_metric(["", "/", "", self.env], 3 * 2**30)
        yield from (cpu, quota, period, mem, limit)

    def business(self, age: float, dt: float, wave: float) -> Iterator[Metric]:
        known = 2 + min(len(COMMUNITIES) - 2, int(age // 10))  # new communities start voting
        stopped = self.on(Fault.VOTES_STOPPED)
        for community in COMMUNITIES[:known]:
            rate = 0.0 if stopped else 0.6 * self.scale * wave
            self.votes[community] = self.votes.get(community, 0.0) + round(rate * dt, 3)
        votes = CounterMetricFamily("pfm_votes", "Votes cast.", labels=["community", "environment"])
        for community, value in self.votes.items():
            votes.add_metric([community, self.env], value)
        yield votes
        for name, value in (
            ("pfm_communities_total", 40 + known),
            ("pfm_active_communities_total", known),
        ):
            g = self.gauge(name, "Communities.", [])
            g.add_metric([self.env], value)
            yield g
        burst = self.on(Fault.FAILED_LOGIN_BURST)
        for reason, normal in (("bad_password", 0.1), ("unknown_user", 0.04), ("locked", 0.01)):
            rate = 12.0 if burst and reason == "bad_password" else normal * wave * self.scale
            self.logins[reason] += rate * dt
        logins = CounterMetricFamily(
            "pfm_failed_login_attempts", "Failed logins.", labels=["reason", "environment"]
        )
        for reason, value in self.logins.items():
            logins.add_metric([reason, self.env], value)
        yield logins

    def blockchain(self, dt: float, wave: float) -> Iterator[Metric]:
        failing = self.on(Fault.WALLET_FAILURES)
        conns = CounterMetricFamily(
            "pfm_wallet_connections", "Wallet connections.", labels=["wallet", "environment"]
        )
        fails = CounterMetricFamily(
            "pfm_wallet_connection_failures",
            "Failed wallet connections.",
            labels=["wallet", "reason", "environment"],
        )
        for wallet, rate in WALLETS.items():
            n = rate * wave * self.scale * dt
            self.wallets[wallet] += n
            conns.add_metric([wallet, self.env], self.wallets[wallet])
            for reason, share in (("timeout", 0.01), ("rejected", 0.005)):
                share = 0.4 if failing and reason == "timeout" else share
                self.wallet_failures[(wallet, reason)] += n * share
                fails.add_metric([wallet, reason, self.env], self.wallet_failures[(wallet, reason)])
        yield from (conns, fails)
        health = self.gauge("solana_rpc_health", "RPC health probe (1 = healthy).", ["endpoint"])
        slow = self.on(Fault.SOLANA_RPC_SLOW)
        lat = HistogramMetricFamily(
            "solana_rpc_latency_seconds",
            "Solana RPC call latency.",
            labels=["endpoint", "method", "environment"],
        )
        for i, endpoint in enumerate(RPC_ENDPOINTS):
            down = i == 0 and self.on(Fault.SOLANA_RPC_UNHEALTHY)
            health.add_metric([endpoint, self.env], 0 if down else 1)
            for method, rate in RPC_METHODS.items():
                key = (endpoint, method)
                n = rate * wave * self.scale * dt * (3 if i == 0 else 1)
                h = self.rpc.setdefault(key, Histogram(RPC_BUCKETS))
                h.observe(n, 0.2 * (15 if slow and i == 0 else 1))
                self.rpc_counts[key] = self.rpc_counts.get(key, 0.0) + n
                lat.add_metric(
                    [endpoint, method, self.env], h.samples(self.rpc_counts[key]), h.total
                )
        yield from (health, lat)
