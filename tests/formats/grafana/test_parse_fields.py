"""Typed parsing: what the DSL models becomes typed; absent keys take Grafana's defaults,
not the DSL's; everything else is kept in the owning object's ``extra``."""

from __future__ import annotations

from typing import Any

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import parse_dashboard
from pfm_dash.model.dashboard import CustomVariable, IntervalVariable, QueryVariable, Row
from pfm_dash.model.overrides import ByRefId, ByType, SetAxisPlacement, SetUnit, SetWidth
from pfm_dash.model.panels import GenericPanel, GridPos, Link, Stat, Table, TimeSeries
from pfm_dash.model.units import CustomUnit, Unit
from pfm_dash.model.values import NullMap, RangeMap, Step, ValueMap
from pfm_dash.model.vocab import (
    AxisPlacement,
    Color,
    ColorMode,
    FieldType,
    GraphTooltip,
    LegendMode,
    TooltipMode,
    VariableRefresh,
    VariableSort,
)


def _board(panels: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"uid": "b", "title": "B", "schemaVersion": 39, "panels": panels, **extra}


def _ts(**extra: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "type": "timeseries",
        "title": "Latency",
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "targets": [{"expr": "histogram_quantile(0.9, x)", "refId": "A"}],
        **extra,
    }


def _one(panel: dict[str, Any], **extra: Any) -> Any:
    return parse_dashboard(_board([panel], **extra), source="b.json").dashboard.panels[0]


def test_absent_keys_take_grafanas_defaults_not_the_dsls() -> None:
    panel = _one(_ts())
    assert isinstance(panel, TimeSeries)
    assert panel.fill_opacity == 0  # Grafana's default; a new TimeSeries() fills at 10
    assert panel.tooltip is TooltipMode.SINGLE  # the DSL's default is MULTI
    assert panel.legend.mode is LegendMode.LIST
    assert panel.color_mode is ColorMode.PALETTE_CLASSIC
    assert panel.thresholds is not None
    assert list(panel.thresholds.steps) == [
        Step(color=Color.GREEN),
        Step(color=Color.RED, value=80),
    ]
    board = parse_dashboard(_board([_ts()]), source="b.json").dashboard
    assert board.graph_tooltip is GraphTooltip.DEFAULT  # the DSL's default shares the crosshair
    assert board.refresh is None and board.timezone == ""


def test_units_including_custom_ones_are_typed() -> None:
    assert _one(_ts(fieldConfig={"defaults": {"unit": "bytes"}})).unit is Unit.BYTES
    assert _one(_ts(fieldConfig={"defaults": {"unit": "suffix:req"}})).unit == CustomUnit.suffix(
        "req"
    )
    assert _one(
        _ts(fieldConfig={"defaults": {"unit": "currency:EUR"}})
    ).unit == CustomUnit.currency("EUR")
    assert _one(_ts(fieldConfig={"defaults": {"unit": "widgets"}})).unit == CustomUnit.other(
        "widgets"
    )


def test_thresholds_mappings_and_overrides_are_typed() -> None:
    defaults = {
        "thresholds": {
            "mode": "absolute",
            "steps": [{"color": "green", "value": None}, {"color": "#FF0000", "value": 5}],
        },
        "mappings": [
            {"type": "value", "options": {"1": {"text": "up", "color": "green", "index": 0}}},
            {
                "type": "range",
                "options": {"from": 2, "to": 9, "result": {"text": "mid", "index": 1}},
            },
            {
                "type": "special",
                "options": {"match": "null", "result": {"text": "none", "index": 2}},
            },
        ],
    }
    overrides = [
        {
            "matcher": {"id": "byFrameRefID", "options": "B"},
            "properties": [
                {"id": "unit", "value": "s"},
                {"id": "custom.axisPlacement", "value": "right"},
            ],
        },
        {
            "matcher": {"id": "byType", "options": "time"},
            "properties": [{"id": "custom.width", "value": 120}],
            "__systemRef": "x",
        },
    ]
    panel = _one(_ts(fieldConfig={"defaults": defaults, "overrides": overrides}))
    assert list(panel.thresholds.steps) == [Step(color=Color.GREEN), Step(color="#FF0000", value=5)]
    assert list(panel.mappings) == [
        ValueMap(value="1", text="up", color=Color.GREEN),
        RangeMap(low=2, high=9, text="mid"),
        NullMap(text="none"),
    ]
    first, second = panel.overrides
    assert first.matcher == ByRefId(ref_id="B")
    assert list(first.properties) == [
        SetUnit(unit=Unit.SECONDS),
        SetAxisPlacement(placement=AxisPlacement.RIGHT),
    ]
    assert second.matcher == ByType(type=FieldType.TIME)
    assert list(second.properties) == [SetWidth(width=120)]
    assert second.extra == {"__systemRef": "x"}


def test_what_the_dsl_does_not_model_is_kept_in_extra() -> None:
    panel = _one(
        _ts(
            interval="1m",
            maxDataPoints=500,
            options={
                "legend": {
                    "showLegend": True,
                    "displayMode": "list",
                    "placement": "bottom",
                    "calcs": [],
                    "sortBy": "Max",
                }
            },
            targets=[{"expr": "up", "refId": "A", "exemplar": True, "intervalFactor": 2}],
        )
    )
    assert panel.extra["interval"] == "1m" and panel.extra["maxDataPoints"] == 500
    # sortBy is not modelled; the generator's tooltip sort is not Grafana's default ("none").
    assert panel.extra["options"] == {"legend": {"sortBy": "Max"}, "tooltip": {"sort": "none"}}
    assert panel.queries[0].extra == {"exemplar": True, "intervalFactor": 2}
    data = compile_dashboard(
        parse_dashboard(_board([_ts(maxDataPoints=500)]), source="b").dashboard
    )
    assert data.model["panels"][0]["maxDataPoints"] == 500


def test_a_colour_the_dsl_lacks_keeps_the_thresholds_raw() -> None:
    steps = [{"color": "semi-dark-red", "value": None}]
    panel = _one(
        _ts(fieldConfig={"defaults": {"thresholds": {"mode": "absolute", "steps": steps}}})
    )
    assert panel.extra["fieldConfig"]["defaults"]["thresholds"]["steps"] == steps


def test_rows_collapsed_and_expanded() -> None:
    panels = [
        {
            "id": 10,
            "type": "row",
            "title": "Open",
            "collapsed": False,
            "panels": [],
            "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1},
        },
        _ts(id=1, gridPos={"x": 0, "y": 1, "w": 12, "h": 8}),
        _ts(id=2, gridPos={"x": 12, "y": 1, "w": 12, "h": 8}),
        {
            "id": 11,
            "type": "row",
            "title": "Shut",
            "collapsed": True,
            "gridPos": {"x": 0, "y": 9, "w": 24, "h": 1},
            "panels": [_ts(id=3, gridPos={"x": 0, "y": 10, "w": 24, "h": 8})],
        },
    ]
    board = parse_dashboard(_board(panels), source="b.json").dashboard
    open_row, shut_row = board.panels
    assert isinstance(open_row, Row) and isinstance(shut_row, Row)
    assert (open_row.id, open_row.collapsed, [p.id for p in open_row.panels]) == (10, False, [1, 2])
    assert (shut_row.id, shut_row.collapsed, [p.id for p in shut_row.panels]) == (11, True, [3])
    out = compile_dashboard(board).model["panels"]
    assert [p["id"] for p in out] == [10, 1, 2, 11]
    assert [p["id"] for p in out[3]["panels"]] == [3]


def test_flow_where_it_fits_pos_where_it_does_not() -> None:
    panels = [
        _ts(id=1, gridPos={"x": 0, "y": 0, "w": 12, "h": 8}),
        _ts(id=2, gridPos={"x": 12, "y": 0, "w": 12, "h": 8}),
        _ts(id=3, gridPos={"x": 6, "y": 8, "w": 12, "h": 8}),  # the flow would put it at x=0
    ]
    first, second, third = parse_dashboard(_board(panels), source="b.json").dashboard.panels
    assert (first.pos, second.pos) == (None, None)
    assert (first.width, first.height) == (12, 8)
    assert third.pos == GridPos(x=6, y=8, w=12, h=8)


def test_other_panel_kinds_are_generic() -> None:
    text = {
        "id": 4,
        "type": "text",
        "title": "Notes",
        "gridPos": {"x": 0, "y": 0, "w": 24, "h": 3},
        "options": {"mode": "markdown", "content": "# Hi"},
    }
    panel = _one(text)
    assert isinstance(panel, GenericPanel) and panel.type == "text"
    assert panel.options == {"mode": "markdown", "content": "# Hi"}


def test_stat_and_table_options() -> None:
    stat = {
        "id": 5,
        "type": "stat",
        "title": "Up",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "options": {
            "colorMode": "background",
            "reduceOptions": {"calcs": ["mean"], "fields": "", "values": False},
        },
        "targets": [{"expr": "up"}],
    }
    panel = _one(stat)
    assert isinstance(panel, Stat) and panel.reduce.value == "mean"
    assert panel.stat_color.value == "background" and panel.no_value == "No data"
    table = _one(
        {
            "id": 6,
            "type": "table",
            "title": "T",
            "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
            "options": {"showHeader": False},
        }
    )
    assert isinstance(table, Table) and table.show_header is False


def test_variables_and_links() -> None:
    variables = [
        {
            "type": "query",
            "name": "pod",
            "query": {"query": "label_values(up, pod)", "refId": "X"},
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "multi": True,
            "includeAll": True,
            "allValue": ".*",
            "current": {"text": "a", "value": "a"},
        },
        {"type": "custom", "name": "size", "query": "s, m,l"},
        {"type": "interval", "name": "step", "query": "1m,5m", "auto": True},
        {"type": "datasource", "name": "datasource", "query": "prometheus", "label": "Source"},
    ]
    links = [
        {"title": "Docs", "url": "https://x", "targetBlank": True, "type": "link", "icon": "doc"}
    ]
    board = parse_dashboard(
        _board([], templating={"list": variables}, links=links), source="b.json"
    ).dashboard
    pod, size, step, source = board.variables
    assert isinstance(pod, QueryVariable)
    assert (pod.query, pod.multi, pod.include_all, pod.all_value, pod.default) == (
        "label_values(up, pod)",
        True,
        True,
        ".*",
        "a",
    )
    assert pod.refresh is VariableRefresh.ON_LOAD and pod.sort is VariableSort.DISABLED
    assert isinstance(size, CustomVariable) and list(size.options) == ["s", "m", "l"]
    assert isinstance(step, IntervalVariable) and step.auto is True
    assert source.label == "Source"
    (link,) = board.links
    assert (link.title, link.url, link.new_tab) == ("Docs", "https://x", True)
    # type "link" is what the generator writes anyway: not repeated in extra. keepTime is
    # absent, so Grafana's default (false) where the generator would write true.
    assert isinstance(link, Link) and link.extra == {"icon": "doc", "keepTime": False}


def test_an_unmodelled_variable_kind_keeps_the_list_raw() -> None:
    variables = [{"type": "textbox", "name": "q", "query": "x"}]
    parsed = parse_dashboard(_board([], templating={"list": variables}), source="b.json")
    assert parsed.dashboard.variables == ()
    assert parsed.dashboard.extra["templating"]["list"] == variables
    assert any("'q' (textbox) has no DSL type" in n for n in parsed.notes)


def test_untitled_panel_keeps_its_empty_title() -> None:
    panel = _one(_ts(title=""))
    assert panel.title == "(untitled)" and panel.extra["title"] == ""
    out = compile_dashboard(parse_dashboard(_board([_ts(title="")]), source="b").dashboard)
    assert out.model["panels"][0]["title"] == ""


def test_extra_holds_nothing_the_generator_writes_anyway() -> None:
    table = {
        "id": 7,
        "type": "table",
        "title": "T",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "targets": [{"expr": "up", "refId": "A", "format": "table", "instant": True}],
        "fieldConfig": {"defaults": {"custom": {"align": "auto", "inspect": False}}},
    }
    panel = _one(table)
    assert panel.queries[0].extra == {}
    assert "fieldConfig" not in panel.extra
    out = compile_dashboard(parse_dashboard(_board([table]), source="b").dashboard).model
    assert out["panels"][0]["targets"][0]["format"] == "table"


def test_defaults_follow_the_panel_kind() -> None:
    timeline = {
        "id": 8,
        "type": "state-timeline",
        "title": "S",
        "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
    }
    assert _one(timeline).color_mode is ColorMode.CONTINUOUS_GREEN_YELLOW_RED
    pie = {"id": 9, "type": "piechart", "title": "P", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}
    panel = _one(pie)
    assert (panel.color_mode, panel.thresholds) == (None, None)  # the plugin's own defaults
    out = compile_dashboard(parse_dashboard(_board([pie]), source="b").dashboard).model
    assert "color" not in out["panels"][0]["fieldConfig"]["defaults"]
