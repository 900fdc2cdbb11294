"""The compiler's byte stream: parallel compilation gives the same files, in the same order."""

from __future__ import annotations

from dataclasses import replace

from dashboards.pfm_overview import overview
from pfm_dash.compiler import PARALLEL_FROM, dashboard_files


def test_parallel_compile_is_byte_identical_and_ordered() -> None:
    boards = [replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(PARALLEL_FROM)]
    sequential = list(dashboard_files(boards, jobs=1))
    parallel = list(dashboard_files(iter(boards), jobs=2))
    assert [path for path, _ in parallel] == [f"grafana/dashboards/pfm-{i}.json" for i in range(64)]
    assert parallel == sequential
