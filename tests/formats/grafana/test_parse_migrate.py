"""Old schemas (< 36) come in upgraded as Grafana's DashboardMigrator upgrades them on load.

Each fixture is a small hand-written dashboard of the old shape; each test checks the typed
model and the JSON it generates, and that ``.upgrades`` says what changed.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import parse_dashboard
from pfm_dash.model.dashboard import DatasourceVariable, QueryVariable, Row
from pfm_dash.model.overrides import ByName, ByRegex, SetColor, SetProperty
from pfm_dash.model.panels import Stat, TimeSeries
from pfm_dash.model.units import Unit
from pfm_dash.model.values import Step, ValueMap
from pfm_dash.model.vocab import (
    Color,
    GraphTooltip,
    LegendMode,
    LegendPlacement,
    Reduce,
    Stacking,
    StatColorMode,
    TooltipMode,
)


def _old(**extra: Any) -> dict[str, Any]:
    board: dict[str, Any] = {
        "uid": "old",
        "title": "Old",
        "schemaVersion": 14,
        "templating": {"list": []},
    }
    board.update(extra)
    return board


def _graph(**extra: Any) -> dict[str, Any]:
    panel: dict[str, Any] = {
        "id": 1,
        "type": "graph",
        "title": "Requests",
        "datasource": "Prometheus",
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "targets": [{"expr": "rate(http_requests_total[5m])", "legendFormat": "{{code}}"}],
        "lines": True,
        "linewidth": 2,
        "fill": 3,
        "stack": True,
        "yaxes": [{"format": "reqps", "min": "0", "show": True}, {"format": "short"}],
        "legend": {
            "show": True,
            "alignAsTable": True,
            "rightSide": True,
            "values": True,
            "avg": True,
            "current": True,
            "max": False,
        },
        "tooltip": {"shared": True, "sort": 2},
        "aliasColors": {"500": "#E02F44"},
        "seriesOverrides": [{"alias": "/4../", "color": "#FF9830", "zindex": 3}],
        "xaxis": {"mode": "time", "show": True},
    }
    panel.update(extra)
    return panel


def test_graph_becomes_timeseries() -> None:
    parsed = parse_dashboard(_old(panels=[_graph()]), source="old.json")
    (panel,) = parsed.dashboard.panels
    assert isinstance(panel, TimeSeries)
    assert panel.unit is Unit.REQUESTS_PER_SECOND
    assert panel.min == 0
    assert (panel.fill_opacity, panel.line_width, panel.stacking) == (30, 2, Stacking.NORMAL)
    assert panel.legend.mode is LegendMode.TABLE
    assert panel.legend.placement is LegendPlacement.RIGHT
    assert list(panel.legend.calcs) == [Reduce.MEAN, Reduce.LAST_NOT_NULL]
    assert panel.tooltip is TooltipMode.MULTI
    assert panel.overrides[0].matcher == ByName(name="500")
    assert panel.overrides[0].properties == (SetColor(color="#E02F44"),)
    assert panel.overrides[1].matcher == ByRegex(pattern="/4../")
    assert "panel 1 'Requests': graph -> timeseries" in parsed.upgrades
    assert parsed.upgrades[0] == "schemaVersion 14 -> 36"
    data = compile_dashboard(parsed.dashboard).model["panels"][0]
    assert data["type"] == "timeseries"
    assert data["options"]["tooltip"] == {"mode": "multi", "sort": "desc"}
    assert data["fieldConfig"]["defaults"]["custom"]["showPoints"] == "never"
    # Angular keys the migration read are gone; the one it ignores (zindex) is dropped too.
    assert not {"lines", "yaxes", "aliasColors", "seriesOverrides"} & data.keys()


def test_graph_bars_points_and_nulls() -> None:
    graph = _graph(
        bars=True,
        lines=False,
        points=True,
        pointradius=3,
        nullPointMode="connected",
        steppedLine=True,
        stack=False,
    )
    (panel,) = parse_dashboard(_old(panels=[graph]), source="x.json").dashboard.panels
    custom = compile_dashboard(parse_dashboard(_old(panels=[graph]), source="x").dashboard).model[
        "panels"
    ][0]["fieldConfig"]["defaults"]["custom"]
    assert custom["drawStyle"] == "bars"
    assert custom["fillOpacity"] == 100
    assert custom["showPoints"] == "always" and custom["pointSize"] == 8
    assert custom["spanNulls"] is True
    assert custom["lineInterpolation"] == "stepAfter"
    assert isinstance(panel, TimeSeries) and panel.stacking is Stacking.NONE


def test_graph_thresholds_become_steps() -> None:
    graph = _graph(
        thresholds=[
            {"value": 90, "op": "gt", "colorMode": "critical", "fill": True, "line": True},
            {"value": 50, "op": "gt", "colorMode": "warning", "fill": True, "line": True},
        ]
    )
    (panel,) = parse_dashboard(_old(panels=[graph]), source="x.json").dashboard.panels
    assert panel.thresholds is not None
    assert list(panel.thresholds.steps) == [
        Step(color=Color.TRANSPARENT),
        Step(color=Color.ORANGE, value=50),
        Step(color=Color.RED, value=90),
    ]


def _singlestat(**extra: Any) -> dict[str, Any]:
    panel: dict[str, Any] = {
        "id": 2,
        "type": "singlestat",
        "title": "Up",
        "datasource": None,
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "targets": [{"expr": "sum(up)", "refId": "A"}],
        "valueName": "current",
        "format": "percent",
        "decimals": 1,
        "colorBackground": True,
        "thresholds": "50,80",
        "colors": ["#d44a3a", "rgba(237, 129, 40, 0.89)", "#299c46"],
        "sparkline": {"show": True},
        "valueMaps": [{"op": "=", "text": "down", "value": "0"}],
        "mappingType": 1,
        "nullText": "n/a",
    }
    panel.update(extra)
    return panel


def test_singlestat_becomes_stat() -> None:
    parsed = parse_dashboard(_old(panels=[_singlestat()]), source="old.json")
    (panel,) = parsed.dashboard.panels
    assert isinstance(panel, Stat)
    assert panel.reduce is Reduce.LAST_NOT_NULL
    assert panel.unit is Unit.PERCENT and panel.decimals == 1
    assert panel.stat_color is StatColorMode.BACKGROUND
    assert panel.no_value == "n/a"
    assert list(panel.mappings) == [ValueMap(value="0", text="down")]
    assert "panel 2 'Up': singlestat -> stat" in parsed.upgrades
    data = compile_dashboard(parsed.dashboard).model["panels"][0]
    assert data["options"]["graphMode"] == "area"
    assert data["options"]["orientation"] == "horizontal"
    # rgba() is not a DSL colour: the steps are kept as Grafana's migration wrote them.
    assert data["fieldConfig"]["defaults"]["thresholds"]["steps"] == [
        {"color": "#d44a3a", "value": None},
        {"color": "rgba(237, 129, 40, 0.89)", "value": 50},
        {"color": "#299c46", "value": 80},
    ]


def test_top_level_rows_become_row_panels() -> None:
    board = _old(
        schemaVersion=12,
        sharedCrosshair=True,
        rows=[
            {
                "title": "Traffic",
                "showTitle": True,
                "height": "250px",
                "panels": [_graph(id=1, span=6, gridPos=None), _graph(id=2, span=6, gridPos=None)],
            },
            {
                "title": "Saturation",
                "collapse": True,
                "height": 300,
                "panels": [_graph(id=3, span=12, gridPos=None)],
            },
        ],
    )
    for row in board["rows"]:
        for panel in row["panels"]:
            panel.pop("gridPos")
    parsed = parse_dashboard(board, source="rows.json")
    first, second = parsed.dashboard.panels
    assert isinstance(first, Row) and isinstance(second, Row)
    assert (first.title, first.collapsed, [p.id for p in first.panels]) == (
        "Traffic",
        False,
        [1, 2],
    )
    assert (second.title, second.collapsed, [p.id for p in second.panels]) == (
        "Saturation",
        True,
        [3],
    )
    assert parsed.dashboard.graph_tooltip is GraphTooltip.SHARED_CROSSHAIR
    assert "2 top-level rows -> row panels on the grid" in parsed.upgrades
    data = compile_dashboard(parsed.dashboard).model
    panels = {p["id"]: p for p in data["panels"]}
    assert panels[1]["gridPos"] == {"x": 0, "y": 1, "w": 12, "h": 7}  # 250px -> 7 units
    assert panels[2]["gridPos"] == {"x": 12, "y": 1, "w": 12, "h": 7}
    collapsed = next(p for p in data["panels"] if p.get("title") == "Saturation")
    assert collapsed["collapsed"] is True
    assert [p["id"] for p in collapsed["panels"]] == [3]
    assert "rows" not in data


def test_old_datasource_names_point_at_the_variable() -> None:
    parsed = parse_dashboard(_old(panels=[_graph(), _singlestat(id=5)]), source="x.json")
    variables = parsed.dashboard.variables
    assert isinstance(variables[0], DatasourceVariable) and variables[0].name == "datasource"
    assert "datasource variable $datasource added for the Prometheus references" in parsed.upgrades
    data = compile_dashboard(parsed.dashboard).model
    for panel in data["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_a_loki_panel_keeps_its_datasource() -> None:
    logs = {
        "id": 9,
        "type": "logs",
        "title": "Logs",
        "datasource": {"type": "loki", "uid": "loki-1"},
        "gridPos": {"x": 0, "y": 0, "w": 24, "h": 8},
        "targets": [
            {"expr": '{app="api"}', "refId": "A", "datasource": {"type": "loki", "uid": "loki-1"}}
        ],
    }
    parsed = parse_dashboard(_old(schemaVersion=39, panels=[logs]), source="x.json")
    (panel,) = parsed.dashboard.panels
    assert panel.queries == ()  # LogQL is not PromQL: the targets stay raw
    data = compile_dashboard(parsed.dashboard).model["panels"][0]
    assert data["type"] == "logs"
    assert data["datasource"] == {"type": "loki", "uid": "loki-1"}
    assert data["targets"][0]["datasource"] == {"type": "loki", "uid": "loki-1"}


def test_variable_steps_and_refresh() -> None:
    board = _old(
        schemaVersion=26,
        refresh=False,
        panels=[],
        templating={
            "list": [
                {
                    "type": "query",
                    "name": "job",
                    "query": "label_values(up, job)",
                    "datasource": "$ds",
                    "refresh": 0,
                    "tags": [],
                    "useTags": False,
                    "tagsQuery": "",
                    "options": [{"text": "a", "value": "a"}],
                },
                {"type": "datasource", "name": "ds", "query": "prometheus"},
            ]
        },
    )
    parsed = parse_dashboard(board, source="x.json")
    job = parsed.dashboard.variables[0]
    assert isinstance(job, QueryVariable)
    assert int(job.refresh) == 1  # v29: refresh never -> on load
    assert "variable 'job': tag options removed" in parsed.upgrades
    assert "refresh -> ''" in parsed.upgrades
    assert parsed.dashboard.refresh is None
    data = compile_dashboard(parsed.dashboard).model
    variable = data["templating"]["list"][0]
    assert variable["options"] == []
    assert not {"tags", "useTags", "tagsQuery"} & variable.keys()
    assert variable["datasource"] == {"type": "prometheus", "uid": "${ds}"}


def test_old_value_mappings_are_upgraded() -> None:
    stat = {
        "id": 3,
        "type": "stat",
        "title": "State",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "targets": [{"expr": "up", "refId": "A"}],
        "fieldConfig": {
            "defaults": {
                "mappings": [
                    {"id": 0, "type": 1, "value": "1", "text": "UP"},
                    {"id": 1, "type": 2, "from": "2", "to": "5", "text": "odd"},
                ]
            },
            "overrides": [],
        },
    }
    parsed = parse_dashboard(_old(schemaVersion=27, panels=[stat]), source="x.json")
    (panel,) = parsed.dashboard.panels
    assert [type(m).__name__ for m in panel.mappings] == ["ValueMap", "RangeMap"]
    assert "panel 3 'State': value mappings upgraded" in parsed.upgrades


def test_a_current_dashboard_is_not_upgraded() -> None:
    board = _old(schemaVersion=39, panels=[])
    assert parse_dashboard(board, source="x.json").upgrades == []
    panel = _graph(type="timeseries", datasource={"type": "prometheus", "uid": "${datasource}"})
    board = _old(schemaVersion=39, panels=[panel])
    board["templating"]["list"] = [
        {"type": "datasource", "name": "datasource", "query": "prometheus"}
    ]
    assert parse_dashboard(board, source="x.json").upgrades == []


def test_unknown_override_properties_stay_typed_as_set_property() -> None:
    graph = _graph(seriesOverrides=[{"alias": "errors", "transform": "negative-Y"}])
    (panel,) = parse_dashboard(_old(panels=[graph]), source="x.json").dashboard.panels
    assert SetProperty(id="custom.transform", value="negative-Y") in panel.overrides[1].properties


def test_graph_lt_thresholds_and_the_right_axis() -> None:
    graph = _graph(
        thresholds=[
            {"value": 10, "op": "lt", "colorMode": "critical", "fill": True},
            {"value": 20, "op": "lt", "colorMode": "warning", "fill": True},
        ],
        seriesOverrides=[{"alias": "errors", "yaxis": 2}],
        yaxes=[{"format": "reqps", "show": True}, {"format": "percent", "show": True}],
        aliasColors={},
    )
    parsed = parse_dashboard(_old(panels=[graph]), source="x.json")
    data = compile_dashboard(parsed.dashboard).model["panels"][0]
    defaults = data["fieldConfig"]["defaults"]
    # lt: a base in the first colour, each step in the next lt's colour, the last transparent.
    assert defaults["thresholds"]["steps"] == [
        {"color": "red", "value": None},
        {"color": "orange", "value": 10},
        {"color": "transparent", "value": 20},
    ]
    assert defaults["custom"]["thresholdsStyle"] == {"mode": "area"}
    (override,) = data["fieldConfig"]["overrides"]
    assert override["matcher"] == {"id": "byName", "options": "errors"}
    assert override["properties"] == [
        {"id": "unit", "value": "percent"},
        {"id": "custom.axisPlacement", "value": "right"},
    ]


def test_graph_bars_win_over_a_fill_below_band() -> None:
    graph = _graph(bars=True, seriesOverrides=[{"alias": "max", "fillBelowTo": "min"}])
    (panel,) = parse_dashboard(_old(panels=[graph]), source="x.json").dashboard.panels
    assert isinstance(panel, TimeSeries) and panel.fill_opacity == 100
    graph = _graph(seriesOverrides=[{"alias": "max", "fillBelowTo": "min"}])
    (panel,) = parse_dashboard(_old(panels=[graph]), source="x.json").dashboard.panels
    assert isinstance(panel, TimeSeries) and panel.fill_opacity == 35


def test_singlestat_maps_one_kind_and_an_unknown_reducer_is_mean() -> None:
    panel = _singlestat(
        valueName="name",
        mappingType=2,
        rangeMaps=[{"from": "0", "to": "10", "text": "low"}],
    )
    (stat,) = parse_dashboard(_old(panels=[panel]), source="x.json").dashboard.panels
    assert isinstance(stat, Stat) and stat.reduce is Reduce.MEAN
    assert [type(m).__name__ for m in stat.mappings] == ["RangeMap"]  # valueMaps ignored


def test_angular_table_becomes_table() -> None:
    table = {
        "id": 4,
        "type": "table",
        "title": "Pods",
        "gridPos": {"x": 0, "y": 0, "w": 24, "h": 8},
        "targets": [{"expr": "kube_pod_info", "format": "table", "instant": True, "refId": "A"}],
        "transform": "table",
        "styles": [
            {"pattern": "Time", "type": "hidden"},
            {
                "pattern": "/^Value$/",
                "alias": "Ready",
                "unit": "percent",
                "decimals": 1,
                "colorMode": "cell",
                "thresholds": ["50", "90"],
                "colors": ["red", "orange", "green"],
            },
            {"pattern": "/.*/", "unit": "short", "align": "auto"},
        ],
    }
    parsed = parse_dashboard(_old(schemaVersion=18, panels=[table]), source="x.json")
    (panel,) = parsed.dashboard.panels
    assert "panel 4 'Pods': Angular table -> table" in parsed.upgrades
    assert panel.unit is Unit.SHORT
    hidden, ready = panel.overrides
    assert hidden.matcher == ByName(name="Time")
    assert ready.matcher == ByRegex(pattern="/^Value$/")
    data = compile_dashboard(parsed.dashboard).model["panels"][0]
    assert data["type"] == "table" and "styles" not in data
    assert data["transformations"] == [{"id": "merge", "options": {}}]
    assert data["fieldConfig"]["defaults"]["custom"]["align"] == ""
    assert data["fieldConfig"]["overrides"][0]["properties"] == [
        {"id": "custom.hidden", "value": True}
    ]
    assert data["fieldConfig"]["overrides"][1]["properties"] == [
        {"id": "displayName", "value": "Ready"},
        {"id": "unit", "value": "percent"},
        {"id": "decimals", "value": 1},
        {"id": "custom.cellOptions", "value": {"type": "color-background"}},
        {
            "id": "thresholds",
            "value": {
                "mode": "absolute",
                "steps": [
                    {"color": "red", "value": None},
                    {"color": "orange", "value": 50},
                    {"color": "green", "value": 90},
                ],
            },
        },
    ]


def test_a_react_table_with_styles_after_schema_24_is_left_alone() -> None:
    table = {
        "id": 4,
        "type": "table",
        "title": "T",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "styles": [{"pattern": "/.*/", "unit": "short"}],
    }
    parsed = parse_dashboard(_old(schemaVersion=30, panels=[table]), source="x.json")
    (panel,) = parsed.dashboard.panels
    assert panel.extra["styles"] == table["styles"] and panel.unit is None


def test_a_schema_36_dashboard_keeps_keys_later_steps_would_drop() -> None:
    board = _old(schemaVersion=38, panels=[], timepicker={"time_options": ["5m", "1h"]})
    parsed = parse_dashboard(board, source="x.json")
    assert parsed.upgrades == []
    out = compile_dashboard(parsed.dashboard).model
    assert out["timepicker"]["time_options"] == ["5m", "1h"]
