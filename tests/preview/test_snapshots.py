"""``pfm-dash verify --preview DIR``: what on-call sees, healthy and while an alert fires."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

TOOLS = ("prometheus", "promtool", "prometheus-alertmanager", "amtool")


@pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="needs Debian's prometheus and prometheus-alertmanager (make tools)",
)
def test_verify_draws_healthy_and_firing(tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    result = run_cli("verify", "--only", "ServiceDown", "--preview", str(out), cwd=ROOT)
    assert result.code == 0, result.text
    index = (out / "index.html").read_text()
    assert "healthy" in index and "ServiceDown firing" in index
    healthy, firing = sorted(p for p in out.iterdir() if p.is_dir())
    assert healthy.name == "01-healthy" and firing.name.startswith("02-service-down")
    calm = (healthy / "pfm-overview.svg").read_text()
    alarm = (firing / "pfm-overview.svg").read_text()
    assert "<polyline" in calm and ">UP</text>" in calm and ">DOWN</text>" not in calm
    assert ">DOWN</text>" in alarm  # the service status stat, in red
    assert ">ServiceDown</text>" in alarm and ">FIRING</text>" in alarm  # the alert list


def test_a_picture_that_cannot_be_drawn_is_noted_not_raised(tmp_path: Path) -> None:
    from pfm_dash import Dashboard, Query, Stat
    from pfm_dash.preview.snapshots import Snapshots

    board = Dashboard(uid="b", title="B", panels=[Stat(title="S", queries=[Query(expr="up")])])
    snapshots = Snapshots(tmp_path / "pics", [board])
    snapshots("healthy", "http://127.0.0.1:9")  # nothing listens on the discard port
    index = snapshots.finish().read_text()
    assert "healthy: not drawn" in index and "cannot reach Prometheus" in index
