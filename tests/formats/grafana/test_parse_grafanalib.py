"""grafanalib input: a module-level grafanalib Dashboard is collected, parsed through its JSON
(modernised) and built like any other dashboard; grafanalib is imported only when one exists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, MakeProject, run_cli

from pfm_dash.formats.grafana.parse.grafanalib import modernise

GRAFANALIB_DASHBOARD = """
import grafanalib.core as G

board = G.Dashboard(
    title="Legacy Service",
    uid="legacy-service",
    panels=[
        G.RowPanel(title="Traffic", gridPos=G.GridPos(h=1, w=24, x=0, y=0)),
        G.TimeSeries(
            title="Request rate",
            targets=[G.Target(expr="sum(rate(http_requests_total[5m]))", legendFormat="rps")],
            gridPos=G.GridPos(h=8, w=12, x=0, y=1),
            unit="reqps",
        ),
        G.Stat(
            title="Targets up",
            targets=[G.Target(expr="sum(up)")],
            gridPos=G.GridPos(h=8, w=12, x=12, y=1),
        ),
    ],
).auto_panel_ids()
"""


def test_a_grafanalib_dashboard_builds(make_project: MakeProject) -> None:
    root = make_project({"dashboards/legacy.py": GRAFANALIB_DASHBOARD})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    data = json.loads((root / "build/grafana/dashboards/legacy-service.json").read_text())
    assert data["schemaVersion"] >= 36  # grafanalib writes 12
    row, series, stat = data["panels"]
    assert (row["type"], row["title"], row["collapsed"]) == ("row", "Traffic", False)
    assert (series["type"], series["id"], series["gridPos"]) == (
        "timeseries",
        2,
        {"h": 8, "w": 12, "x": 0, "y": 1},
    )
    assert series["fieldConfig"]["defaults"]["unit"] == "reqps"
    assert stat["type"] == "stat"
    assert stat["fieldConfig"]["defaults"]["noValue"] == "No data"  # not grafanalib's "none"
    target = series["targets"][0]
    assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    assert not {"step", "intervalFactor", "metric", "target", "query"} & target.keys()
    assert not {"span", "editable", "error", "maxDataPoints"} & series.keys()
    assert not {"rows", "style", "hideControls", "sharedCrosshair"} & data.keys()
    assert data["templating"]["list"][0]["type"] == "datasource"


def _load_in_subprocess(root: Path, expression: str) -> str:
    """Load the fixture project in a fresh interpreter (its ``dashboards`` package would
    shadow the PFM one for later tests in this process) and print ``expression``."""
    code = (
        "import sys; from pathlib import Path; from pfm_dash.config import load_config; "
        "from pfm_dash.project import load_project; "
        f"project = load_project(load_config(Path({str(root)!r}))); print({expression})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()


def test_the_grafanalib_dashboard_is_located_where_it_is_assigned(
    make_project: MakeProject,
) -> None:
    root = make_project({"dashboards/legacy.py": GRAFANALIB_DASHBOARD})
    out = _load_in_subprocess(root, "[(d.uid, str(d.location)) for d in project.dashboards]")
    assert out == str([("legacy-service", f"{root / 'dashboards/legacy.py'}:4")])


def test_grafanalib_is_not_imported_without_such_a_dashboard(make_project: MakeProject) -> None:
    root = make_project({})
    out = _load_in_subprocess(root, "'pfm_dash.formats.grafana.parse' in sys.modules")
    assert out == "False"  # the parser is not even loaded for a project without one


def test_a_broken_grafanalib_dashboard_is_one_error(make_project: MakeProject) -> None:
    source = GRAFANALIB_DASHBOARD.replace('uid="legacy-service"', 'uid="has spaces"')
    root = make_project({"dashboards/legacy.py": source})
    result = run_cli("build", cwd=root)
    assert result.code == 2
    assert "legacy.py:4 (board, grafanalib): $.uid: error: invalid dashboard uid" in result.err
    assert "Traceback" not in result.text


def test_modernise_drops_grafanalib_defaults_only() -> None:
    panel = {
        "type": "timeseries",
        "span": None,
        "editable": True,
        "maxDataPoints": 50,
        "targets": [{"expr": "up", "query": "up", "step": 10, "intervalFactor": 1}],
    }
    data = modernise({"style": "dark", "panels": [panel], "gnetId": None})
    (out,) = data["panels"]
    assert out["maxDataPoints"] == 50  # set by the user, not grafanalib's 100: kept
    assert out["targets"] == [{"expr": "up", "intervalFactor": 1}]
    assert "style" not in data and "gnetId" not in data
