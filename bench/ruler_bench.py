"""Syncing 1,000 rule groups to the fake Mimir ruler with 20 ms added to every request.

    .venv/bin/python bench/ruler_bench.py [--runs N] [--groups N] [--latency S] [--concurrency N]

Each run starts an empty fake ruler in its own process
(``python -m pfm_dash.testing.fake_ruler``, so the server does not share this interpreter's
GIL; limits off: Mimir's default allows 70 groups per tenant) and syncs every group: once with
the default concurrency, once one request at a time. Prints both medians and their ratio (the
target is at least 5x), then re-syncs with nothing changed and prints the number of writes it
made (the target is 0).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from pfm_dash.client import RetryPolicy
from pfm_dash.deploy.ruler import RulerOptions, RulerSettings, sync_ruler
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.push.types import Action, PushSummary
from pfm_dash.testing.fake_ruler import FakeRuler, Limits

NO_LIMITS = Limits(max_rules_per_group=0, max_groups_per_tenant=0)


def rule_files(count: int) -> dict[str, str]:
    """``count`` groups of three rules each, as ``pfm-dash build`` writes them."""
    files = {}
    for i in range(count):
        group = {
            "name": f"service-{i:04d}",
            "interval": "30s",
            "rules": [
                {
                    "record": f"job:svc{i}_requests:rate5m",
                    "expr": f'sum(rate(req{{svc="{i}"}}[5m]))',
                },
                {
                    "alert": f"Service{i}Down",
                    "expr": f'up{{svc="{i}"}} == 0',
                    "for": "1m",
                    "labels": {"severity": "critical", "team": "platform"},
                    "annotations": {"summary": f"service {i} is down"},
                },
                {
                    "alert": f"Service{i}Slow",
                    "expr": f"job:svc{i}_requests:rate5m > 100",
                    "for": "5m",
                    "labels": {"severity": "warning", "team": "platform"},
                },
            ],
        }
        files[f"build/prometheus/rules/service-{i:04d}.rules.yml"] = dump_yaml({"groups": [group]})
    return files


def one_sync(fake: FakeRuler, files: dict[str, str], concurrency: int) -> tuple[float, PushSummary]:
    settings = _settings(fake.url, concurrency)
    started = time.perf_counter()
    summary = sync_ruler(settings, RulerOptions(), rule_files=files)
    elapsed = time.perf_counter() - started
    if summary.exit_code != 0:
        raise SystemExit(f"sync failed: {summary.counts}")
    return elapsed, summary


def timed_first_sync(files: dict[str, str], latency: float, concurrency: int) -> float:
    argv = [
        sys.executable,
        "-m",
        "pfm_dash.testing.fake_ruler",
        "--port",
        "0",
        "--latency",
        str(latency),
    ]
    argv += ["--max-rules-per-group", "0", "--max-groups-per-tenant", "0"]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1].removesuffix("/prometheus")
        settings = _settings(url, concurrency)
        started = time.perf_counter()
        summary = sync_ruler(settings, RulerOptions(), rule_files=files)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    if summary.count(Action.CREATE) != len(files):
        raise SystemExit(f"sync failed: {summary.counts}")
    return elapsed


def _settings(url: str, concurrency: int) -> RulerSettings:
    return RulerSettings(
        url,
        tenant="bench",
        namespace="bench",
        concurrency=concurrency,
        retry=RetryPolicy(retries=2, backoff=0.05),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--concurrency", type=int, default=RulerSettings("http://x").concurrency)
    args = parser.parse_args()
    files = rule_files(args.groups)
    parallel, serial = [], []
    for _ in range(args.runs):
        parallel.append(timed_first_sync(files, args.latency, args.concurrency))
        serial.append(timed_first_sync(files, args.latency, 1))
    p, s = statistics.median(parallel), statistics.median(serial)
    print(f"{args.groups} groups, {args.latency * 1000:.0f} ms added per request, {args.runs} runs")
    print(f"{p:7.2f} s  median  first sync, concurrency {args.concurrency}")
    print(f"{s:7.2f} s  median  first sync, one request at a time")
    print(f"{s / p:7.1f} x  faster (target >= 5x)")
    with FakeRuler(limits=NO_LIMITS) as fake:
        fake.set_latency(args.latency)
        one_sync(fake, files, args.concurrency)
        fake.clear_log()
        elapsed, summary = one_sync(fake, files, args.concurrency)
        writes = len(fake.writes())
        print(
            f"re-sync, nothing changed: {writes} write(s), {summary.requests} request(s), "
            f"{summary.count(Action.UNCHANGED)} unchanged, {elapsed:.2f} s (target: 0 writes)"
        )
        if writes:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
