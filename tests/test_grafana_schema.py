"""Every dashboard the build writes type-checks against Grafana's published schema: the PFM
build/ and the snapshot fixtures (tests/compiler_fixtures.py), which cover every panel kind.

One tsc run (about 2 s) checks the committed build/ dashboards together with mutated copies
that prove the check itself: an unknown key, a wrong enum string, an override value of the
wrong type and a panel inside a collapsed row are each reported at their JSON path, and an
allowed key (an import keeping its original's keys) is forgiven without hiding the rest.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import compiler_fixtures
import grafana_schema
import pytest

from pfm_dash.formats.grafana import compile_dashboard

ROOT = Path(__file__).resolve().parent.parent
BUILT = sorted((ROOT / "build/grafana/dashboards").glob("*.json"))
FIXTURES = compiler_fixtures.dashboards()
# The one key of the fixtures the schema lacks, kept through Override(extra=...) as an import
# keeps its original's keys: Grafana's legend writes it when a series is hidden by a click.
FIXTURES_ALLOWED = {"overrides": {"panels[0].fieldConfig.overrides[4].__systemRef"}}
Errors = dict[str, list[grafana_schema.SchemaError]]


def _unexpected(errors: list[grafana_schema.SchemaError]) -> list[str]:
    """Every schema error, as text (the generator has no known gap: any error fails)."""
    return [str(error) for error in errors]


def _overview() -> dict[str, Any]:
    path = ROOT / "build/grafana/dashboards/pfm-overview.json"
    board: dict[str, Any] = json.loads(path.read_text())
    return board


def _panel(board: dict[str, Any], kind: str) -> dict[str, Any]:
    panel: dict[str, Any] = next(p for p in board["panels"] if p["type"] == kind)
    return panel


def _probes() -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Broken copies of the overview, one mistake each, and the allow-lists they are checked
    with."""
    base = _overview()
    for variable in base["templating"]["list"]:  # valid apart from the one mistake of each
        variable["current"] = {"text": "All", "value": "$__all"}
    probes: dict[str, dict[str, Any]] = {}

    unknown = copy.deepcopy(base)
    _panel(unknown, "timeseries")["options"]["legend"]["bogus"] = True
    probes["unknown"] = unknown

    enum = copy.deepcopy(base)
    _panel(enum, "stat")["fieldConfig"]["defaults"]["thresholds"]["mode"] = "Absolute"
    probes["enum"] = enum

    override = copy.deepcopy(base)
    _panel(override, "timeseries")["fieldConfig"]["overrides"] = [
        {
            "matcher": {"id": "byName", "options": "cpu"},
            "properties": [{"id": "custom.lineWidth", "value": "thick"}],
        }
    ]
    probes["override"] = override

    collapsed = copy.deepcopy(base)
    inner = copy.deepcopy(_panel(collapsed, "gauge"))
    inner["options"]["needle"] = True
    row = {"collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 99}, "id": 99}
    collapsed["panels"].append({**row, "panels": [inner], "title": "More", "type": "row"})
    probes["collapsed"] = collapsed

    allowed = copy.deepcopy(base)
    index = allowed["panels"].index(_panel(allowed, "stat"))
    allowed["panels"][index]["options"]["legacyOne"] = 1  # allowed
    allowed["panels"][index]["options"]["legacyTwo"] = {"nested": 2}  # allowed, an object
    allowed["panels"][index]["options"]["added"] = 3  # not allowed: still reported
    allow = {f"panels[{index}].options.legacyOne", f"panels[{index}].options.legacyTwo"}
    return probes | {"allowed": allowed}, {"allowed": allow}


@pytest.fixture(scope="module")
def checked() -> Errors:
    reason = grafana_schema.node_missing()
    if reason:
        pytest.skip(reason)
    grafana_schema.install()
    boards = {path.name: json.loads(path.read_text()) for path in BUILT}
    fixtures = {uid: compile_dashboard(board).model for uid, board in FIXTURES.items()}
    probes, allowed = _probes()
    return grafana_schema.check(boards | fixtures | probes, allowed | FIXTURES_ALLOWED)


def _only(errors: Errors, name: str) -> tuple[str, str, str]:
    assert len(errors[name]) == 1, errors[name]
    error = errors[name][0]
    return error.path, error.code, error.message


@pytest.mark.parametrize("path", BUILT, ids=lambda p: p.name)
def test_built_dashboard_matches_the_published_schema(path: Path, checked: Errors) -> None:
    assert _unexpected(checked[path.name]) == []


@pytest.mark.parametrize("uid", FIXTURES)
def test_every_panel_kind_and_option_matches_the_published_schema(
    uid: str, checked: Errors
) -> None:
    """The fixture projects of the snapshots: each panel kind with every option set, rows both
    ways, every dashboard option and variable kind, overrides, the generic panel kinds."""
    assert _unexpected(checked[uid]) == []


def test_the_schema_is_the_one_of_the_grafana_the_build_targets(checked: Errors) -> None:
    """@grafana/schema 11.5.3 is the last release whose dashboards are schemaVersion 39; a
    generator that moves schemaVersion must move the pin in tests/schema/package.json too."""
    pinned = grafana_schema.schema_version()
    for path in BUILT:
        assert json.loads(path.read_text())["schemaVersion"] == pinned, path.name


def test_an_unknown_key_is_reported_at_its_path(checked: Errors) -> None:
    path, code, message = _only(checked, "unknown")
    assert path.endswith(".options.legend.bogus") and code == "TS2353", message


def test_an_enum_is_checked_by_value(checked: Errors) -> None:
    path, _, message = _only(checked, "enum")
    assert path.endswith(".fieldConfig.defaults.thresholds.mode")
    assert '"absolute"' in message


def test_an_override_value_is_typed_by_its_id(checked: Errors) -> None:
    path, _, message = _only(checked, "override")
    assert path.endswith(".fieldConfig.overrides[0].properties[0]")
    assert "number" in message


def test_a_collapsed_rows_panel_is_checked_against_its_kind(checked: Errors) -> None:
    path, code, _ = _only(checked, "collapsed")
    assert path.endswith("].panels[0].options.needle") and code == "TS2353"


def test_allowed_keys_are_forgiven_and_hide_nothing(checked: Errors) -> None:
    path, code, _ = _only(checked, "allowed")
    assert path.endswith(".options.added") and code == "TS2353"
