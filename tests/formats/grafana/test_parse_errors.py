"""Bad input is one clear error naming the file and the JSON path, printed without a traceback
and exit 2 (a DeclarationError subclass, as the CLI prints every declaration mistake)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pfm_dash.errors import DeclarationError
from pfm_dash.formats.grafana.parse import DashboardJsonError, load_dashboard_file, parse_dashboard


def _write(tmp_path: Path, data: Any, name: str = "x.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _error(tmp_path: Path, data: Any) -> DashboardJsonError:
    with pytest.raises(DashboardJsonError) as caught:
        load_dashboard_file(_write(tmp_path, data))
    return caught.value


def _panel(**extra: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "type": "stat",
        "title": "A",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        **extra,
    }


def test_not_json(tmp_path: Path) -> None:
    error = _error(tmp_path, '{"panels": [\n  {"id": 1,,}\n]}')
    assert isinstance(error, DeclarationError) and error.exit_code == 2
    text = error.render()
    assert text.startswith(f"{tmp_path / 'x.json'}: line 2 column 12: error: not JSON:")
    assert "hint: export the dashboard" in text


def test_not_a_dashboard(tmp_path: Path) -> None:
    assert (
        _error(tmp_path, [1, 2])
        .render()
        .endswith(
            "x.json: $: error: not a Grafana dashboard: the JSON is list, not an object\n"
            "  hint: give a dashboard's JSON model (Grafana: Dashboard settings -> JSON Model)"
        )
    )
    error = _error(tmp_path, {"groups": [{"name": "rules"}]})
    assert 'not a Grafana dashboard: it has no "panels" list' in error.render()


def test_panel_without_type(tmp_path: Path) -> None:
    data = {"uid": "u", "title": "T", "panels": [_panel(), _panel(id=2), _panel(id=3), {"id": 4}]}
    error = _error(tmp_path, data)
    assert str(error).endswith('x.json: $.panels[3]: panel has no "type"')
    assert error.json_path == "$.panels[3]"


def test_panel_without_type_inside_a_collapsed_row(tmp_path: Path) -> None:
    row = {
        "id": 9,
        "type": "row",
        "title": "R",
        "collapsed": True,
        "panels": [{"id": 2, "title": "x"}],
    }
    error = _error(tmp_path, {"uid": "u", "title": "T", "panels": [_panel(), row]})
    assert error.json_path == "$.panels[1].panels[0]"


def test_panel_without_type_in_old_rows(tmp_path: Path) -> None:
    error = _error(tmp_path, {"uid": "u", "title": "T", "rows": [{"panels": [{"id": 1}]}]})
    assert error.json_path == "$.rows[0].panels[0]"


def test_duplicate_panel_ids(tmp_path: Path) -> None:
    row = {"id": 7, "type": "row", "title": "R", "collapsed": True, "panels": [_panel(id=3)]}
    error = _error(tmp_path, {"uid": "u", "title": "T", "panels": [_panel(id=3), row]})
    assert error.json_path == "$.panels[1].panels[0]"
    assert "panel id 3 is used twice (also at $.panels[0])" in error.message


def test_invalid_uid(tmp_path: Path) -> None:
    error = _error(tmp_path, {"uid": "has spaces", "title": "T", "panels": []})
    assert error.json_path == "$.uid"
    assert "invalid dashboard uid 'has spaces'" in error.message


def test_panel_that_is_not_an_object() -> None:
    with pytest.raises(DashboardJsonError) as caught:
        parse_dashboard({"uid": "u", "title": "T", "panels": [_panel(), "oops"]}, source="y.json")
    assert str(caught.value) == "y.json: $.panels[1]: panel is not a JSON object"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DashboardJsonError) as caught:
        load_dashboard_file(tmp_path / "missing.json")
    assert "cannot read the file" in caught.value.message


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"panels": [], "templating": "x"}, "$.templating", '"templating" is not a JSON object'),
        ({"panels": [], "templating": {"list": [3]}}, "$.templating.list[0]", "not a JSON object"),
        (
            {"panels": [{"type": "row", "id": 1, "panels": True}]},
            "$.panels[0].panels",
            "not a list",
        ),
        (
            {"panels": [{"type": "stat", "id": [1]}]},
            "$.panels[0].id",
            "panel id [1] is not a number",
        ),
        ({"rows": ["r"]}, "$.rows[0]", "row is not a JSON object"),
        ({"panels": {}}, "$.panels", '"panels" is not a list'),
    ],
)
def test_shapes_grafana_cannot_read(data: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(DashboardJsonError) as caught:
        parse_dashboard({"uid": "u", "title": "T", **data}, source="z.json")
    assert caught.value.json_path == path
    assert message in caught.value.message
