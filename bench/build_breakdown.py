"""Where a full (uncached) build's time goes, phase by phase, in one process.

    .venv/bin/python bench/build_breakdown.py [--runs N]

Each phase runs in a fresh interpreter N times and the median of each phase is printed, so
the figures add up to roughly one `pfm-dash build --no-cache` minus interpreter start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python's default: byte-code is cached (see build_bench.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

PHASES = """
import gc, json, time
gc.set_threshold(200_000, 30, 30)  # as pfm_dash.cli.main sets it for every command
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import pfm_dash.cli.build_run; mark("import the build command (no click)")
import pfm_dash.model; mark("import pfm_dash.model (the typed DSL)")
import orjson, promql_parser; mark("import orjson, promql_parser (PyYAML: no more)")
from pfm_dash.config import load_config
config = load_config(); mark("read [tool.pfm-dash]")
from pfm_dash.project import load_project
project = load_project(config); mark("import dashboards/ and alerts/, validate")
from pfm_dash.compiler import artifacts
from pfm_dash.output import sync_tree
sync_tree(config.out_dir, artifacts(project), check=True); mark("compile every target, compare")
print(json.dumps([(b[0], b[1] - a[1]) for a, b in zip(marks, marks[1:])]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", PHASES],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=ENV,
        )
        for name, seconds in json.loads(proc.stdout):
            samples.setdefault(name, []).append(seconds)
    total = 0.0
    print(f"median of {runs} runs per phase")
    for name, values in samples.items():
        median = statistics.median(values)
        total += median
        print(f"  {median * 1000:7.1f} ms  {name}")
    print(f"  {total * 1000:7.1f} ms  total after interpreter start-up")


if __name__ == "__main__":
    main()
