"""The fake Grafana's own control endpoint, a UI edit by a named user, and what Grafana's
peers call first: ``/healthz`` and ``/api/frontend/settings``."""

from __future__ import annotations

import requests
from grafana_testing import TOKEN, dash

from pfm_dash.client import GrafanaClient
from pfm_dash.testing.fake_grafana import FakeGrafana

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_a_ui_edit_bumps_the_version_as_the_named_user(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    board = dash("board")
    client.save_dashboard(board.model, "", message="push", overwrite=False)
    edit = requests.post(
        grafana.url + "/_fake/dashboards/board/ui-edit",
        json={"user": "alice", "message": "tweak"},
        timeout=5,
    )
    assert edit.json() == {"uid": "board", "version": 2, "updatedBy": "alice"}
    live = requests.get(grafana.url + "/api/dashboards/uid/board", headers=AUTH, timeout=5).json()
    assert live["meta"]["updatedBy"] == "alice" and live["meta"]["version"] == 2
    assert live["dashboard"]["panels"][-1]["title"] == "Note by alice"
    assert [(v.created_by, v.message) for v in grafana.history("board")][-1] == ("alice", "tweak")
    assert grafana.requests[-1].path == "/api/dashboards/uid/board"  # the edit is not traffic


def test_a_ui_edit_can_rename_and_defaults_to_alice(grafana: FakeGrafana) -> None:
    requests.post(
        grafana.url + "/api/dashboards/db",
        json={"dashboard": {"uid": "b", "title": "B"}},
        headers=AUTH,
        timeout=5,
    )
    edit = requests.post(
        grafana.url + "/_fake/dashboards/b/ui-edit", json={"title": "C"}, timeout=5
    )
    assert edit.json()["updatedBy"] == "alice"
    stored = grafana.dashboard("b")
    assert stored is not None and stored.title == "C" and stored.updated_by == "alice"


def test_a_ui_edit_of_an_unknown_dashboard_is_grafanas_404(grafana: FakeGrafana) -> None:
    edit = requests.post(grafana.url + "/_fake/dashboards/nope/ui-edit", timeout=5)
    assert (edit.status_code, edit.json()) == (404, {"message": "Dashboard not found"})
    bad = requests.post(grafana.url + "/_fake/dashboards/b/ui-edit", json={"usr": "x"}, timeout=5)
    assert bad.status_code == 400 and "unknown key(s) ['usr']" in bad.json()["message"]


def test_healthz_answers_ok_without_credentials(grafana: FakeGrafana) -> None:
    for method in ("GET", "HEAD"):
        answer = requests.request(method, grafana.url + "/healthz", timeout=5)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert requests.get(grafana.url + "/healthz", timeout=5).content == b"Ok"
    assert requests.post(grafana.url + "/healthz", timeout=5).status_code == 401


def test_frontend_settings_report_the_health_version(grafana: FakeGrafana) -> None:
    assert requests.get(grafana.url + "/api/frontend/settings", timeout=5).status_code == 401
    health = requests.get(grafana.url + "/api/health", timeout=5).json()
    for path in ("/api/frontend/settings", "/api/frontend/settings/"):
        settings = requests.get(grafana.url + path, headers=AUTH, timeout=5).json()
        info = settings["buildInfo"]
        assert info["version"] == health["version"] == "11.6.0"
        assert info["commit"] == health["commit"] and not info["hideVersion"]
        assert settings["appUrl"] == grafana.url + "/"


def test_frontend_settings_follow_the_version_option() -> None:
    with FakeGrafana(version="12.1.0") as fake:
        settings = requests.get(
            fake.url + "/api/frontend/settings", auth=("admin", "admin"), timeout=5
        ).json()
    assert settings["buildInfo"]["version"] == "12.1.0"
    assert settings["buildInfo"]["versionString"] == "Grafana v12.1.0 (fake)"
