"""Build speed: whole-process medians against baselines measured in the same run.

    .venv/bin/python bench/build_bench.py [--runs N]

Prints, for each case, the median wall time of N whole-process runs, and its ratio against the
named baseline measured in the same run: ``python -c "import grafanalib.core"``. Many
dashboards are bench/many_bench.py's. Nothing here is a pass/fail test: read the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PFM_DASH = str(Path(PYTHON).parent / "pfm-dash")

# Python's default: byte-code is cached. (Some sandboxes set PYTHONDONTWRITEBYTECODE, which
# makes every run recompile the project's own modules and measures that instead.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# What any uncached build imports before a line of pfm-dash runs: the standard library
# modules the build uses (dataclasses pulls in inspect), orjson for the dashboards,
# promql_parser for the rules' checks (PyYAML no more: formats/yaml_writer.py writes the rule
# files). Its ratio to the floor is a bound on how far cutting pfm-dash's own import and run
# time can go.
DEPENDENCIES = (
    "import pathlib, tomllib, dataclasses, typing, enum, fnmatch, contextvars, sysconfig, "
    "orjson, promql_parser"
)


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return elapsed, proc


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys) of one whole-process run. CPU time hardly moves when
    other work shares the machine; wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(cmd, cwd)[0]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def median_of(cmd: list[str], runs: int, cwd: Path = ROOT, before: object = None) -> float:
    times = []
    for i in range(runs):
        if callable(before):
            before(i)
        times.append(run(cmd, cwd)[0])
    return statistics.median(times)


def machine() -> str:
    """Cores, CPU model, load and Python: what a reader needs to weigh the figures."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores (nproc), {model}, load average {load}; Python "
        f"{platform.python_version()}, {platform.platform()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    runs = args.runs

    print(machine())
    print(f"medians of {runs} whole-process runs\n")

    bare = median_of([PYTHON, "-c", "pass"], runs)
    helptime = median_of([PFM_DASH, "--help"], runs)

    work = Path(tempfile.mkdtemp(prefix="pfm-bench-"))
    try:
        for name in ("dashboards", "alerts", "build", "pyproject.toml"):
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, work / name)
        run([PFM_DASH, "build"], work)
        noop_cached = median_of([PFM_DASH, "build"], runs, work)
        source = work / "dashboards" / "pfm_overview.py"
        original = source.read_text()
        # The baseline and the two uncached builds alternate within each round, so a slow
        # spell of the machine hits all three.
        times: dict[str, list[tuple[float, float]]] = {
            "floor": [],
            "deps": [],
            "full": [],
            "changed": [],
        }
        for i in range(runs):
            times["floor"].append(timed([PYTHON, "-c", "import grafanalib.core"]))
            times["deps"].append(timed([PYTHON, "-c", DEPENDENCIES]))
            times["full"].append(timed([PFM_DASH, "build", "--no-cache"], work))
            source.write_text(original.replace('title="Error Rate"', f'title="Error Rate {i}"'))
            times["changed"].append(timed([PFM_DASH, "build"], work))
        floor, deps, noop_full, changed = (statistics.median(w for w, _ in times[k]) for k in times)
        cpu = {k: statistics.median(c for _, c in times[k]) for k in times}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("python -c pass", bare, ""),
        ('python -c "import grafanalib.core" (floor)', floor, "1.00x floor"),
        ("the libraries a build imports (no pfm-dash)", deps, f"{deps / floor:.2f}x floor"),
        ("pfm-dash --help", helptime, "target <= 60 ms"),
        ("pfm-dash build, nothing changed (cache)", noop_cached, "target <= 80 ms"),
        (
            "pfm-dash build --no-cache, nothing changed",
            noop_full,
            f"{noop_full / floor:.2f}x floor (<= 0.8x)",
        ),
        ("pfm-dash build, one panel changed", changed, f"{changed / floor:.2f}x floor (<= 0.8x)"),
    ]
    for label, seconds, note in rows:
        print(f"{label:48} {seconds * 1000:8.1f} ms  {note}")
    print("CPU time (user + sys), the same runs:")
    for key, label in (
        ("floor", 'python -c "import grafanalib.core" (floor)'),
        ("deps", "the libraries a build imports (no pfm-dash)"),
        ("full", "pfm-dash build --no-cache, nothing changed"),
        ("changed", "pfm-dash build, one panel changed"),
    ):
        ratio = cpu[key] / cpu["floor"]
        print(f"{label:48} {cpu[key] * 1000:8.1f} ms  {ratio:.2f}x floor")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
