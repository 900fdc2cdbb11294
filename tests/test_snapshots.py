"""The compiler's output, pinned: one snapshot per kind of output, from small fixture projects
compiled in memory (tests/compiler_fixtures.py).

Changing ``schemaVersion``, a default of any panel kind or option, the generic panel, field
overrides, the row layout, variables, rule files, promtool tests or routing fails one of
these. Review the diff, then accept it with
``.venv/bin/pytest tests/test_snapshots.py --snapshot-update``. The committed build/ is
guarded by ``pfm-dash build --check`` instead.
"""

from __future__ import annotations

import json

import compiler_fixtures as fx
import pytest
from syrupy.assertion import SnapshotAssertion

from pfm_dash.compiler import artifacts, dashboard_bytes
from pfm_dash.model import Dashboard, Panel
from pfm_dash.project import Project

KINDS = fx.panels_by_kind()
GENERIC = fx.generic_panels()


def _files(project: Project) -> dict[str, str]:
    """Every file the compiler writes for ``project``, as text, by path under build/."""
    return {path: data.decode() for path, data in artifacts(project)}


def _dashboard(board: Dashboard) -> str:
    files = _files(fx.project([board]))
    return files[f"grafana/dashboards/{board.uid}.json"]


def _panel(kind: str, panel: Panel) -> str:
    """The panel's JSON alone: the dashboard around it has its own snapshot."""
    model = json.loads(_dashboard(fx.panel_dashboard(kind, panel)))
    return dashboard_bytes(model["panels"][0]).decode()


@pytest.mark.parametrize("kind", KINDS)
def test_panel_defaults(kind: str, snapshot: SnapshotAssertion) -> None:
    assert _panel(kind, KINDS[kind][0]) == snapshot


@pytest.mark.parametrize("kind", KINDS)
def test_panel_every_option(kind: str, snapshot: SnapshotAssertion) -> None:
    assert _panel(kind, KINDS[kind][1]) == snapshot


@pytest.mark.parametrize("kind", GENERIC)
def test_generic_panel(kind: str, snapshot: SnapshotAssertion) -> None:
    assert _panel(kind, GENERIC[kind]) == snapshot


def test_overrides_custom_unit_explicit_id_and_extra(snapshot: SnapshotAssertion) -> None:
    assert _dashboard(fx.overrides_dashboard()) == snapshot


def test_dashboard_options_and_variables(snapshot: SnapshotAssertion) -> None:
    assert _dashboard(fx.shell_dashboard()) == snapshot


def test_rows_expanded_and_collapsed(snapshot: SnapshotAssertion) -> None:
    assert _dashboard(fx.rows_dashboard()) == snapshot


def test_rule_group_with_tests(snapshot: SnapshotAssertion) -> None:
    files = _files(fx.project(groups=[fx.rule_group()], teams=[fx.OPS]))
    assert {k: v for k, v in files.items() if k.startswith("prometheus/")} == snapshot


def test_routing(snapshot: SnapshotAssertion) -> None:
    files = _files(fx.project(groups=[fx.rule_group()], teams=[fx.OPS, fx.ONCALL, fx.QUIET]))
    assert files["alertmanager/alertmanager.yml"] == snapshot


def test_provisioning(snapshot: SnapshotAssertion) -> None:
    files = _files(fx.project([fx.shell_dashboard(), fx.rows_dashboard()]))
    assert {k: v for k, v in files.items() if k.startswith("grafana/provisioning/")} == snapshot
