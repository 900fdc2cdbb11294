"""The fake's dashboard API against the rules of pkg/api/dashboard.go and apierrors/dashboard.go."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from grafana_testing import FAST, TOKEN

from pfm_dash.client import BearerToken, GrafanaClient, NameExists
from pfm_dash.testing.fake_grafana import FakeGrafana

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def call(fake: FakeGrafana, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    response = requests.request(method, fake.url + path, json=body, headers=AUTH, timeout=5, **kw)
    return response.status_code, response.json()


def save(fake: FakeGrafana, dashboard: dict[str, Any], **extra: Any) -> Any:
    return call(fake, "POST", "/api/dashboards/db", {"dashboard": dashboard, **extra})


def test_health_needs_no_auth(grafana: FakeGrafana) -> None:
    response = requests.get(grafana.url + "/api/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"commit": "fake", "database": "ok", "version": "11.6.0"}


def test_create_then_update_counts_versions(grafana: FakeGrafana) -> None:
    status, body = save(grafana, {"uid": "a", "title": "A"}, folderUid="", message="first")
    assert status == 200
    assert body == {
        "id": body["id"],
        "uid": "a",
        "url": "/d/a/a",
        "status": "success",
        "version": 1,
        "slug": "a",
        "folderUid": "",
    }
    status, body = save(grafana, {"uid": "a", "title": "A2", "version": 1}, message="second")
    assert (status, body["version"]) == (200, 2)
    status, got = call(grafana, "GET", "/api/dashboards/uid/a")
    assert got["dashboard"]["version"] == got["meta"]["version"] == 2
    assert got["dashboard"]["id"] == body["id"]
    assert got["meta"]["folderUid"] == "" and got["meta"]["folderTitle"] == "General"
    assert got["meta"]["updatedBy"] == "sa-pfm-dash"
    assert got["meta"]["provisioned"] is False


def test_stale_version_is_412_unless_overwrite(grafana: FakeGrafana) -> None:
    save(grafana, {"uid": "a", "title": "A"})
    save(grafana, {"uid": "a", "title": "A", "version": 1})
    status, body = save(grafana, {"uid": "a", "title": "A", "version": 1})
    assert status == 412
    assert body == {
        "status": "version-mismatch",
        "message": "The dashboard has been changed by someone else",
    }
    # A uid without a version counts as version 0 (NewDashboardFromJson).
    assert save(grafana, {"uid": "a", "title": "A"})[0] == 412
    status, body = save(grafana, {"uid": "a", "title": "A", "version": 1}, overwrite=True)
    assert (status, body["version"]) == (200, 3)


@pytest.mark.parametrize(
    ("dashboard", "expected"),
    [
        (
            {"uid": "a", "title": "  "},
            {"status": "empty-name", "message": "Dashboard title cannot be empty"},
        ),
        ({"uid": "a b", "title": "A"}, {"message": "uid contains illegal characters"}),
        ({"uid": "x" * 41, "title": "A"}, {"message": "uid too long, max 40 characters"}),
        (
            {"uid": "a", "title": "A", "refresh": "1s"},
            {"message": "Dashboard refresh interval is too low"},
        ),
    ],
)
def test_invalid_dashboards_are_400(
    grafana: FakeGrafana, dashboard: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert save(grafana, dashboard) == (400, expected)


def test_refresh_at_the_minimum_is_accepted(grafana: FakeGrafana) -> None:
    assert save(grafana, {"uid": "a", "title": "A", "refresh": "5s"})[0] == 200
    assert save(grafana, {"uid": "b", "title": "B", "refresh": ""})[0] == 200


def test_unknown_folder_is_400(grafana: FakeGrafana) -> None:
    status, body = save(grafana, {"uid": "a", "title": "A"}, folderUid="nope")
    assert (status, body) == (400, {"message": "folder not found"})


def test_same_uid_in_another_folder_moves_it(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "F1"})
    save(grafana, {"uid": "a", "title": "A"}, folderUid="f1")
    status, body = save(grafana, {"uid": "a", "title": "A", "version": 1})
    assert (status, body["folderUid"]) == (200, "")  # no folderUid: moved to the root
    stored = grafana.dashboard("a")
    assert stored is not None and stored.folder_uid == ""


def test_versions_keep_messages_in_both_shapes(grafana: FakeGrafana) -> None:
    save(grafana, {"uid": "a", "title": "A"}, message="one")
    save(grafana, {"uid": "a", "title": "A", "version": 1}, message="two")
    status, body = call(grafana, "GET", "/api/dashboards/uid/a/versions")
    assert status == 200 and body["continueToken"] == ""
    # Newest first; the first save always reads "Initial save" (pkg/api/dashboard.go).
    assert [(v["version"], v["message"]) for v in body["versions"]] == [
        (2, "two"),
        (1, "Initial save"),
    ]
    grafana.store.settings.versions_shape = "array"
    status, body = call(grafana, "GET", "/api/dashboards/uid/a/versions")
    assert isinstance(body, list) and body[0]["createdBy"] == "sa-pfm-dash"


def test_delete_and_not_found(grafana: FakeGrafana) -> None:
    save(grafana, {"uid": "a", "title": "A"})
    assert call(grafana, "DELETE", "/api/dashboards/uid/a") == (
        200,
        {"title": "A", "message": "Dashboard A deleted", "uid": "a"},
    )
    assert call(grafana, "GET", "/api/dashboards/uid/a") == (
        404,
        {"message": "Dashboard not found"},
    )
    assert call(grafana, "DELETE", "/api/dashboards/uid/a")[0] == 404


def test_search_filters_and_pages(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "F1"})
    save(grafana, {"uid": "a", "title": "Alpha", "tags": ["x", "y"]}, folderUid="f1")
    save(grafana, {"uid": "b", "title": "Beta", "tags": ["x"]})
    _, hits = call(grafana, "GET", "/api/search")
    assert [h["uid"] for h in hits] == ["f1", "a", "b"]  # folders first, then by title
    _, hits = call(grafana, "GET", "/api/search", params={"type": "dash-db", "tag": ["x", "y"]})
    assert [h["uid"] for h in hits] == ["a"] and hits[0]["folderUid"] == "f1"
    _, hits = call(grafana, "GET", "/api/search", params={"folderUIDs": "f1", "type": "dash-db"})
    assert [h["uid"] for h in hits] == ["a"]
    _, hits = call(grafana, "GET", "/api/search", params={"query": "bet"})
    assert [h["uid"] for h in hits] == ["b"] and "folderUid" not in hits[0]
    _, hits = call(grafana, "GET", "/api/search", params={"limit": 1, "page": 2, "type": "dash-db"})
    assert [h["uid"] for h in hits] == ["b"]
    assert call(grafana, "GET", "/api/search", params={"limit": 5001})[0] == 422


def test_ui_edit_saves_a_version_as_another_user(grafana: FakeGrafana) -> None:
    save(grafana, {"uid": "a", "title": "A"}, message="ours")
    assert grafana.ui_edit("a", user="alice") == 2
    _, got = call(grafana, "GET", "/api/dashboards/uid/a")
    assert got["meta"]["updatedBy"] == "alice"
    assert got["dashboard"]["panels"][-1]["title"] == "Note by alice"


def test_grafana_11_2_overwrite_takes_over_the_dashboard_with_the_title() -> None:
    """getExistingDashboardByTitleAndFolder (<= 11.2): overwrite adopts the other's id and uid."""
    with FakeGrafana(version="11.2.0", unique_titles=True) as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), retry=FAST)
        api.save_dashboard({"uid": "theirs", "title": "Board"}, "", overwrite=False, message="")
        with pytest.raises(NameExists):
            api.save_dashboard({"uid": "mine", "title": "board"}, "", overwrite=False, message="")
        saved = api.save_dashboard(
            {"uid": "mine", "title": "board", "note": 1}, "", overwrite=True, message=""
        )
        api.close()
    assert (saved["uid"], saved["version"]) == ("theirs", 2)
    assert fake.dashboard_uids() == {"theirs"}
    theirs = fake.dashboard("theirs")
    assert theirs is not None and theirs.data["note"] == 1


def test_after_next_runs_between_the_answer_and_its_delivery(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    client.save_dashboard({"uid": "d", "title": "D"}, "", overwrite=False, message="")
    grafana.after_next(lambda: grafana.ui_edit("d"), path="/api/dashboards/uid/d", method="GET")
    read = client.get_dashboard("d")
    assert read["meta"]["version"] == 1  # the answer was made before the edit
    stored = grafana.dashboard("d")
    assert stored is not None and stored.version == 2
