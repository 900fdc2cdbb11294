"""Run by the peer-client venv (``make peer-client``), never by pytest itself: grafana-client
from PyPI against a fake Grafana, each step's result printed as one JSON object.

    .cache/peer/bin/python grafana_client_session.py URL TOKEN
"""

from __future__ import annotations

import json
import sys
from typing import Any

from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError


def main(url: str, token: str) -> dict[str, Any]:
    api = GrafanaApi.from_url(url, credential=token)
    out: dict[str, Any] = {"connect": api.connect(), "version": api.version}
    out["health"] = api.health.check()
    board = {"uid": "peer", "title": "Peer board", "panels": []}
    out["created"] = api.dashboard.update_dashboard({"dashboard": board, "overwrite": False})
    got = api.dashboard.get_dashboard("peer")
    out["got"] = {k: got["meta"][k] for k in ("version", "updatedBy", "slug")}
    out["got"]["title"] = got["dashboard"]["title"]
    out["search"] = [hit["uid"] for hit in api.search.search_dashboards(query="Peer")]
    renamed = {**got["dashboard"], "title": "Peer board 2"}
    out["updated"] = api.dashboard.update_dashboard({"dashboard": renamed, "overwrite": False})
    try:  # the version read before the update: stale now
        api.dashboard.update_dashboard({"dashboard": got["dashboard"], "overwrite": False})
    except GrafanaClientError as exc:
        out["stale"] = {"status": exc.status_code, "response": exc.response}
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
