"""--prometheus against a real Prometheus on 127.0.0.1 (scraping itself every second)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from conftest import MakeProject, run_cli
from preview_testing import DASHBOARD

from pfm_dash import Dashboard, Query, TimeSeries
from pfm_dash.errors import ToolError
from pfm_dash.preview.data import Prometheus, Window, default_window, interpolate, panel_data


def test_rate_interval_follows_the_scrape_interval(prometheus_url: str) -> None:
    prom = Prometheus(prometheus_url)
    assert prom.scrape_interval() == 1.0  # read from the server's loaded config
    panel = TimeSeries(title="t", queries=[Query(expr="rate(up[$__rate_interval])")])
    end = float(
        int(
            requests.get(
                f"{prometheus_url}/api/v1/query", params={"query": "time()"}, timeout=5
            ).json()["data"]["result"][0]
        )
    )
    data = panel_data(prom, panel, Window(end - 300, end), {}, 600)
    # 300 s over 600 px is below the 1 s scrape: step 1 s, rate interval max(1+1, 4*1) = 4 s.
    assert data.error == "" and data.series and len(data.series[0].points) > 1
    assert interpolate(
        "x[$__rate_interval] $job ${job}", {"__rate_interval": "4s", "job": "a"}
    ) == ("x[4s] a a")


def test_panels_show_the_servers_data(make_project: MakeProject, prometheus_url: str) -> None:
    root = make_project({"dashboards/board.py": DASHBOARD})
    result = run_cli("preview", "--out", "pics", "--prometheus", prometheus_url, cwd=root)
    assert result.code == 0, result.text
    svg = (root / "pics" / "preview-test.svg").read_text()
    assert f"data from {prometheus_url}" in svg
    assert "<polyline" in svg  # the request rate drawn as lines
    assert ">UP</text>" in svg  # the stat's value mapping
    assert re.search(r">\d+(\.\d+)?%</text>", svg)  # the gauge's value in its unit
    assert "No alerts" in svg  # the alert list asks the server, which has no rules
    assert "No data" not in svg and "error" not in svg.lower()


def test_unreachable_prometheus_is_one_message(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": DASHBOARD})
    result = run_cli("preview", "--prometheus", "http://127.0.0.1:9", cwd=root)
    assert result.code != 0 and "cannot reach Prometheus" in result.err
    assert "Traceback" not in result.text


def test_absolute_time_ranges_are_refused_by_name(tmp_path: Path) -> None:
    from pfm_dash.model.dashboard import TimeRange

    board = Dashboard(uid="abs", title="A", panels=[], time=TimeRange(start="2024-01-01"))
    with pytest.raises(ToolError, match="abs"):
        default_window(board, 1000.0)
