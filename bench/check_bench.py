"""``pfm-dash check`` scales linearly: 500 panels against 5,000, whole process.

    .venv/bin/python bench/check_bench.py [--runs N]

Each case is a throwaway project with one dashboard of N stat panels (each with a query over
a catalog metric) built in a temporary folder, checked with ``pfm-dash check --no-promtool``
(promtool's own time is not ours to measure). Prints the median wall time and the child's peak
memory (max RSS) per case, and the ratios of the large case to the small one: linear means
about 10x time and well under 10x memory (the interpreter's floor is shared). Read the figures;
nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PYPROJECT = '[project]\nname = "bench"\nversion = "0"\n\n[tool.pfm-dash]\nproject = "bench"\n'
CATALOG = """
from pfm_dash.catalog import Catalog, Exporter, Metric, MetricType
catalog = Catalog(exporters=[Exporter(name="app", metrics=[
    Metric(name="app_ready", type=MetricType.GAUGE, help="1 when ready.", labels=["shard"]),
])])
"""
BOARD = """
from pfm_dash import Dashboard, DatasourceVariable, Query, Stat, Unit, Width
board = Dashboard(
    uid="big",
    title="Big",
    variables=[DatasourceVariable()],
    panels=[
        Stat(title=f"Up {{i}}", unit=Unit.NONE, width=Width.QUARTER,
             queries=[Query(expr=f'sum by (job) (app_ready{{{{shard="s{{i}}"}}}})')])
        for i in range({n})
    ],
)
"""


def project(folder: Path, panels: int) -> Path:
    files = {
        "pyproject.toml": PYPROJECT,
        "dashboards/catalog.py": CATALOG,
        "dashboards/big.py": BOARD.format(n=panels),
        "dashboards/__init__.py": "",
        "alerts/__init__.py": "",
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(textwrap.dedent(text).lstrip())
    return folder


def run_once(root: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one whole ``pfm-dash check`` process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfm_dash", "check", "--no-promtool", "--format", "json"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"check failed in {root}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    results: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for panels in (500, 5000):
            root = project(Path(tmp) / str(panels), panels)
            runs = [run_once(root) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            results[panels] = (wall, rss)
            print(f"{panels:>5} panels: {wall:6.2f} s median of {args.runs}, peak {rss:6.0f} MiB")
    (small_t, small_m), (big_t, big_m) = results[500], results[5000]
    print(f"5,000 / 500 panels: time {big_t / small_t:.1f}x, memory {big_m / small_m:.1f}x")


if __name__ == "__main__":
    main()
