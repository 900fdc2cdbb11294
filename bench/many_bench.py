"""Many dashboards: pfm-dash against grafanalib, grafana-foundation-sdk and the orjson floor.

    .venv/bin/python bench/many_bench.py [--runs 5] [--dashboards 1000] [--large-runs 3]

Each case is a whole child process that declares N dashboards shaped like pfm-overview (all
of it: thresholds, value mappings, legends, tooltips, units, the variables and links), compiles
them and writes one file each:
- ``pfm-dash``: the build's own path (bench/many_pfm_dash.py);
- ``grafanalib``: grafanalib's classes and its JSON encoder (bench/many_grafanalib.py);
- ``foundation-sdk``: Grafana's foundation SDK builders (bench/many_foundation.py, run with
  the bench venv ``.cache/bench`` that ``make bench`` installs; skipped when it is missing);
- ``orjson floor``: the compiled dicts, only serialised and written (bench/many_floor.py).

Reported per case, as medians: the wall and CPU time of the work (declare, compile, write;
measured in the child after start-up and imports; CPU is user + sys of the child and every
worker it started), the wall time of the whole process, and peak memory (the largest resident
set of any one of its processes). The cases alternate within each round, so a slow spell of
the machine hits all of them. Then pfm-dash alone at 10x the dashboards, paired with a run at
1x in each round: its cost against 10x the 1x run, its peak memory against the 1x run's; once
as the build writes (through ``sync_tree``) and once writing each file as it comes (the
compiler's stream alone). Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from build_bench import ENV, machine

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SHAPE = ROOT / "build/grafana/dashboards/pfm-overview.json"
BENCH_PYTHON = ROOT / ".cache/bench/bin/python"


@dataclass(frozen=True)
class Case:
    name: str
    python: Path
    script: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sample:
    process: float  # wall seconds of the whole process, start-up and imports included
    wall: float  # wall seconds of the work: declare, compile, write
    cpu: float  # CPU seconds of the work, workers included
    peak_mib: float


DIRECT = Case("pfm-dash, no sync_tree", Path(sys.executable), "many_pfm_dash.py", ("direct",))
CASES = [
    Case("pfm-dash", Path(sys.executable), "many_pfm_dash.py"),
    Case("grafanalib (baseline)", Path(sys.executable), "many_grafanalib.py"),
    Case("grafana-foundation-sdk", BENCH_PYTHON, "many_foundation.py"),
    Case("orjson floor", Path(sys.executable), "many_floor.py"),
]


def sample(case: Case, n: int, out: Path) -> Sample:
    """One whole-process run: its wall time from here, the work's figures from the child."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(case.python), str(BENCH / case.script), str(n), str(out), str(SHAPE), *case.args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    process = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{case.name} failed:\n{proc.stdout}{proc.stderr}")
    wall, cpu, peak_kib = proc.stdout.split()[-3:]
    return Sample(process, float(wall), float(cpu), int(peak_kib) / 1024)


def rounds(cases: list[Case], n: int, runs: int, work: Path) -> dict[str, list[Sample]]:
    found: dict[str, list[Sample]] = {c.name: [] for c in cases}
    for _ in range(runs):
        for case in cases:
            found[case.name].append(sample(case, n, work / case.script))
    return found


def scale(case: Case, n: int, runs: int, work: Path) -> tuple[list[Sample], list[Sample]]:
    """Runs at n and at 10n, paired within each round so both see the same load."""
    small: list[Sample] = []
    large: list[Sample] = []
    for _ in range(runs):
        small.append(sample(case, n, work / "small"))
        large.append(sample(case, n * 10, work / "large"))
    return small, large


def median(samples: list[Sample], field: str) -> float:
    return float(statistics.median(getattr(s, field) for s in samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dashboards", type=int, default=1000)
    parser.add_argument("--large-runs", type=int, default=3)
    args = parser.parse_args()
    n = args.dashboards
    cases = [c for c in CASES if c.python.exists()]
    print(machine())
    if len(cases) < len(CASES):
        print("grafana-foundation-sdk skipped: .cache/bench is missing (make bench installs it)")
    print()

    work = Path(tempfile.mkdtemp(prefix="pfm-many-"))
    try:
        found = rounds(cases, n, args.runs, work)
        ours = CASES[0]
        scaling = {case.name: scale(case, n, args.large_runs, work) for case in (ours, DIRECT)}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{n} dashboards shaped like pfm-overview: declare, compile, write one file each")
    print(
        f"(median of {args.runs}; work = after start-up and imports, CPU = user + sys of the"
        " process and its workers; process = the whole process; peak = largest RSS of any one"
        " of its processes)"
    )
    mine = found[ours.name]
    wall, cpu, process = (median(mine, f) for f in ("wall", "cpu", "process"))
    print(f"  {'':24} {'work':>8} {'CPU':>8} {'process':>8} {'peak':>10}   pfm-dash against it")
    for case in cases:
        got = found[case.name]
        w, c, p = (median(got, f) for f in ("wall", "cpu", "process"))
        peak = max(s.peak_mib for s in got)
        if case is ours:
            note = ""
        elif case.script == "many_floor.py":
            note = f"{wall / w:.1f}x the floor's work, {cpu / c:.1f}x its CPU"
        else:
            note = (
                f"{w / wall:.2f}x faster work, {c / cpu:.2f}x less CPU, "
                f"{p / process:.2f}x faster process"
            )
        print(f"  {case.name:24} {w:7.2f}s {c:7.2f}s {p:7.2f}s {peak:7.1f} MiB   {note}")
    print()
    print(f"{n * 10} dashboards against {n}, paired runs (median of {args.large_runs} each):")
    for name, (small, large) in scaling.items():
        w, c = median(small, "wall"), median(small, "cpu")
        big_w, big_c = median(large, "wall"), median(large, "cpu")
        peak, big_peak = max(s.peak_mib for s in small), max(s.peak_mib for s in large)
        print(
            f"  {name:24} work {big_w:6.2f}s = {big_w / (10 * w):.2f}x 10x {w:.2f}s; "
            f"CPU {big_c:6.2f}s = {big_c / (10 * c):.2f}x 10x {c:.2f}s; "
            f"peak {big_peak:5.1f} MiB = {big_peak / peak:.2f}x {peak:.1f} MiB"
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
