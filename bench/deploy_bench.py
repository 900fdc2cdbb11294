"""Deploying the PFM rules to a running Prometheus, whole process, confirmation included.

    .venv/bin/python bench/deploy_bench.py [--runs N]

Starts a real Prometheus (Debian's 2.42, ``--web.enable-lifecycle``) on loopback that loads an
empty rules folder, then times N runs of the whole ``pfm-dash push --prometheus-url URL
--rules-dir DIR`` process for each case and prints the medians:

* first deploy: every rule file written, Prometheus reloaded, ``/api/v1/rules`` confirmed;
* one group changed: one file rewritten, reload, confirmation;
* nothing changed: no write and no reload (two reads to confirm).

The target (issue 10) is 3 s for a deploy including the confirmation. Nothing here is a
pass/fail test: read the figures.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PFM_DASH = str(Path(sys.executable).parent / "pfm-dash")
sys.path.insert(0, str(ROOT))

from pfm_dash.verify.processes import Processes, free_port, http_ok, wait_until  # noqa: E402

TARGET_S = 3.0


def push(url: str, rules: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [PFM_DASH, "push", "--prometheus-url", url, "--rules-dir", str(rules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"push failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def clear(url: str, rules: Path) -> None:
    for path in rules.iterdir():
        path.unlink()
    requests.post(f"{url}/-/reload", timeout=10).raise_for_status()


def touch_one(rules: Path) -> None:
    """Change one group's file so the next push rewrites it (and reloads)."""
    path = sorted(rules.iterdir())[0]
    path.write_text(path.read_text() + "# changed\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    binary = shutil.which("prometheus")
    if binary is None:
        raise SystemExit("prometheus is not installed (apt-get install prometheus)")
    folder = Path(tempfile.mkdtemp(prefix="pfm-dash-deploy-bench-"))
    rules = folder / "rules"
    rules.mkdir()
    (folder / "prometheus.yml").write_text('rule_files: ["rules/*.rules.yml"]\n')
    procs = Processes(folder)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs.start(
        "prometheus",
        [
            binary,
            f"--config.file={folder / 'prometheus.yml'}",
            f"--storage.tsdb.path={folder / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--web.enable-lifecycle",
        ],
    )
    try:
        wait_until("prometheus", http_ok(f"{url}/-/ready"), 20, procs)
        cases: dict[str, list[float]] = {"first deploy": [], "one group changed": []}
        cases["nothing changed"] = []
        for _ in range(args.runs):
            clear(url, rules)
            cases["first deploy"].append(push(url, rules))
            touch_one(rules)
            cases["one group changed"].append(push(url, rules))
            cases["nothing changed"].append(push(url, rules))
        groups = len(list(rules.iterdir()))
        print(f"{platform.python_implementation()} {platform.python_version()}, {args.runs} runs,")
        print(f"{groups} rule files, Prometheus at {url}; whole `pfm-dash push` process")
        for name, times in cases.items():
            median = statistics.median(times)
            verdict = "ok" if median <= TARGET_S else f"OVER {TARGET_S:.0f} s"
            print(
                f"  {name:<18} median {median:.3f} s  (min {min(times):.3f}, "
                f"max {max(times):.3f})  target <= {TARGET_S:.0f} s: {verdict}"
            )
    finally:
        procs.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
