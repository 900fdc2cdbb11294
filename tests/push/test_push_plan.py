"""Create, update, unchanged, conflict: the conflict rule of docs/push.md, end to end."""

from __future__ import annotations

from grafana_testing import OPS, TEAM, dash
from push_testing import actions, push, write_paths

from pfm_dash.client import GrafanaClient
from pfm_dash.push import Action
from pfm_dash.push.normalise import MARK_KEY
from pfm_dash.testing.fake_grafana import FakeGrafana


def test_empty_grafana_gets_everything_in_the_right_folders(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    specs = [dash("a", OPS), dash("b", TEAM), dash("c")]
    summary = push(client, specs, grafana, message="deploy 1a2b")
    assert actions(summary) == {"a": Action.CREATE, "b": Action.CREATE, "c": Action.CREATE}
    assert summary.exit_code == 0
    assert [(o.uid, o.action) for o in summary.folders] == [
        ("ops", Action.CREATE),
        ("ops-team", Action.CREATE),
    ]
    folder = grafana.folder("ops-team")
    assert folder is not None and folder.parent_uid == "ops"
    stored = {uid: grafana.dashboard(uid) for uid in "abc"}
    assert {uid: d.folder_uid for uid, d in stored.items() if d} == {
        "a": "ops",
        "b": "ops-team",
        "c": "",
    }
    assert stored["a"] is not None and stored["a"].history[0].message == "deploy 1a2b"
    # Folders are written before any dashboard, parents before children.
    writes = write_paths(grafana)
    assert writes[:2] == ["POST /api/folders", "POST /api/folders"]
    assert writes[2:] == ["POST /api/dashboards/db"] * 3


def test_second_push_writes_nothing(grafana: FakeGrafana, client: GrafanaClient) -> None:
    specs = [dash("a", OPS), dash("b", TEAM)]
    push(client, specs, grafana)
    summary = push(client, specs, grafana)
    assert set(actions(summary).values()) == {Action.UNCHANGED}
    assert grafana.writes() == []
    assert summary.requests == len(grafana.requests)


def test_one_changed_panel_is_exactly_one_update(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a", OPS), dash("b", OPS)], grafana)
    summary = push(client, [dash("a", OPS), dash("b", OPS, unit="bytes")], grafana)
    assert actions(summary) == {"a": Action.UNCHANGED, "b": Action.UPDATE}
    (write,) = grafana.writes()
    assert write.path == "/api/dashboards/db"
    assert write.body["overwrite"] is False
    assert write.body["folderUid"] == "ops"  # always sent: omitting it moves to the root
    assert write.body["dashboard"]["version"] == 1  # the live version, for Grafana's 412
    stored = grafana.dashboard("b")
    assert stored is not None and stored.version == 2
    assert stored.data["panels"][0]["fieldConfig"]["defaults"]["unit"] == "bytes"


def test_ui_edit_is_a_conflict_until_forced(grafana: FakeGrafana, client: GrafanaClient) -> None:
    push(client, [dash("a", OPS), dash("b", OPS)], grafana)
    grafana.ui_edit("a", user="alice", message="tweak thresholds")
    changed = [dash("a", OPS, panels=2), dash("b", OPS, panels=2)]
    summary = push(client, changed, grafana)
    assert actions(summary) == {"a": Action.CONFLICT, "b": Action.UPDATE}
    assert summary.exit_code == 3
    (conflict,) = [o for o in summary.dashboards if o.action is Action.CONFLICT]
    assert "alice" in conflict.detail and "version 2" in conflict.detail
    assert "tweak thresholds" in conflict.detail
    stored = grafana.dashboard("a")
    assert stored is not None and stored.updated_by == "alice"  # not overwritten
    summary = push(client, changed, grafana, force=True)
    assert actions(summary) == {"a": Action.UPDATE, "b": Action.UNCHANGED}
    assert summary.exit_code == 0
    stored = grafana.dashboard("a")
    assert stored is not None and stored.updated_by == "sa-pfm-dash" and stored.version == 3
    assert push(client, changed, grafana).exit_code == 0


def test_ui_edit_dropping_the_mark_is_a_conflict(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a")], grafana)
    grafana.ui_edit("a", lambda d: d.pop(MARK_KEY))
    assert actions(push(client, [dash("a", panels=3)], grafana)) == {"a": Action.CONFLICT}


def test_ui_move_to_another_folder_is_a_conflict(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a", OPS)], grafana)
    client.create_folder("elsewhere", "Elsewhere")
    grafana.ui_edit("a", lambda d: None, folder_uid="elsewhere")
    assert actions(push(client, [dash("a", OPS)], grafana)) == {"a": Action.CONFLICT}


def test_foreign_dashboard_with_our_uid_is_a_conflict(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    client.save_dashboard({"uid": "a", "title": "Theirs"}, "", overwrite=False, message="")
    summary = push(client, [dash("a")], grafana)
    assert actions(summary) == {"a": Action.CONFLICT}
    assert "not pushed by pfm-dash" in summary.dashboards[0].detail


def test_race_between_plan_and_save_is_a_412_conflict(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a")], grafana)
    grafana.before_next(lambda: grafana.ui_edit("a", user="bob"), path="/api/dashboards/db")
    summary = push(client, [dash("a", panels=2)], grafana)
    assert actions(summary) == {"a": Action.CONFLICT}
    assert "412" in summary.dashboards[0].detail and "bob" in summary.dashboards[0].detail
    assert [r.status for r in grafana.writes()] == [412]  # never retried blindly
    stored = grafana.dashboard("a")
    assert stored is not None and stored.updated_by == "bob"


def test_missing_folder_is_created_first_and_nested(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    client.create_folder("ops", "Operations")
    summary = push(client, [dash("b", TEAM)], grafana)
    assert [(o.uid, o.action) for o in summary.folders] == [
        ("ops", Action.UNCHANGED),
        ("ops-team", Action.CREATE),
    ]
    assert write_paths(grafana) == ["POST /api/folders", "POST /api/dashboards/db"]
    assert grafana.writes()[0].body == {"uid": "ops-team", "title": "Team", "parentUid": "ops"}


def test_folder_renamed_in_grafana_is_a_conflict(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    client.create_folder("ops", "Ops renamed by hand")
    summary = push(client, [dash("a", OPS)], grafana)
    assert summary.folders[0].action is Action.CONFLICT
    assert actions(summary) == {"a": Action.CREATE}  # the folder exists: dashboards go in
    assert summary.exit_code == 3
    summary = push(client, [dash("a", OPS)], grafana, force=True)
    assert summary.folders[0].action is Action.UPDATE
    folder = grafana.folder("ops")
    assert folder is not None and folder.title == "Operations"


def test_unknown_folder_answer_fails_only_that_dashboard(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a", OPS), dash("b")], grafana)
    # The folder vanishes between our folder check and the save: Grafana answers 400.
    grafana.before_next(lambda: grafana.store.org(1).folders.pop("ops"), method="POST")
    summary = push(client, [dash("a", OPS, panels=2), dash("b", panels=2)], grafana, concurrency=1)
    assert actions(summary) == {"a": Action.FAILED, "b": Action.UPDATE}
    assert summary.dashboards[0].detail == "400 folder not found"  # the status, as Grafana said it
    assert summary.exit_code == 1
