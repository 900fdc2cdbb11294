"""Auth as pkg/middleware/auth.go answers it, and the fake's own fault injection and log."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

import pytest
import requests
from grafana_testing import READ_ONLY_TOKEN, TOKEN

from pfm_dash.testing.fake_grafana import FakeGrafana


def test_missing_or_bad_credentials_are_401(grafana: FakeGrafana) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic !!"}):
        response = requests.get(grafana.url + "/api/org", headers=headers, timeout=5)
        assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})


def test_basic_auth_and_org_header(grafana: FakeGrafana) -> None:
    grafana.add_user("ann", "pw", orgs=frozenset({1, 2}))
    response = requests.get(grafana.url + "/api/org", auth=("ann", "pw"), timeout=5)
    assert response.json()["id"] == 1
    response = requests.get(
        grafana.url + "/api/org", auth=("ann", "pw"), headers={"X-Grafana-Org-Id": "2"}, timeout=5
    )
    assert response.json()["id"] == 2
    response = requests.get(
        grafana.url + "/api/org", auth=("ann", "pw"), headers={"X-Grafana-Org-Id": "3"}, timeout=5
    )
    assert response.status_code == 403
    assert requests.get(grafana.url + "/api/org", auth=("admin", "admin"), timeout=5).ok


def test_read_only_token_gets_the_rbac_403_on_writes(grafana: FakeGrafana) -> None:
    headers = {"Authorization": f"Bearer {READ_ONLY_TOKEN}"}
    assert requests.get(grafana.url + "/api/search", headers=headers, timeout=5).ok
    response = requests.post(
        grafana.url + "/api/folders", json={"title": "x"}, headers=headers, timeout=5
    )
    body = response.json()
    assert response.status_code == 403
    assert body["accessErrorId"].startswith("ACE")
    assert body["message"].endswith("Permissions needed: folders:create")


def test_fail_next_matches_path_and_sets_retry_after(grafana: FakeGrafana) -> None:
    grafana.fail_next(2, 429, path="/api/search", retry_after="7")
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert requests.get(grafana.url + "/api/org", headers=headers, timeout=5).ok
    for _ in range(2):
        response = requests.get(grafana.url + "/api/search", headers=headers, timeout=5)
        assert (response.status_code, response.headers["Retry-After"]) == (429, "7")
    assert requests.get(grafana.url + "/api/search", headers=headers, timeout=5).ok
    assert [r.status for r in grafana.requests] == [200, 429, 429, 200]
    assert [r.fault for r in grafana.requests] == ["", "status", "status", ""]


def test_drop_and_delay(grafana: FakeGrafana) -> None:
    grafana.drop_next(1, path="/api/health")
    conn = http.client.HTTPConnection("127.0.0.1", grafana.port, timeout=5)
    conn.request("GET", "/api/health")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    grafana.delay_next(1, 0.2)
    started = time.monotonic()
    assert requests.get(grafana.url + "/api/health", timeout=5).ok
    assert time.monotonic() - started >= 0.2


def test_drop_after_apply_keeps_the_change(grafana: FakeGrafana) -> None:
    grafana.drop_next(1, method="POST", after_apply=True)
    with pytest.raises(requests.ConnectionError):
        requests.post(
            grafana.url + "/api/folders",
            json={"uid": "f", "title": "F"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
    assert grafana.folder("f") is not None


def test_request_log_names_callers_never_tokens(grafana: FakeGrafana) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    requests.get(grafana.url + "/api/org", headers=headers, timeout=5)
    (entry,) = grafana.requests
    assert entry.caller == "sa-pfm-dash" and entry.org_id == 1
    assert TOKEN not in repr(grafana.requests)
    grafana.clear()
    assert grafana.requests == []


def test_runs_by_hand() -> None:
    """``python -m pfm_dash.testing.fake_grafana --port 0 --token T`` serves until stopped."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfm_dash.testing.fake_grafana", "--port", "0", "--token", "demo"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer demo"}
        assert requests.get(url + "/api/org", headers=headers, timeout=5).json()["id"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
