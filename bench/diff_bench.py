"""``pfm-dash diff`` on an unchanged project against a changed build, whole process each.

    .venv/bin/python bench/diff_bench.py [--runs N]

Copies the project (dashboards/, alerts/, pyproject.toml) into a temporary git repository and
commits it. Then, N times each: ``pfm-dash diff`` with nothing changed (it loads the working
tree, checks the committed revision out into a temporary worktree, loads it too, compares);
and ``pfm-dash build`` after a one-line edit of a panel (a cache miss that writes build/).
Prints the medians and their ratio; the target is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PFM_DASH = str(Path(sys.executable).parent / "pfm-dash")
EDITED = ROOT / "dashboards" / "pfm_overview.py"
UNIT = ("unit=Unit.SECONDS,", "unit=Unit.MILLISECONDS,")


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def project_repo(dest: Path) -> Path:
    for folder in ("dashboards", "alerts"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    (dest / ".gitignore").write_text("__pycache__/\n")
    git = ["git", "-C", str(dest), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bench"], check=True)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pfm-dash-diff-bench-") as tmp:
        repo = project_repo(Path(tmp))
        timed([PFM_DASH, "build"], repo)  # warm: bytecode and the build cache exist
        timed([PFM_DASH, "diff"], repo)
        edited = repo / EDITED.relative_to(ROOT)
        diffs, builds = [], []
        for i in range(args.runs):
            diffs.append(timed([PFM_DASH, "diff", "--exit-code"], repo))
            text = edited.read_text()
            old, new = UNIT if i % 2 == 0 else UNIT[::-1]
            edited.write_text(text.replace(old, new, 1))
            builds.append(timed([PFM_DASH, "build"], repo))
            edited.write_text(text)  # the tree is unchanged again for the next diff
    diff_s, build_s = statistics.median(diffs), statistics.median(builds)
    print(f"pfm-dash diff, nothing changed: median {diff_s * 1000:.0f} ms over {args.runs} runs")
    print(f"pfm-dash build, one panel changed: median {build_s * 1000:.0f} ms")
    print(f"ratio diff / changed build: {diff_s / build_s:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
