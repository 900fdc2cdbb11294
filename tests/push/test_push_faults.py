"""Transient faults during a push: retried, reported per dashboard, converging on a re-run."""

from __future__ import annotations

import time

from grafana_testing import OPS, dash
from push_testing import actions, push

from pfm_dash import Folder
from pfm_dash.client import GrafanaClient
from pfm_dash.push import Action
from pfm_dash.testing.fake_grafana import FakeGrafana


def test_503_twice_then_success(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.fail_next(2, 503, path="/api/dashboards/db")
    summary = push(client, [dash("a", OPS)], grafana)
    assert actions(summary) == {"a": Action.CREATE}
    assert summary.exit_code == 0 and summary.retries == 2
    assert [r.status for r in grafana.writes()] == [200, 503, 503, 200]  # folder, then 3 saves


def test_a_failure_after_retries_names_its_status_and_attempts(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    grafana.fail_next(10, 503, path="/api/dashboards/db")  # more than the client retries (3)
    summary = push(client, [dash("a")], grafana)
    assert actions(summary) == {"a": Action.FAILED}
    detail = summary.dashboards[0].detail
    assert detail.startswith("503 ") and detail.endswith("(after 4 attempts)"), detail


def test_429_retry_after_is_honoured(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.fail_next(1, 429, path="/api/dashboards/uid/", retry_after="1")
    started = time.monotonic()
    summary = push(client, [dash("a")], grafana)
    assert time.monotonic() - started >= 1.0
    assert actions(summary) == {"a": Action.CREATE} and summary.retries == 1


def test_dropped_connections_then_a_rerun_converges(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    specs = [dash(uid, OPS) for uid in "abcdef"]
    push(client, specs[:2], grafana)
    # Every save fails past the retry budget: the run reports, then a re-run finishes the job.
    grafana.drop_next(100, path="/api/dashboards/db")
    summary = push(client, specs, grafana)
    assert actions(summary) == {
        "a": Action.UNCHANGED,
        "b": Action.UNCHANGED,
        **dict.fromkeys("cdef", Action.FAILED),
    }
    assert summary.exit_code == 1
    assert "no answer" in summary.dashboards[2].detail
    grafana.clear()
    summary = push(client, specs, grafana)
    assert summary.exit_code == 0
    assert [o.action for o in summary.dashboards].count(Action.CREATE) == 4
    assert grafana.dashboard_uids() == set("abcdef")
    assert push(client, specs, grafana).exit_code == 0 and grafana.writes() == []


def test_lost_answer_after_a_save_landed_is_settled(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """The save applied but its answer was lost; the retry gets 412 and sees our own save."""
    push(client, [dash("a")], grafana)
    grafana.drop_next(1, path="/api/dashboards/db", after_apply=True)
    summary = push(client, [dash("a", panels=2)], grafana)
    assert actions(summary) == {"a": Action.UPDATE} and summary.dashboards[0].applied
    assert [r.status for r in grafana.writes()] == [0, 412]
    stored = grafana.dashboard("a")
    assert stored is not None and stored.version == 2


def test_lost_answer_on_create_is_settled(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.drop_next(1, path="/api/dashboards/db", after_apply=True)
    summary = push(client, [dash("a")], grafana)
    assert actions(summary) == {"a": Action.CREATE} and summary.exit_code == 0


def test_folder_create_answer_lost_counts_as_created(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """Issue 13 item 10: the retry's 409 finds our own new folder; it was created, not kept."""
    grafana.drop_next(1, path="/api/folders", method="POST", after_apply=True)
    summary = push(client, [dash("a", OPS)], grafana)
    assert (summary.folders[0].action, summary.folders[0].applied) == (Action.CREATE, True)
    assert summary.counts["folders_created"] == 1
    assert summary.exit_code == 0


def test_folder_rename_answer_lost_is_settled(grafana: FakeGrafana, client: GrafanaClient) -> None:
    push(client, [dash("a", OPS)], grafana)
    renamed = Folder(uid=OPS.uid, title="Operations (renamed)")
    grafana.drop_next(1, path=f"/api/folders/{OPS.uid}", method="PUT", after_apply=True)
    summary = push(client, [dash("a", renamed)], grafana, force=True)
    # The retry met our own rename's version bump (412); the live title says it landed.
    assert (summary.folders[0].action, summary.folders[0].applied) == (Action.UPDATE, True)
    assert summary.exit_code == 0
    folder = grafana.folder(OPS.uid)
    assert folder is not None and folder.title == "Operations (renamed)"


def test_failed_folder_fails_its_dashboards_only(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    grafana.fail_next(1, 400, path="/api/folders", method="POST")
    summary = push(client, [dash("a", OPS), dash("b")], grafana)
    assert summary.folders[0].action is Action.FAILED
    assert actions(summary) == {"a": Action.FAILED, "b": Action.CREATE}
    assert "folder ops" in summary.dashboards[0].detail
    assert summary.exit_code == 1
