"""The fake's folder API against pkg/api/folder.go and pkg/api/apierrors/folder.go."""

from __future__ import annotations

from typing import Any

import requests
from grafana_testing import TOKEN

from pfm_dash.testing.fake_grafana import FakeGrafana

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def call(fake: FakeGrafana, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    response = requests.request(method, fake.url + path, json=body, headers=AUTH, timeout=5, **kw)
    return response.status_code, response.json()


def test_create_get_and_missing(grafana: FakeGrafana) -> None:
    status, body = call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    assert status == 200
    assert body["uid"] == "f1" and body["url"] == "/dashboards/f/f1/ops" and body["version"] == 1
    assert "parentUid" not in body
    assert call(grafana, "GET", "/api/folders/f1")[1]["title"] == "Ops"
    assert call(grafana, "GET", "/api/folders/nope") == (
        404,
        {"status": "not-found", "message": "folder not found"},
    )


def test_duplicate_uid_is_409_or_412_by_release(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    status, body = call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    assert (status, body["message"]) == (409, "a folder/dashboard with the same uid already exists")
    grafana.store.settings.folder_conflict_status = 412
    status, body = call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    assert (status, body["status"]) == (412, "version-mismatch")


def test_invalid_folders(grafana: FakeGrafana) -> None:
    assert call(grafana, "POST", "/api/folders", {"uid": "f", "title": ""}) == (
        400,
        {"message": "folder title cannot be empty"},
    )
    assert call(grafana, "POST", "/api/folders", {"uid": "a/b", "title": "T"})[0] == 400


def test_nesting_listing_and_depth_limit(grafana: FakeGrafana) -> None:
    parent = ""
    for depth in range(1, 5):
        body = {"uid": f"f{depth}", "title": f"Level {depth}", "parentUid": parent}
        status, created = call(grafana, "POST", "/api/folders", body)
        assert status == 200
        assert created.get("parentUid", "") == parent
        parent = f"f{depth}"
    status, body = call(
        grafana, "POST", "/api/folders", {"uid": "f5", "title": "5", "parentUid": "f4"}
    )
    assert (status, body) == (400, {"message": "Maximum nested folder depth reached"})
    assert call(grafana, "GET", "/api/folders")[1] == [{"id": 1, "uid": "f1", "title": "Level 1"}]
    children = call(grafana, "GET", "/api/folders", params={"parentUid": "f1"})[1]
    assert children == [{"id": 2, "uid": "f2", "title": "Level 2", "parentUid": "f1"}]
    status, _ = call(grafana, "POST", "/api/folders", {"uid": "x", "title": "X", "parentUid": "no"})
    assert status == 404


def test_update_checks_version(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    status, body = call(grafana, "PUT", "/api/folders/f1", {"title": "Ops 2", "version": 1})
    assert (status, body["version"], body["title"]) == (200, 2, "Ops 2")
    status, body = call(grafana, "PUT", "/api/folders/f1", {"title": "Ops 3", "version": 1})
    assert status == 412 and body["status"] == "version-mismatch"


def test_delete_takes_its_dashboards(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    call(
        grafana,
        "POST",
        "/api/dashboards/db",
        {"dashboard": {"uid": "d", "title": "D"}, "folderUid": "f1"},
    )
    assert call(grafana, "DELETE", "/api/folders/f1") == (200, {"message": "Folder deleted"})
    assert grafana.dashboard_uids() == set()


def test_dashboard_uid_cannot_become_a_folder(grafana: FakeGrafana) -> None:
    call(grafana, "POST", "/api/folders", {"uid": "f1", "title": "Ops"})
    status, body = call(
        grafana, "POST", "/api/dashboards/db", {"dashboard": {"uid": "f1", "title": "D"}}
    )
    assert (status, body) == (400, {"message": "Dashboard cannot be changed to a folder"})
