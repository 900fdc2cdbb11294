"""Saving one dashboard: ``overwrite`` only for forced conflicts, forced retries re-read first,
and a same-title clash reported as one (issue 13, items 1, 2 and 5).

Races are staged with the fake's hooks, which act between pfm-dash's read and its write.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from grafana_testing import FAST, OPS, TOKEN, dash
from push_testing import actions, push

from pfm_dash.client import BearerToken, GrafanaClient
from pfm_dash.push import Action
from pfm_dash.push.report import outcome_line
from pfm_dash.testing.fake_grafana import FakeGrafana


def panel_titles(grafana: FakeGrafana, uid: str) -> list[str]:
    stored = grafana.dashboard(uid)
    assert stored is not None
    return [p.get("title", "") for p in stored.data.get("panels", [])]


def saves(grafana: FakeGrafana) -> list[tuple[str, bool]]:
    return [
        (r.body["dashboard"]["uid"], r.body["overwrite"])
        for r in grafana.writes()
        if r.path == "/api/dashboards/db"
    ]


def test_force_overwrites_only_the_conflicts_it_reported(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """Item 1: a colleague's edit to another dashboard during a forced push survives."""
    push(client, [dash("a", OPS), dash("b", OPS)], grafana)
    grafana.ui_edit("a", user="alice")  # a: a conflict the user forces
    # b is a plain update; bob saves it between pfm-dash's read and its save.
    grafana.before_next(lambda: grafana.ui_edit("b", user="bob"), path="/api/dashboards/db")
    summary = push(
        client,
        [dash("b", OPS, unit="bytes"), dash("a", OPS, unit="bytes")],
        grafana,
        force=True,
        concurrency=1,
    )
    assert actions(summary) == {"b": Action.CONFLICT, "a": Action.UPDATE}
    assert "Note by bob" in panel_titles(grafana, "b")  # not overwritten
    assert "Note by alice" not in panel_titles(grafana, "a")  # forced, as reported
    assert saves(grafana) == [("b", False), ("a", True)]
    assert summary.exit_code == 3


def test_a_retried_forced_save_rereads_and_keeps_a_later_edit(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """Item 2: the forced save is lost; bob saved meanwhile; the retry must not erase his edit."""
    push(client, [dash("a")], grafana)
    grafana.ui_edit("a", user="alice")
    grafana.before_next(lambda: grafana.ui_edit("a", user="bob"), path="/api/dashboards/db")
    grafana.drop_next(1, path="/api/dashboards/db")  # no answer, nothing applied
    summary = push(client, [dash("a", unit="bytes")], grafana, force=True)
    assert actions(summary) == {"a": Action.CONFLICT}
    assert "bob" in summary.dashboards[0].detail
    assert "Note by bob" in panel_titles(grafana, "a")
    assert saves(grafana) == [("a", True)]  # sent once, never repeated blindly
    assert "--force" not in outcome_line(summary.dashboards[0])


def test_a_forced_save_whose_answer_was_lost_is_settled(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a")], grafana)
    grafana.ui_edit("a", user="alice")
    grafana.drop_next(1, path="/api/dashboards/db", after_apply=True)
    summary = push(client, [dash("a", unit="bytes")], grafana, force=True)
    assert actions(summary) == {"a": Action.UPDATE} and summary.dashboards[0].applied
    assert saves(grafana) == [("a", True)]
    assert summary.exit_code == 0


def test_a_forced_save_refused_with_503_is_retried_version_checked(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    push(client, [dash("a")], grafana)
    grafana.ui_edit("a", user="alice")
    grafana.fail_next(1, 503, path="/api/dashboards/db")
    summary = push(client, [dash("a", unit="bytes")], grafana, force=True)
    assert actions(summary) == {"a": Action.UPDATE} and summary.dashboards[0].applied
    assert saves(grafana) == [("a", True), ("a", False)]
    stored = grafana.dashboard("a")
    assert stored is not None and stored.version == 3


@pytest.fixture
def old_grafana() -> Iterator[FakeGrafana]:
    """Grafana 11.2: titles unique per folder (412 name-exists)."""
    with FakeGrafana(version="11.2.0", unique_titles=True) as fake:
        fake.add_token(TOKEN)
        yield fake


@pytest.fixture
def old_client(old_grafana: FakeGrafana) -> Iterator[GrafanaClient]:
    api = GrafanaClient(old_grafana.url, BearerToken(TOKEN), retry=FAST, timeout=2.0)
    yield api
    api.close()


def test_a_title_clash_is_not_an_edit_and_force_never_takes_over(
    old_grafana: FakeGrafana, old_client: GrafanaClient
) -> None:
    """Item 5: 412 name-exists names the other dashboard and never suggests --force."""
    old_client.create_folder("ops", "Operations")
    old_client.save_dashboard(
        {"uid": "theirs", "title": "Board a"}, "ops", overwrite=False, message=""
    )
    summary = push(old_client, [dash("a", OPS)], old_grafana)
    (outcome,) = summary.dashboards
    assert outcome.action is Action.CONFLICT and summary.exit_code == 3
    assert "'theirs'" in outcome.detail and "title 'Board a'" in outcome.detail
    assert "--force" not in outcome_line(outcome)
    assert "while pushing" not in outcome.detail
    # --force must not send overwrite: on <= 11.2 it would replace 'theirs'.
    summary = push(old_client, [dash("a", OPS)], old_grafana, force=True)
    assert summary.dashboards[0].action is Action.CONFLICT
    assert "'theirs'" in summary.dashboards[0].detail
    theirs = old_grafana.dashboard("theirs")
    assert theirs is not None and theirs.version == 1 and "panels" not in theirs.data
    assert old_grafana.dashboard_uids() == {"theirs"}


def test_a_forced_conflict_with_a_title_clash_is_not_saved(
    old_grafana: FakeGrafana, old_client: GrafanaClient
) -> None:
    push(old_client, [dash("a", OPS)], old_grafana)
    old_grafana.ui_edit("a", user="alice")  # a conflict...
    old_client.save_dashboard(  # ...and another dashboard now holds the title we declare
        {"uid": "theirs", "title": "Renamed"}, "ops", overwrite=False, message=""
    )
    summary = push(old_client, [dash("a", OPS, title="Renamed")], old_grafana, force=True)
    assert summary.dashboards[0].action is Action.CONFLICT
    assert "'theirs'" in summary.dashboards[0].detail
    assert [w for w in old_grafana.writes() if w.path == "/api/dashboards/db"] == []
    theirs = old_grafana.dashboard("theirs")
    assert theirs is not None and theirs.version == 1
