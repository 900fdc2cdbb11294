"""``--prune`` deletes only what pfm-dash pushed and no longer declares; dry runs write nothing."""

from __future__ import annotations

import threading

from grafana_testing import FAST, OPS, TOKEN, dash
from push_testing import actions, push, write_paths

from pfm_dash.client import BearerToken, GrafanaClient
from pfm_dash.push import Action, Outcome
from pfm_dash.push.prune import prune
from pfm_dash.testing.fake_grafana import FakeGrafana


def test_prune_deletes_only_our_own(grafana: FakeGrafana, client: GrafanaClient) -> None:
    push(client, [dash("a", OPS), dash("gone", OPS), dash("root-gone")], grafana)
    client.save_dashboard({"uid": "theirs", "title": "T"}, "ops", overwrite=False, message="")
    client.create_folder("other", "Other")
    push(client, [dash("elsewhere", None)], grafana)  # ours, but at the root
    client.save_dashboard({"uid": "x", "title": "X"}, "other", overwrite=False, message="")
    summary = push(client, [dash("a", OPS)], grafana, prune=True, dry_run=True)
    assert [(o.uid, o.action, o.applied) for o in summary.deletions] == [
        ("gone", Action.DELETE, False)
    ]
    assert grafana.writes() == []
    summary = push(client, [dash("a", OPS)], grafana, prune=True)
    assert [(o.uid, o.applied) for o in summary.deletions] == [("gone", True)]
    assert write_paths(grafana) == ["DELETE /api/dashboards/uid/gone"]
    # Unmanaged folders (the root here) and dashboards without our mark are never touched.
    assert grafana.dashboard_uids() == {"a", "theirs", "root-gone", "elsewhere", "x"}


def test_prune_at_the_root_when_the_source_uses_it(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a"), dash("b")], grafana)
    client.save_dashboard({"uid": "theirs", "title": "T"}, "", overwrite=False, message="")
    summary = push(client, [dash("a")], grafana, prune=True)
    assert [o.uid for o in summary.deletions] == ["b"]
    assert grafana.dashboard_uids() == {"a", "theirs"}


def test_prune_keeps_a_dashboard_edited_since(grafana: FakeGrafana, client: GrafanaClient) -> None:
    push(client, [dash("a", OPS), dash("b", OPS)], grafana)
    grafana.ui_edit("b", user="carol")
    summary = push(client, [dash("a", OPS)], grafana, prune=True)
    assert [(o.uid, o.action) for o in summary.deletions] == [("b", Action.CONFLICT)]
    assert "carol" in summary.deletions[0].detail and summary.exit_code == 3
    assert "b" in grafana.dashboard_uids()
    summary = push(client, [dash("a", OPS)], grafana, prune=True, force=True)
    assert "b" not in grafana.dashboard_uids()


def test_dry_run_and_diff_write_nothing(grafana: FakeGrafana, client: GrafanaClient) -> None:
    push(client, [dash("a", OPS)], grafana)
    specs = [dash("a", OPS, unit="bytes"), dash("new", OPS)]
    summary = push(client, specs, grafana, dry_run=True, diff=True)
    assert actions(summary) == {"a": Action.UPDATE, "new": Action.CREATE}
    assert not any(o.applied for o in summary.outcomes)
    assert grafana.writes() == []
    diff = summary.dashboards[0].diff
    assert '-          "unit": "s"' in diff and '+          "unit": "bytes"' in diff
    assert "pfmDash" not in diff and '"version"' not in diff  # normalised on both sides
    assert summary.dashboards[1].diff.startswith("--- grafana/new.json")


def test_dry_run_plans_missing_folders(grafana: FakeGrafana, client: GrafanaClient) -> None:
    summary = push(client, [dash("a", OPS)], grafana, dry_run=True)
    assert [(o.uid, o.action, o.applied) for o in summary.folders] == [
        ("ops", Action.CREATE, False)
    ]
    assert actions(summary) == {"a": Action.CREATE}
    assert grafana.writes() == [] and grafana.folder("ops") is None


def test_prune_leaves_another_projects_dashboards_in_a_shared_folder(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("ours", OPS)], grafana, project="pfm")
    push(client, [dash("team-b-keep", OPS), dash("team-b-old", OPS)], grafana, project="team-b")
    summary = push(client, [dash("ours", OPS)], grafana, project="pfm", prune=True)
    assert summary.deletions == []
    assert grafana.dashboard_uids() == {"ours", "team-b-keep", "team-b-old"}
    # Team B drops a board of its own: its prune removes that one and leaves ours.
    summary = push(client, [dash("team-b-keep", OPS)], grafana, project="team-b", prune=True)
    assert [o.uid for o in summary.deletions] == ["team-b-old"]
    assert grafana.dashboard_uids() == {"ours", "team-b-keep"}


def test_a_dashboard_of_another_project_is_a_conflict_not_an_update(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("shared", OPS)], grafana, project="team-b")
    summary = push(client, [dash("shared", OPS, unit="bytes")], grafana, project="pfm")
    assert actions(summary) == {"shared": Action.CONFLICT}
    assert "project 'team-b'" in summary.dashboards[0].detail and summary.exit_code == 3
    assert grafana.writes() == []
    summary = push(client, [dash("shared", OPS, unit="bytes")], grafana, project="pfm", force=True)
    assert actions(summary) == {"shared": Action.UPDATE}


def test_an_edit_between_prunes_read_and_its_delete_is_kept(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """Issue 13 item 4: carol saves right after prune read 'old'; the re-read sees it."""
    push(client, [dash("a", OPS), dash("old", OPS)], grafana)
    grafana.after_next(
        lambda: grafana.ui_edit("old", user="carol"), path="/api/dashboards/uid/old", method="GET"
    )
    summary = push(client, [dash("a", OPS)], grafana, prune=True)
    assert [(o.uid, o.action, o.applied) for o in summary.deletions] == [
        ("old", Action.CONFLICT, False)
    ]
    assert "carol" in summary.deletions[0].detail and "while pruning" in summary.deletions[0].detail
    assert "old" in grafana.dashboard_uids()
    assert write_paths(grafana) == []
    # Nothing changes on the next run: carol's edit is a plain conflict now.
    summary = push(client, [dash("a", OPS)], grafana, prune=True)
    assert [(o.uid, o.action) for o in summary.deletions] == [("old", Action.CONFLICT)]


def test_a_dashboard_deleted_after_the_search_counts_as_done(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """Issue 13 item 8: gone between prune's search and its read: the goal is met, exit 0."""
    push(client, [dash("a", OPS), dash("old", OPS)], grafana)

    def someone_deletes_it() -> None:
        with grafana.store.lock:
            del grafana.store.org(1).dashboards["old"]

    grafana.after_next(someone_deletes_it, path="/api/search")
    summary = push(client, [dash("a", OPS)], grafana, prune=True)
    assert [(o.uid, o.action, o.applied) for o in summary.deletions] == [
        ("old", Action.DELETE, True)
    ]
    assert summary.exit_code == 0 and write_paths(grafana) == []


def test_prune_ends_against_a_server_that_ignores_page() -> None:
    """Issue 13 item 7: the same page for every page number; prune stops and says so."""
    with FakeGrafana(search_ignores_page=True) as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), retry=FAST, timeout=2.0)
        specs = [dash(f"d{i}", OPS) for i in range(5)]
        push(api, specs, fake, project="pfm")
        done: list[list[Outcome]] = []
        worker = threading.Thread(
            target=lambda: done.append(
                prune(
                    api,
                    specs[:1],
                    dry_run=True,
                    force=False,
                    concurrency=2,
                    project="pfm",
                    page_size=2,
                )
            ),
            daemon=True,
        )
        worker.start()
        worker.join(timeout=20)
        api.close()
    assert done, "prune kept paging"
    (outcomes,) = done
    assert outcomes[0].action is Action.FAILED and "ignore 'page'" in outcomes[0].detail
    # Only what the search returned was considered: page 1 holds d0 and d1, d0 is declared.
    assert [(o.uid, o.action) for o in outcomes[1:]] == [("d1", Action.DELETE)]


def test_prune_across_two_search_pages(grafana: FakeGrafana, client: GrafanaClient) -> None:
    """The 1,200-dashboard scenario scaled down: pages of 100 answer 100 then 20; all seen."""
    specs = [dash(f"d{i:03d}", OPS) for i in range(120)]
    assert push(client, specs, grafana, concurrency=8, project="pfm").exit_code == 0
    grafana.clear_log()
    outcomes = prune(
        client, specs[:10], dry_run=False, force=False, concurrency=8, project="pfm", page_size=100
    )
    assert len(outcomes) == 110
    assert all(o.action is Action.DELETE and o.applied for o in outcomes)
    pages = [r.query.get("page") for r in grafana.requests if r.path == "/api/search"]
    assert pages == [["1"], ["2"]]
    assert grafana.dashboard_uids() == {s.uid for s in specs[:10]}
