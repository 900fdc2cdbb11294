"""Fixtures for the preview tests: a small real Prometheus on 127.0.0.1 scraping itself."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from pfm_dash.verify.processes import Processes, free_port, http_ok, wait_until


def _has_samples(url: str, expr: str, count: int) -> bool:
    body = requests.get(f"{url}/api/v1/query", params={"query": expr}, timeout=2).json()
    result = body["data"]["result"]
    return bool(result) and float(result[0]["value"][1]) >= count


@pytest.fixture(scope="module")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prometheus scraping itself every second, with a few samples already stored."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("needs Debian's prometheus (make tools)")
    folder: Path = tmp_path_factory.mktemp("prometheus")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "scrape_configs": [{"job_name": "self", "static_configs": [{"targets": ["PORT"]}]}],
    }
    port = free_port()
    config["scrape_configs"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{port}"]
    (folder / "prometheus.yml").write_text(yaml.safe_dump(config))
    procs = Processes(folder)
    procs.start(
        "prometheus",
        [
            binary,
            f"--config.file={folder / 'prometheus.yml'}",
            f"--storage.tsdb.path={folder / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until("Prometheus", http_ok(f"{url}/-/ready"), 20, procs)
        wait_until(
            "four scrapes", lambda: _has_samples(url, "count_over_time(up[1m])", 4), 20, procs
        )
        yield url
    finally:
        procs.stop_all()
