"""What every child program of bench/many_bench.py prints last: the cost of its work (after
start-up and imports) and its peak memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

WHO = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


def _cpu() -> float:
    """User + sys seconds of this process and every worker it has waited for."""
    return sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime for w in WHO)


def measure(work: Callable[[], None]) -> None:
    """Run ``work`` and print its wall seconds, its CPU seconds and the peak resident set in
    KiB of this process or any of its workers."""
    wall, cpu = time.perf_counter(), _cpu()
    work()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    print(wall, cpu, max(resource.getrusage(w).ru_maxrss for w in WHO))
