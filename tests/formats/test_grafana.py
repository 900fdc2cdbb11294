"""The Grafana target: what grafanalib gets wrong for a current Grafana, fixed, one test each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grafanalib.core as G
import pytest
from grafanalib._gen import DashboardEncoder

from pfm_dash import (
    AlertList,
    AlertState,
    BarGauge,
    Color,
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    Gauge,
    IntervalVariable,
    NullMap,
    Query,
    QueryVariable,
    RangeMap,
    Stat,
    StateTimeline,
    Step,
    Table,
    Thresholds,
    TimeSeries,
    Unit,
    ValueMap,
)
from pfm_dash.compiler import dashboard_bytes
from pfm_dash.formats.grafana import compile_dashboard

Q = [Query(expr="sum(rate(x_total[$__rate_interval]))"), Query(expr="up", instant=True)]
EVERY_KIND = [
    TimeSeries(title="ts", queries=Q, unit=Unit.SECONDS),
    Stat(title="stat", queries=Q, unit=Unit.NONE),
    Gauge(title="gauge", queries=Q, unit=Unit.PERCENT_UNIT),
    BarGauge(title="bars", queries=Q, unit=Unit.BYTES),
    Table(title="table", queries=Q, unit=Unit.SHORT),
    StateTimeline(title="states", queries=Q, unit=Unit.NONE),
    AlertList(title="alerts", states=[AlertState.FIRING]),
]


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    dashboard = Dashboard(
        uid="kinds",
        title="Every kind",
        variables=[DatasourceVariable(), QueryVariable(name="env", query="label_values(up, env)")],
        panels=EVERY_KIND,
    )
    return compile_dashboard(dashboard).model


def panels(model: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in model["panels"]:
        yield panel
        yield from panel.get("panels", [])


def grafanalib_json(obj: Any) -> dict[str, Any]:
    return json.loads(json.dumps(obj, cls=DashboardEncoder))  # type: ignore[no-any-return]


def test_schema_version_is_current(model: dict[str, Any]) -> None:
    assert grafanalib_json(G.Dashboard(title="x"))["schemaVersion"] == 12  # what we fix
    assert model["schemaVersion"] >= 39


def test_datasource_is_a_typed_reference_on_every_panel_and_target(model: dict[str, Any]) -> None:
    assert grafanalib_json(G.TimeSeries(title="x"))["datasource"] is None  # what we fix
    ref = {"type": "prometheus", "uid": "${datasource}"}
    for panel in panels(model):
        assert panel["datasource"] == ref, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == ref


def test_no_deprecated_panel_types(model: dict[str, Any]) -> None:
    kinds = {p["type"] for p in panels(model)}
    assert kinds == {
        "timeseries",
        "stat",
        "gauge",
        "bargauge",
        "table",
        "state-timeline",
        "alertlist",
    }
    assert not kinds & {"graph", "singlestat", "table-old"}


def test_no_legacy_dashboard_keys(model: dict[str, Any]) -> None:
    raw = grafanalib_json(G.Dashboard(title="x"))
    assert {"rows", "style", "hideControls"} <= raw.keys()  # what we fix
    assert not {"rows", "style", "hideControls", "sharedCrosshair", "id", "version"} & model.keys()


def test_no_legacy_panel_keys_and_max_data_points_unset(model: dict[str, Any]) -> None:
    assert grafanalib_json(G.TimeSeries(title="x"))["maxDataPoints"] == 100  # what we fix
    for panel in panels(model):
        assert not {"span", "height", "maxDataPoints", "minSpan", "error"} & panel.keys()


def test_targets_have_no_legacy_step_or_interval_factor(model: dict[str, Any]) -> None:
    assert grafanalib_json(G.Target(expr="up"))["intervalFactor"] == 2  # what we fix
    for panel in panels(model):
        for target in panel["targets"]:
            assert not {"step", "intervalFactor", "metric", "query", "target"} & target.keys()
            assert target["range"] is not target["instant"]


def test_ref_ids_are_assigned(model: dict[str, Any]) -> None:
    for panel in panels(model):
        if panel["type"] != "alertlist":
            assert [t["refId"] for t in panel["targets"]] == ["A", "B"]


def test_explicit_ref_ids_are_kept_and_skipped() -> None:
    panel = TimeSeries(title="t", queries=[Query(expr="a"), Query(expr="b", ref_id="A")])
    model = compile_dashboard(Dashboard(uid="d", title="D", panels=[panel])).model
    assert [t["refId"] for t in model["panels"][0]["targets"]] == ["B", "A"]


def test_stat_shows_no_data_not_none(model: dict[str, Any]) -> None:
    raw = grafanalib_json(G.Stat(title="x"))
    assert raw["fieldConfig"]["defaults"]["noValue"] == "none"  # what we fix
    stat = next(p for p in panels(model) if p["type"] == "stat")
    assert stat["fieldConfig"]["defaults"]["noValue"] == "No data"


def test_alert_list_uses_the_unified_alerting_options(model: dict[str, Any]) -> None:
    raw = grafanalib_json(G.AlertList(title="x"))
    assert {"show", "limit", "onlyAlertsOnDashboard"} <= raw.keys()  # pre-7.5: what we fix
    alerts = next(p for p in panels(model) if p["type"] == "alertlist")
    assert not {"show", "limit", "onlyAlertsOnDashboard", "stateFilter", "span"} & alerts.keys()
    options = alerts["options"]
    assert options["stateFilter"] == {
        "error": False,
        "firing": True,
        "noData": False,
        "normal": False,
        "pending": False,
    }
    assert options["viewMode"] == "list" and options["maxItems"] == 20
    assert alerts["targets"] == []


def test_bar_gauge_uses_reduce_options_not_field_options(model: dict[str, Any]) -> None:
    assert "fieldOptions" in grafanalib_json(G.BarGauge(title="x"))["options"]  # what we fix
    bars = next(p for p in panels(model) if p["type"] == "bargauge")
    assert "fieldOptions" not in bars["options"]
    assert bars["options"]["reduceOptions"]["calcs"] == ["lastNotNull"]


def test_units_thresholds_and_mappings() -> None:
    panel = Stat(
        title="s",
        queries=[Query(expr="up")],
        unit=Unit.PERCENT_UNIT,
        decimals=1,
        min=0,
        max=1,
        thresholds=Thresholds(steps=[Step(color=Color.GREEN), Step(color="#ff0000", value=0.9)]),
        mappings=[
            ValueMap(value=0, text="down", color=Color.RED),
            RangeMap(low=0.5, high=1, text="ok"),
            NullMap(text="n/a"),
        ],
    )
    defaults = compile_dashboard(Dashboard(uid="d", title="D", panels=[panel])).model["panels"][0][
        "fieldConfig"
    ]["defaults"]
    assert defaults["unit"] == "percentunit"
    assert (defaults["decimals"], defaults["min"], defaults["max"]) == (1, 0, 1)
    assert defaults["thresholds"] == {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}, {"color": "#ff0000", "value": 0.9}],
    }
    assert defaults["mappings"] == [
        {"type": "value", "options": {"0": {"color": "red", "index": 0, "text": "down"}}},
        {"type": "range", "options": {"from": 0.5, "to": 1, "result": {"index": 1, "text": "ok"}}},
        {"type": "special", "options": {"match": "null", "result": {"index": 2, "text": "n/a"}}},
    ]


def test_variables() -> None:
    variables = [
        DatasourceVariable(),
        QueryVariable(
            name="env",
            query="label_values(up, environment)",
            multi=True,
            include_all=True,
            all_value=".*",
        ),
        CustomVariable(name="quantile", options=["0.5", "0.95"]),
        IntervalVariable(name="window", intervals=["1m", "5m"]),
    ]
    model = compile_dashboard(Dashboard(uid="d", title="D", panels=[], variables=variables)).model
    ds, env, custom, interval = model["templating"]["list"]
    assert (ds["type"], ds["query"], ds["name"]) == ("datasource", "prometheus", "datasource")
    assert env["type"] == "query" and env["datasource"] == {
        "type": "prometheus",
        "uid": "${datasource}",
    }
    assert env["definition"] == "label_values(up, environment)" and env["allValue"] == ".*"
    assert env["refresh"] == 2 and env["multi"] and env["includeAll"]
    assert "useTags" not in env and "tagsQuery" not in env
    assert custom["query"] == "0.5,0.95" and custom["current"]["value"] == "0.5"
    assert interval["query"] == "1m,5m" and interval["type"] == "interval"


def test_extra_is_merged_last() -> None:
    panel = TimeSeries(
        title="t",
        queries=[Query(expr="up")],
        extra={"options": {"tooltip": {"mode": "single"}}, "pluginVersion": "11"},
    )
    data = compile_dashboard(Dashboard(uid="d", title="D", panels=[panel])).model["panels"][0]
    assert data["options"]["tooltip"] == {"mode": "single", "sort": "desc"}
    assert data["pluginVersion"] == "11"


def test_bytes_are_json_dumps_sorted_two_space_with_newline(model: dict[str, Any]) -> None:
    expected = json.dumps(model, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert dashboard_bytes(model) == expected.encode()
