"""Median wall time of whole-process ``pfm-dash check`` on the PFM monitoring.

Run from the project root: ``python bench/check_bench.py [runs]``. The baseline is the cost of
importing grafanalib alone, which the check pays to compile dashboards it inspects.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python's default: byte-code is cached (see build_bench.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=False, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    cases = {
        "baseline: python -c 'import grafanalib.core'": [
            sys.executable,
            "-c",
            "import grafanalib.core",
        ],
        "pfm-dash check (with promtool when on PATH)": [sys.executable, "-m", "pfm_dash", "check"],
        "pfm-dash check --no-promtool": [
            sys.executable,
            "-m",
            "pfm_dash",
            "check",
            "--no-promtool",
        ],
    }
    for name, argv in cases.items():
        print(f"{median_seconds(argv, runs):6.3f} s  median of {runs}  {name}")


if __name__ == "__main__":
    main()
