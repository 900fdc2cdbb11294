"""A throw-away git repository holding a copy of the PFM project, and edits a reviewer checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PFM_DASH = Path(sys.executable).with_name("pfm-dash")

SCRATCH = '''"""A dashboard the change removes."""

from pfm_dash import Dashboard, Stat, Unit

scratch_panel = Stat(title="Scratch", unit=Unit.NONE, width=6)
scratch = Dashboard(uid="scratch", title="Scratch", panels=[scratch_panel])
'''

# (file, old text, new text): each is one of the changes a reviewer must see.
EDITS = [
    # a panel's unit
    ("dashboards/pfm_overview.py",
     "queries=[q.ERROR_RATIO],\n    unit=Unit.PERCENT_UNIT,",
     "queries=[q.ERROR_RATIO],\n    unit=Unit.PERCENT,"),
    # a threshold
    ("dashboards/pfm_overview.py", "thresholds=traffic_light(0.5, 1),",
     "thresholds=traffic_light(0.5, 2),"),
    # a query (shared by a panel and a recording rule)
    ("dashboards/queries.py", 'expr=f"sum by (service, environment) (rate(http_requests_total',
     'expr=f"sum by (service, environment) (irate(http_requests_total'),
    # an alert's for and its team
    ("alerts/availability.py", 'for_="5m",\n    severity=Severity.WARNING,\n    team=PLATFORM,',
     'for_="10m",\n    severity=Severity.WARNING,\n    team=DEVELOPMENT,'),
    ("alerts/availability.py", "from alerts.teams import ",
     "from alerts.teams import DEVELOPMENT, "),
    # move two panels (swap them)
    ("dashboards/pfm_overview.py", "        database_connections,\n        redis_memory,\n",
     "        redis_memory,\n        database_connections,\n"),
    # add a panel
    ("dashboards/pfm_overview.py", "        alert_status,\n    ],\n)",
     '        alert_status,\n        TimeSeries(title="Queue Depth", queries=[q.REQUEST_RATE],'
     " unit=Unit.SHORT, width=8),\n    ],\n)"),
]  # fmt: skip


@dataclass
class Repo:
    path: Path

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **GIT_ENV},
        )
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def diff(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PFM_DASH), "diff", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "NO_COLOR": "1"},
        )

    def edit(self) -> None:
        """Apply every change of EDITS and remove the scratch dashboard."""
        for name, old, new in EDITS:
            path = self.path / name
            text = path.read_text()
            assert text.count(old) == 1, (name, old)
            path.write_text(text.replace(old, new))
        (self.path / "dashboards" / "scratch.py").unlink()


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def make_repo(dest: Path, with_project: bool = True) -> Repo:
    dest.mkdir(parents=True, exist_ok=True)
    repo = Repo(dest)
    repo.git("init", "-q", "-b", "main")
    (dest / "README.md").write_text("a project\n")
    if with_project:
        copy_project(dest)
    return repo


def copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("dashboards", "alerts"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    (dest / "dashboards" / "scratch.py").write_text(SCRATCH)
    (dest / ".gitignore").write_text("__pycache__/\nbuild/\n")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    made = make_repo(tmp_path / "repo")
    made.commit("the project")
    yield made
