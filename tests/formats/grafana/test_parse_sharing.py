"""Dashboards exported for sharing: inputs resolved to the datasource variable, library
panels reported (never silently dropped), the sharing keys gone."""

from __future__ import annotations

from typing import Any

from dashboard_roundtrip import compare_dashboards

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import parse_dashboard
from pfm_dash.model.dashboard import DatasourceVariable, QueryVariable

_REF = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}


def _exported() -> dict[str, Any]:
    return {
        "__inputs": [
            {
                "name": "DS_PROMETHEUS",
                "label": "Prometheus",
                "type": "datasource",
                "pluginId": "prometheus",
                "pluginName": "Prometheus",
            },
            {"name": "VAR_ENV", "type": "constant", "label": "env", "value": "prod"},
        ],
        "__requires": [
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}
        ],
        "__elements": {"lib-1": {"name": "Shared errors", "uid": "lib-1", "kind": 1, "model": {}}},
        "id": None,
        "uid": "shared",
        "title": "Shared",
        "schemaVersion": 39,
        "panels": [
            {
                "id": 1,
                "type": "timeseries",
                "title": "CPU",
                "datasource": dict(_REF),
                "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
                "targets": [{"expr": "rate(cpu[5m])", "refId": "A", "datasource": dict(_REF)}],
            },
            {
                "id": 2,
                "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8},
                "libraryPanel": {"uid": "lib-1", "name": "Shared errors"},
            },
        ],
        "templating": {
            "list": [
                {
                    "type": "query",
                    "name": "job",
                    "datasource": dict(_REF),
                    "query": "label_values(up, job)",
                    "refresh": 1,
                },
            ]
        },
    }


def test_exported_inputs_point_at_the_datasource_variable() -> None:
    parsed = parse_dashboard(_exported(), source="shared.json")
    variables = parsed.dashboard.variables
    assert isinstance(variables[0], DatasourceVariable) and variables[0].name == "datasource"
    assert isinstance(variables[1], QueryVariable)
    assert "exported datasource input ${DS_PROMETHEUS} -> ${datasource} (3 uses)" in parsed.upgrades
    data = compile_dashboard(parsed.dashboard).model
    assert not {"__inputs", "__requires", "__elements"} & data.keys()
    (panel,) = data["panels"]
    assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    assert panel["targets"][0]["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    assert data["templating"]["list"][1]["datasource"]["uid"] == "${datasource}"
    assert "DS_PROMETHEUS" not in str(data)


def test_an_exported_dashboard_round_trips_under_the_normalisations() -> None:
    """Sharing keys gone, ${DS_...} pointed at the variable, the variable added: equal."""
    original = _exported()
    original["panels"].pop()  # the library panel is reported, not imported (next test)
    output = compile_dashboard(parse_dashboard(original, source="shared.json").dashboard).model
    assert compare_dashboards(original, output) == []
    output["templating"]["list"].append({"type": "textbox", "name": "sneaked"})
    assert compare_dashboards(original, output) == ["$.templating.list[sneaked]: added"]


def test_library_panels_and_other_inputs_are_reported() -> None:
    notes = parse_dashboard(_exported(), source="shared.json").notes
    assert "library panels in __elements are not imported: Shared errors" in notes
    assert any("$.panels[1]: library panel 'Shared errors' is not imported" in n for n in notes)
    assert any("VAR_ENV" in n for n in notes)


def test_an_existing_datasource_variable_is_used() -> None:
    data = _exported()
    data["templating"]["list"].insert(
        0, {"type": "datasource", "name": "ds", "query": "prometheus"}
    )
    parsed = parse_dashboard(data, source="shared.json")
    assert [v.name for v in parsed.dashboard.variables] == ["ds", "job"]
    out = compile_dashboard(parsed.dashboard).model
    assert out["panels"][0]["datasource"] == {"type": "prometheus", "uid": "${ds}"}


def test_api_wrapper_gives_the_folder() -> None:
    wrapped = {"dashboard": _exported(), "meta": {"folderUid": "team-a", "folderTitle": "Team A"}}
    board = parse_dashboard(wrapped, source="api").dashboard
    assert board.folder is not None and (board.folder.uid, board.folder.title) == (
        "team-a",
        "Team A",
    )
