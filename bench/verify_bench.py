"""``pfm-dash verify`` on the PFM project, and on PFM plus 48 generated alerts: waves scale.

    .venv/bin/python bench/verify_bench.py [--runs N] [--generated N]

Each round runs, alternating, ``pfm-dash verify`` in a copy of the bundled project (the
baseline) and in a copy with N generated metrics and alerts added (each with its own fault;
tests/verify/generated_project.py), as whole processes. Prints each run's wall time, the
medians and their ratio. Targets (issue 11): PFM at most 45 s, the generated project at most
1.5x PFM. A run that does not prove every alert stops the bench with its output.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from verify.generated_project import add_generated, copy_pfm  # noqa: E402


def run(project: Path) -> float:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pfm_dash", "verify"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    took = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"verify failed in {project}:\n{proc.stdout[-4000:]}{proc.stderr[-4000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generated", type=int, default=48)
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp:
        pfm = copy_pfm(Path(tmp) / "pfm")
        bigger = copy_pfm(Path(tmp) / "generated")
        add_generated(bigger, args.generated)
        times: dict[str, list[float]] = {"pfm": [], "generated": []}
        for i in range(args.runs):
            for name, project in (("pfm", pfm), ("generated", bigger)):
                times[name].append(run(project))
                print(f"round {i + 1}: {name:<9} {times[name][-1]:6.1f} s", flush=True)
    base = statistics.median(times["pfm"])
    more = statistics.median(times["generated"])
    print(f"pfm-dash verify, PFM (12 alerts, baseline)        {base:6.1f} s  target <= 45 s")
    print(
        f"pfm-dash verify, PFM + {args.generated} generated ({12 + args.generated} alerts)"
        f"  {more:6.1f} s  {more / base:.2f}x PFM (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
