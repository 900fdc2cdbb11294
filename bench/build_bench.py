"""Build speed: whole-process medians against baselines measured in the same run.

    .venv/bin/python bench/build_bench.py [--runs N] [--dashboards N]

Prints, for each case, the median wall time of N whole-process runs, and ratios against the
named baselines: ``python -c "import grafanalib.core"`` (the import floor every build pays)
and grafanalib's own path for many dashboards (objects, then
``json.dumps(cls=DashboardEncoder, indent=2, sort_keys=True)``, then one file each). Peak memory
is the child's max RSS. Nothing here is a pass/fail test: read the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
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

# Child programs for the many-dashboards comparison. Each builds N dashboards shaped like
# pfm-overview (11 panels of the same kinds and queries), writes one file each, and prints its
# own wall time; the parent reads max RSS from the child's rusage.
MANY_PFM_DASH = """
import sys, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from dashboards.pfm_overview import overview
from pfm_dash.compiler import dashboard_files
from pfm_dash.output import sync_tree
n, out = int(sys.argv[1]), Path(sys.argv[2])
boards = (replace(overview, uid=f"pfm-{{i}}", title=f"PFM {{i}}") for i in range(n))
sync_tree(out, dashboard_files(boards), check=False)
print(time.perf_counter() - t0)
"""

MANY_GRAFANALIB = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import grafanalib.core as G
from grafanalib._gen import DashboardEncoder
n, out = int(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
ds = {{"type": "prometheus", "uid": "${{datasource}}"}}
exprs = {exprs!r}
kinds = [G.Stat, G.TimeSeries, G.TimeSeries, G.TimeSeries, G.GaugePanel, G.GaugePanel,
         G.TimeSeries, G.Stat, G.TimeSeries, G.StateTimeline]
for i in range(n):
    panels = [
        kind(title=f"Panel {{j}}", id=j + 1, gridPos=G.GridPos(h=8, w=8, x=(j % 3) * 8, y=j),
             targets=[G.Target(expr=e, refId=chr(65 + k), datasource=ds)
                      for k, e in enumerate(exprs[j])])
        for j, kind in enumerate(kinds)
    ] + [G.AlertList(title="Alert Status", id=11, gridPos=G.GridPos(h=8, w=8, x=16, y=24))]
    board = G.Dashboard(title=f"PFM {{i}}", uid=f"pfm-{{i}}", panels=panels)
    text = json.dumps(board.to_json_data(), cls=DashboardEncoder, indent=2, sort_keys=True)
    (out / f"pfm-{{i}}.json").write_text(text)
print(time.perf_counter() - t0)
"""


# Python's default: byte-code is cached. (Some sandboxes set PYTHONDONTWRITEBYTECODE, which
# makes every run recompile the project's own modules and measures that instead.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return elapsed, proc


def median_of(cmd: list[str], runs: int, cwd: Path = ROOT, before: object = None) -> float:
    times = []
    for i in range(runs):
        if callable(before):
            before(i)
        times.append(run(cmd, cwd)[0])
    return statistics.median(times)


def many(cases: list[tuple[str, int, Path]], runs: int = 5) -> list[tuple[float, float]]:
    """Median seconds and largest peak of each case over ``runs`` rounds.

    The cases alternate within each round, so a slow spell of the machine hits all of them.
    """
    results: list[list[tuple[float, float]]] = [[] for _ in cases]
    for _ in range(runs):
        for i, (code, n, out) in enumerate(cases):
            results[i].append(many_child(code, n, out))
    return [(statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for rs in results]


def many_child(code: str, n: int, out: Path) -> tuple[float, float]:
    """Run the child through a wrapper that reports the largest peak RSS of any one process
    (the child itself, or one of its workers when it compiles in parallel)."""
    wrapper = (
        "import resource, sys; sys.argv = ['x', sys.argv[1], sys.argv[2]];"
        f"exec({code!r});"
        "print(max(resource.getrusage(who).ru_maxrss"
        " for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))"
    )
    shutil.rmtree(out, ignore_errors=True)
    _, proc = run([PYTHON, "-c", wrapper, str(n), str(out)])
    seconds, peak_kib = proc.stdout.split()
    return float(seconds), int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--dashboards", type=int, default=1000)
    args = parser.parse_args()
    runs = args.runs

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    print(f"medians of {runs} whole-process runs\n")

    floor = median_of([PYTHON, "-c", "import grafanalib.core"], runs)
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
        noop_full = median_of([PFM_DASH, "build", "--no-cache"], runs, work)
        source = work / "dashboards" / "pfm_overview.py"
        original = source.read_text()

        def change_panel(i: int) -> None:
            source.write_text(original.replace('title="Error Rate"', f'title="Error Rate {i}"'))

        changed = median_of([PFM_DASH, "build"], runs, work, before=change_panel)

        n = args.dashboards
        exprs = _overview_exprs()
        ours = MANY_PFM_DASH.format(root=str(ROOT))
        (theirs_t, theirs_mem), (ours_t, ours_mem), (ours_small_t, ours_small_mem) = many(
            [
                (MANY_GRAFANALIB.format(exprs=exprs), n, work / "theirs"),
                (ours, n, work / "ours"),
                (ours, n // 10, work / "ours-small"),
            ]
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("python -c pass", bare, ""),
        ('python -c "import grafanalib.core" (floor)', floor, "1.00x floor"),
        ("pfm-dash --help", helptime, "target <= 60 ms"),
        ("pfm-dash build, nothing changed (cache)", noop_cached, "target <= 80 ms"),
        (
            "pfm-dash build --no-cache, nothing changed",
            noop_full,
            f"{noop_full / floor:.2f}x floor",
        ),
        ("pfm-dash build, one panel changed", changed, f"{changed / floor:.2f}x floor (<= 1.1x)"),
    ]
    for label, seconds, note in rows:
        print(f"{label:48} {seconds * 1000:8.1f} ms  {note}")
    print()
    print(f"{n} dashboards shaped like pfm-overview, compile + write one file each")
    print("(median of 5 runs; peak = largest RSS of any one process, parent or worker):")
    print(f"  grafanalib path (baseline)   {theirs_t:6.2f} s   peak {theirs_mem:6.1f} MiB")
    print(
        f"  pfm-dash                     {ours_t:6.2f} s   peak {ours_mem:6.1f} MiB   "
        f"{theirs_t / ours_t:.2f}x faster (target >= 2.5x)"
    )
    print(
        f"  pfm-dash, {n // 10} dashboards     {ours_small_t:6.2f} s   peak "
        f"{ours_small_mem:6.1f} MiB   (flat memory: {ours_mem / ours_small_mem:.2f}x for 10x "
        "the dashboards)"
    )


def _overview_exprs() -> list[list[str]]:
    sys.path.insert(0, str(ROOT))
    from dashboards.pfm_overview import overview

    return [[q.expr for q in p.queries] for p in overview.all_panels()][:10]


if __name__ == "__main__":
    main()
