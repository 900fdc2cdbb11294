"""Status codes become the right exception; credentials never show in one."""

from __future__ import annotations

import socket
import threading

import pytest
from grafana_testing import FAST, READ_ONLY_TOKEN, TOKEN

from pfm_dash.client import (
    AlreadyExists,
    AuthError,
    BadRequest,
    BasicAuth,
    BearerToken,
    Forbidden,
    GrafanaClient,
    GrafanaError,
    NameExists,
    NotFound,
    SearchHits,
    TransportError,
    VersionMismatch,
)
from pfm_dash.testing.fake_grafana import FakeGrafana


def test_endpoints_round_trip(client: GrafanaClient) -> None:
    assert client.health()["database"] == "ok"
    assert client.org()["id"] == 1
    client.create_folder("ops", "Ops")
    client.create_folder("team", "Team", parent_uid="ops")
    assert client.list_folders("ops")[0]["uid"] == "team"
    saved = client.save_dashboard({"uid": "d", "title": "D"}, "team", overwrite=False, message="m")
    assert saved["version"] == 1
    assert client.get_dashboard("d")["meta"]["folderUid"] == "team"
    assert [h["uid"] for h in client.search(folder_uids=["team"])] == ["d"]
    client.delete_dashboard("d")
    with pytest.raises(NotFound):
        client.get_dashboard("d")


def test_error_classes(client: GrafanaClient) -> None:
    with pytest.raises(NotFound) as not_found:
        client.get_folder("nope")
    assert not_found.value.status_field == "not-found"
    with pytest.raises(BadRequest, match="folder not found"):
        client.save_dashboard({"uid": "d", "title": "D"}, "nope", overwrite=False, message="")
    client.save_dashboard({"uid": "d", "title": "D"}, "", overwrite=False, message="")
    with pytest.raises(VersionMismatch) as mismatch:
        client.save_dashboard({"uid": "d", "title": "D"}, "", overwrite=False, message="")
    assert mismatch.value.status == 412 and mismatch.value.status_field == "version-mismatch"
    client.create_folder("f", "F")
    with pytest.raises(AlreadyExists):
        client.create_folder("f", "F")


def test_auth_errors_hold_no_secret(grafana: FakeGrafana) -> None:
    bad = GrafanaClient(grafana.url, BearerToken("glsa_WRONG_S3CRET"), retry=FAST)
    with pytest.raises(AuthError) as denied:
        bad.org()
    assert denied.value.exit_code == 4
    viewer = GrafanaClient(grafana.url, BearerToken(READ_ONLY_TOKEN), retry=FAST)
    with pytest.raises(Forbidden) as forbidden:
        viewer.create_folder("f", "F")
    assert "folders:create" in forbidden.value.message
    for text in (
        str(denied.value),
        repr(denied.value),
        str(forbidden.value),
        repr(bad),
        repr(viewer),
    ):
        assert "S3CRET" not in text


def test_credentials_redact_themselves() -> None:
    token, basic = BearerToken(TOKEN), BasicAuth("ann", "hunter2")
    for text in (repr(token), str(token), repr(basic), str(basic)):
        assert TOKEN not in text and "hunter2" not in text
    assert "ann" in repr(basic)


def test_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GrafanaClient(f"http://127.0.0.1:{port}", BearerToken(TOKEN), retry=FAST)
    with pytest.raises(TransportError, match="no answer") as failed:
        client.health()
    assert TOKEN not in str(failed.value)


def test_url_with_credentials_is_refused() -> None:
    with pytest.raises(GrafanaError) as refused:
        GrafanaClient("https://admin:hunter2@grafana.example.org")
    assert "hunter2" not in str(refused.value)


def test_versions_accepts_both_shapes(grafana: FakeGrafana, client: GrafanaClient) -> None:
    client.save_dashboard({"uid": "d", "title": "D"}, "", overwrite=False, message="a")
    client.save_dashboard(
        {"uid": "d", "title": "D", "version": 1}, "", overwrite=False, message="b"
    )
    assert [v["message"] for v in client.dashboard_versions("d")] == ["b", "Initial save"]
    grafana.store.settings.versions_shape = "array"
    assert [v["version"] for v in client.dashboard_versions("d")] == [2, 1]


def test_search_reads_every_page(client: GrafanaClient) -> None:
    for i in range(5):
        client.save_dashboard({"uid": f"d{i}", "title": f"D{i}"}, "", overwrite=False, message="")
    assert len(client.search(limit=2)) == 5


def test_org_header_selects_the_organisation(grafana: FakeGrafana) -> None:
    grafana.add_user("ann", "pw", orgs=frozenset({1, 2}))
    client = GrafanaClient(grafana.url, BasicAuth("ann", "pw"), org_id=2, retry=FAST)
    assert client.org()["id"] == 2
    client.save_dashboard({"uid": "d", "title": "D"}, "", overwrite=False, message="")
    assert grafana.dashboard_uids(org_id=2) == {"d"} and grafana.dashboard_uids() == set()
    assert {r.org_id for r in grafana.requests} == {2}


def test_search_ends_when_the_server_ignores_page() -> None:
    """Issue 13 item 7: every page the same; paging stops at the first page with nothing new."""
    with FakeGrafana(search_ignores_page=True) as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), retry=FAST)
        for i in range(5):
            api.save_dashboard({"uid": f"d{i}", "title": f"D{i}"}, "", overwrite=False, message="")
        result: list[SearchHits] = []
        worker = threading.Thread(target=lambda: result.append(api.search(limit=2)), daemon=True)
        worker.start()
        worker.join(timeout=20)
        api.close()
        assert result, "search kept paging"
        (hits,) = result
        assert [h["uid"] for h in hits] == ["d0", "d1"]
        assert not hits.complete and "ignore 'page'" in hits.note
        assert len([r for r in fake.requests if r.path == "/api/search"]) == 2


def test_a_full_last_page_then_an_empty_one_is_complete(client: GrafanaClient) -> None:
    for i in range(4):
        client.save_dashboard({"uid": f"d{i}", "title": f"D{i}"}, "", overwrite=False, message="")
    hits = client.search(limit=2)
    assert len(hits) == 4 and hits.complete


def test_412_name_exists_is_a_title_clash_not_a_version_mismatch() -> None:
    """Grafana <= 11.2 answers a taken title with 412 name-exists (apierrors/dashboard.go)."""
    with FakeGrafana(version="11.2.0", unique_titles=True) as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), retry=FAST)
        api.save_dashboard({"uid": "a", "title": "Same"}, "", overwrite=False, message="")
        with pytest.raises(NameExists) as clash:
            api.save_dashboard({"uid": "b", "title": "same"}, "", overwrite=False, message="")
        api.close()
    assert not isinstance(clash.value, VersionMismatch)
    assert (clash.value.status, clash.value.status_field) == (412, "name-exists")


def test_an_error_under_a_path_prefix_names_the_path_requested(grafana: FakeGrafana) -> None:
    # Grafana served under /grafana (root_url with a sub-path), asked at the root by mistake,
    # or the other way round: the message must show where the request really went.
    prefixed = GrafanaClient(grafana.url + "/grafana", BearerToken(TOKEN), retry=FAST)
    with pytest.raises(NotFound) as missing:
        prefixed.health()
    assert str(missing.value).startswith("GET /grafana/api/health: 404")
