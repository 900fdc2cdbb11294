"""grafana-client (PyPI), a client pfm-dash did not write, drives the fake Grafana: connect,
health check, create, get, search, and Grafana's 412 for a stale version.

grafana-client runs in its own venv (``make peer-client``): its niquests brings urllib3-future,
which replaces urllib3 wherever it is installed, so it stays out of the project's .venv.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from pfm_dash.testing.fake_grafana import FakeGrafana

PEER_PYTHON = ROOT / ".cache" / "peer" / "bin" / "python"
SESSION = Path(__file__).with_name("grafana_client_session.py")


def run_session(fake: FakeGrafana, token: str) -> dict[str, Any]:
    if not PEER_PYTHON.exists():
        pytest.skip("grafana-client is not installed: run `make peer-client` (make test does)")
    done = subprocess.run(
        [str(PEER_PYTHON), str(SESSION), fake.url, token],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_grafana_client_connects_and_works_with_dashboards() -> None:
    with FakeGrafana(version="11.6.2") as fake:
        fake.add_token("peer-token", login="sa-peer")
        out = run_session(fake, "peer-token")
        paths = [(r.method, r.path, r.status) for r in fake.requests]
        stored = fake.dashboard("peer")
    assert out["connect"]["version"] == out["health"]["version"] == "11.6.2"
    assert out["version"] == "11.6.2"
    assert out["created"]["status"] == "success" and out["created"]["version"] == 1
    assert out["got"] == {
        "version": 1,
        "updatedBy": "sa-peer",
        "slug": "peer-board",
        "title": "Peer board",
    }
    assert out["search"] == ["peer"]
    assert out["updated"]["version"] == 2
    assert out["stale"] == {
        "status": 412,
        "response": {
            "message": "The dashboard has been changed by someone else",
            "status": "version-mismatch",
        },
    }
    assert stored is not None and (stored.version, stored.title) == (2, "Peer board 2")
    assert paths[0] == ("GET", "/api/frontend/settings", 200)
    assert paths[-1] == ("POST", "/api/dashboards/db", 412)
