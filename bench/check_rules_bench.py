"""``pfm-dash check-rules`` with promtool on PATH against promtool alone, on 10,000 rules.

    .venv/bin/python bench/check_rules_bench.py [--runs N] [--files N] [--rules N]

Generates 10,000 alerting rules (default: 100 files of 100) shaped like real ones (``for``,
labels, a templated summary and description, a runbook) into a temporary folder, then times,
N times each and alternating, ``promtool check rules`` over all the files in one call, and
``pfm-dash check-rules`` over the folder (which runs promtool too, in the background while it
parses). Prints both medians and their ratio; the target is a ratio of at most 1.2.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PFM_DASH = str(Path(sys.executable).parent / "pfm-dash")
# Python's default: byte-code is cached (as in bench/build_bench.py; some sandboxes set
# PYTHONDONTWRITEBYTECODE, which would make every run recompile the changed modules).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

RULE = """\
  - alert: HighErrorRate{n}
    expr: |
      sum by (job, instance) (rate(http_requests_total{{job="app{n}", code=~"5.."}}[5m]))
        / sum by (job, instance) (rate(http_requests_total{{job="app{n}"}}[5m])) > 0.05
    for: 10m
    labels:
      severity: warning
      team: ops
    annotations:
      summary: Many 5xx responses on app{n}.
      description: '{{{{ $labels.instance }}}} answers {{{{ $value | humanizePercentage }}}} 5xx.'
      runbook_url: https://runbooks.example/HighErrorRate
"""


def generate(folder: Path, files: int, rules: int) -> list[Path]:
    paths = []
    for f in range(files):
        body = "".join(RULE.format(n=f * rules + r) for r in range(rules))
        path = folder / f"g{f:04d}.rules.yml"
        path.write_text(f"groups:\n- name: g{f}\n  rules:\n{body}")
        paths.append(path)
    return paths


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, the process and its children), exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rules", type=int, default=100)
    args = parser.parse_args()
    promtool = shutil.which("promtool")
    if promtool is None:
        print("promtool is not on PATH: nothing to compare against", file=sys.stderr)
        return 2
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.files, args.rules)
        alone_argv = [promtool, "check", "rules", "--lint=none", *map(str, paths)]
        ours_argv = [PFM_DASH, "check-rules", tmp]
        alone: list[tuple[float, float]] = []
        ours: list[tuple[float, float]] = []
        for _ in range(args.runs):
            wall, cpu, code = timed(alone_argv)
            assert code == 0, "promtool refused the generated rules"
            alone.append((wall, cpu))
            wall, cpu, code = timed(ours_argv)
            assert code == 0, "check-rules refused the generated rules"
            ours.append((wall, cpu))
    a, o = (statistics.median(w for w, _ in alone), statistics.median(w for w, _ in ours))
    a_cpu, o_cpu = (statistics.median(c for _, c in alone), statistics.median(c for _, c in ours))
    print(f"{args.files * args.rules} rules in {args.files} files, {args.runs} runs each")
    print(f"load average at the start: {start_load:.1f}, at the end: {os.getloadavg()[0]:.1f}")
    print(f"machine: {os.cpu_count()} CPUs, shared")
    print(f"promtool alone:                   median {a:.3f} s wall, {a_cpu:.3f} s CPU")
    print(f"pfm-dash check-rules (+promtool): median {o:.3f} s wall, {o_cpu:.3f} s CPU")
    print(f"ratio of the medians: {o / a:.2f} wall (target <= 1.2), {o_cpu / a_cpu:.2f} CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
