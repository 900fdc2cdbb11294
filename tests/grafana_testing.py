"""Fixtures and builders shared by the fake Grafana, client and push tests.

Each test gets its own fake Grafana on a free port of 127.0.0.1: real sockets, no mocks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pfm_dash.client import BearerToken, GrafanaClient, RetryPolicy
from pfm_dash.errors import Location
from pfm_dash.formats.grafana import CompiledDashboard as Dash
from pfm_dash.model.dashboard import Folder
from pfm_dash.testing.fake_grafana import FakeGrafana

# Distinctive, so a test can prove they never leak into any output.
TOKEN = "glsa_pfmTEST_S3CRET_0c4e9b1d7a"
READ_ONLY_TOKEN = "glsa_viewerTEST_S3CRET_5d2a"
# Retries that keep the suite fast: a few milliseconds of backoff.
FAST = RetryPolicy(retries=3, backoff=0.01, backoff_max=0.05, jitter=0.01, retry_after_max=3)


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    with FakeGrafana() as fake:
        fake.add_token(TOKEN)
        fake.add_token(READ_ONLY_TOKEN, login="sa-viewer", read_only=True)
        yield fake


@pytest.fixture
def client(grafana: FakeGrafana) -> Iterator[GrafanaClient]:
    api = GrafanaClient(grafana.url, BearerToken(TOKEN), retry=FAST, timeout=2.0)
    yield api
    api.close()


def dash(
    uid: str, folder: Folder | None = None, *, panels: int = 1, title: str = "", unit: str = "s"
) -> Dash:
    """A small dashboard whose JSON looks like what the compiler emits."""
    title = title or f"Board {uid}"
    model = {
        "uid": uid,
        "title": title,
        "schemaVersion": 39,
        "tags": ["pfm"],
        "time": {"from": "now-6h", "to": "now"},
        "panels": [
            {
                "id": i + 1,
                "type": "timeseries",
                "title": f"Panel {i + 1}",
                "gridPos": {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "targets": [{"refId": "A", "expr": f"up{{job='j{i}'}}"}],
            }
            for i in range(panels)
        ],
    }
    return Dash(uid, title, folder, model, Location("dashboards/test.py", 1))


OPS = Folder(uid="ops", title="Operations")
TEAM = Folder(uid="ops-team", title="Team", parent=OPS)
