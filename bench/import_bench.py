"""``pfm-dash import`` of the corpus's kube-prometheus dashboards into Python, whole process.

Each run is what a user does: a fresh project from ``pfm-dash init``, then one
``pfm-dash import <folder>`` in a new interpreter (start-up, parsing, migrating, writing the
modules). Prints the median and spread of the runs and the machine. Issue 8's target: <= 3 s.

    .venv/bin/python bench/import_bench.py [--runs 5]
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
TARGET_SECONDS = 3.0


def corpus() -> Path:
    base = os.environ.get("PFM_DASH_CORPUS") or str(ROOT.parent / "shared" / "corpus")
    folder = Path(base, "kube-prometheus", "dashboards")
    if not folder.is_dir():
        sys.exit(f"no corpus at {folder}: set PFM_DASH_CORPUS")
    return folder


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "pfm-dash"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"pfm-dash {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(dashboards: Path, scratch: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``pfm-dash import`` into a fresh project."""
    project = scratch / "project"
    shutil.rmtree(project, ignore_errors=True)
    cli("init", str(project), cwd=scratch)
    cpu = cpu_of_children()
    started = time.perf_counter()
    cli("import", str(dashboards), cwd=project)
    return time.perf_counter() - started, cpu_of_children() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    dashboards = corpus()
    count = len(list(dashboards.glob("*.json")))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        one_run(dashboards, Path(tmp))  # warm the byte-code and file caches
        results = [one_run(dashboards, Path(tmp)) for _ in range(runs)]
    times = [wall for wall, _ in results]
    median = statistics.median(times)
    cpu = statistics.median(c for _, c in results)
    verdict = "within" if median <= TARGET_SECONDS else "OVER"
    print(
        f"pfm-dash import of {count} corpus dashboards, whole process: median {median:.2f} s "
        f"wall, {cpu:.2f} s CPU, over {runs} runs (wall min {min(times):.2f} s, max "
        f"{max(times):.2f} s); {verdict} the {TARGET_SECONDS:.0f} s target"
    )
    print(f"load average during the runs: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
