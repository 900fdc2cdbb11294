"""A real Prometheus 2.42 and Alertmanager 0.25 on loopback, one per test, lifecycle API on."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from deploy_testing import Running

from pfm_dash.verify.processes import Processes, free_port, http_ok, wait_until

PROMETHEUS_YML = """\
global: {evaluation_interval: 15s}
rule_files: ["rules/*.rules.yml"]
"""


def _binary(*names: str) -> str:
    for name in names:
        if path := shutil.which(name):
            return path
    pytest.skip(f"{names[0]} is not installed (apt-get install prometheus prometheus-alertmanager)")


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


def _start(procs: Processes, name: str, argv: Callable[[int], list[str]]) -> str:
    port = free_port()
    procs.start(name, argv(port))
    url = f"http://127.0.0.1:{port}"
    wait_until(name, http_ok(f"{url}/-/ready"), 15, procs)
    return url


@pytest.fixture
def prometheus(tmp_path: Path, processes: Processes) -> Running:
    """Prometheus loading ``<tmp>/prom/rules/*.rules.yml`` (empty at start)."""
    binary = _binary("prometheus")
    folder = tmp_path / "prom"
    (folder / "rules").mkdir(parents=True)
    (folder / "prometheus.yml").write_text(PROMETHEUS_YML)
    url = _start(
        processes,
        "prometheus",
        lambda port: [
            binary,
            f"--config.file={folder / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'prom-data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--web.enable-lifecycle",
        ],
    )
    return Running(url, folder / "rules")


@pytest.fixture
def alertmanager(tmp_path: Path, processes: Processes) -> Running:
    """Alertmanager loading ``<tmp>/am/alertmanager.yml`` (a minimal route at start)."""
    binary = _binary("prometheus-alertmanager", "alertmanager")
    folder = tmp_path / "am"
    folder.mkdir()
    (folder / "alertmanager.yml").write_text(
        "route:\n  receiver: start\nreceivers:\n- name: start\n"
    )
    url = _start(
        processes,
        "alertmanager",
        lambda port: [
            binary,
            f"--config.file={folder / 'alertmanager.yml'}",
            f"--storage.path={tmp_path / 'am-data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
    )
    return Running(url, folder)
