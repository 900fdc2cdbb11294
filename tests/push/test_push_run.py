"""Ctrl-C during a push (issue 13 item 6): a real process, a real SIGINT, the fake on a socket.

After SIGINT no new request starts, the ones in flight finish, the report says what was done
and what was not, the exit code is 130, and the next run converges.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, MakeProject, run_cli
from grafana_testing import OPS, TOKEN, dash
from push_testing import push, write_paths

from pfm_dash.client import GrafanaClient
from pfm_dash.push import Action
from pfm_dash.push.report import totals_line
from pfm_dash.testing.fake_grafana import FakeGrafana

COUNT = 150
CONCURRENCY = 2
MANY = f"""
from pfm_dash import Dashboard, Query, TimeSeries, Unit

for i in range({COUNT}):
    globals()[f"board{{i}}"] = Dashboard(
        uid=f"board-{{i:03d}}",
        title=f"Board {{i}}",
        panels=[TimeSeries(title="Up", queries=[Query(expr="up")], unit=Unit.NONE)],
    )
"""


def saves(grafana: FakeGrafana) -> int:
    return sum(1 for r in grafana.writes() if r.path == "/api/dashboards/db")


def wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.01)
    return False


def start_push(root: Path, grafana: FakeGrafana) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GRAFANA_TOKEN": TOKEN}
    command = [sys.executable, "-m", "pfm_dash", "push", "--grafana-url", grafana.url]
    command += ["--concurrency", str(CONCURRENCY), "--message", "m"]
    return subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_sigint_stops_new_requests_reports_and_exits_130(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    root = make_project({"dashboards/many.py": MANY})
    assert run_cli("build", cwd=root).code == 0  # push ships a fresh build/
    grafana.set_latency(0.02)  # a slow server: the whole push would take seconds
    proc = start_push(root, grafana)
    try:
        assert wait_until(lambda: saves(grafana) >= 20, 60), "the push never got going"
        proc.send_signal(signal.SIGINT)
        at_signal = saves(grafana)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    after = saves(grafana) - at_signal
    # Only the saves already in flight may land: one per worker, and a request racing the count.
    assert after <= CONCURRENCY + 1, f"{after} saves after Ctrl-C"
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    assert "interrupted: finishing the requests in flight" in err
    assert f"interrupted: {COUNT - saves(grafana)} not pushed (run push again" in out
    assert "not pushed    dashboard board-149" in out
    assert saves(grafana) < COUNT
    # The next run finishes the job, and the one after has nothing to do.
    grafana.set_latency(0)
    proc = start_push(root, grafana)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert len(grafana.dashboard_uids()) == COUNT
    grafana.clear()
    proc = start_push(root, grafana)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and grafana.writes() == [], out + err


def test_a_stop_during_prune_deletes_nothing_more(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """What Ctrl-C sets, set while prune searches: no dashboard is read or deleted after it."""
    specs = [dash("a", OPS), *(dash(f"old{i}", OPS) for i in range(5))]
    push(client, specs, grafana, project="pfm")
    grafana.after_next(client.counter.stopped.set, path="/api/search")
    summary = push(client, specs[:1], grafana, project="pfm", prune=True)
    assert summary.interrupted and summary.exit_code == 130
    assert {o.action for o in summary.deletions} == {Action.SKIPPED}
    assert write_paths(grafana) == []
    assert len(grafana.dashboard_uids()) == 6
    # The next run converges.
    summary = push(client, specs[:1], grafana, project="pfm", prune=True)
    assert summary.exit_code == 0 and grafana.dashboard_uids() == {"a"}


def test_a_stop_during_saves_skips_the_rest_and_the_report_says_so(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    specs = [dash(f"d{i}", OPS) for i in range(10)]
    grafana.after_next(client.counter.stopped.set, path="/api/dashboards/db")
    summary = push(client, specs, grafana, concurrency=1, prune=True, project="pfm")
    assert [o.action for o in summary.dashboards] == [Action.CREATE] + [Action.SKIPPED] * 9
    assert [(o.uid, o.action) for o in summary.deletions] == [("*", Action.SKIPPED)]
    assert summary.exit_code == 130 and grafana.dashboard_uids() == {"d0"}
    assert totals_line(summary).startswith("interrupted: 9 not pushed")
