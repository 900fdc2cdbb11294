"""Typed overrides come out in Grafana's ``fieldConfig.overrides`` shape."""

from __future__ import annotations

from typing import Any

from pfm_dash import (
    AxisPlacement,
    ByMatcher,
    ByName,
    ByRefId,
    ByRegex,
    ByType,
    Color,
    ColorMode,
    CustomUnit,
    Dashboard,
    FieldType,
    Override,
    Query,
    SetAxisPlacement,
    SetColor,
    SetDecimals,
    SetDisplayName,
    SetMappings,
    SetMax,
    SetMin,
    SetProperty,
    SetThresholds,
    SetUnit,
    SetWidth,
    Step,
    Thresholds,
    TimeSeries,
    Unit,
    ValueMap,
)
from pfm_dash.formats.grafana import compile_dashboard


def overrides(*declared: Override) -> list[dict[str, Any]]:
    panel = TimeSeries(title="t", queries=[Query(expr="up")], overrides=declared)
    model = compile_dashboard(Dashboard(uid="d", title="D", panels=[panel])).model
    return model["panels"][0]["fieldConfig"]["overrides"]  # type: ignore[no-any-return]


def test_matchers_use_grafanas_ids() -> None:
    found = overrides(
        Override(matcher=ByName(name="cpu")),
        Override(matcher=ByRefId(ref_id="B")),
        Override(matcher=ByRegex(pattern="/mem.*/")),
        Override(matcher=ByType(type=FieldType.NUMBER)),
        Override(matcher=ByMatcher(id="byValue", options={"reducer": "max", "op": "gte"})),
    )
    assert [o["matcher"] for o in found] == [
        {"id": "byName", "options": "cpu"},
        {"id": "byFrameRefID", "options": "B"},
        {"id": "byRegexp", "options": "/mem.*/"},
        {"id": "byType", "options": "number"},
        {"id": "byValue", "options": {"reducer": "max", "op": "gte"}},
    ]


def test_properties_in_order_with_grafanas_ids_and_values() -> None:
    thresholds = Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=9)])
    (found,) = overrides(
        Override(
            matcher=ByName(name="x"),
            properties=[
                SetUnit(unit=CustomUnit.suffix("req")),
                SetColor(color=Color.RED),
                SetColor(mode=ColorMode.PALETTE_CLASSIC),
                SetAxisPlacement(placement=AxisPlacement.RIGHT),
                SetWidth(width=120),
                SetDisplayName(name="X"),
                SetMin(value=0),
                SetMax(value=1.5),
                SetDecimals(decimals=2),
                SetThresholds(thresholds=thresholds),
                SetMappings(mappings=[ValueMap(value=1, text="up")]),
                SetProperty(id="custom.hideFrom", value={"legend": True}),
            ],
        )
    )
    assert found["properties"] == [
        {"id": "unit", "value": "suffix:req"},
        {"id": "color", "value": {"fixedColor": "red", "mode": "fixed"}},
        {"id": "color", "value": {"mode": "palette-classic"}},
        {"id": "custom.axisPlacement", "value": "right"},
        {"id": "custom.width", "value": 120},
        {"id": "displayName", "value": "X"},
        {"id": "min", "value": 0},
        {"id": "max", "value": 1.5},
        {"id": "decimals", "value": 2},
        {
            "id": "thresholds",
            "value": {
                "mode": "absolute",
                "steps": [{"color": "green", "value": None}, {"color": "red", "value": 9}],
            },
        },
        {
            "id": "mappings",
            "value": [{"type": "value", "options": {"1": {"index": 0, "text": "up"}}}],
        },
        {"id": "custom.hideFrom", "value": {"legend": True}},
    ]


def test_an_overrides_extra_merges_last() -> None:
    (found,) = overrides(
        Override(
            matcher=ByName(name="x"),
            properties=[SetUnit(unit=Unit.BYTES)],
            extra={"matcher": {"options": "y"}, "__systemRef": "hideSeriesFrom"},
        )
    )
    assert found == {
        "matcher": {"id": "byName", "options": "y"},
        "properties": [{"id": "unit", "value": "bytes"}],
        "__systemRef": "hideSeriesFrom",
    }


def test_container_resources_keeps_the_json_it_had_as_raw_extra() -> None:
    from dashboards.pfm_overview import container_resources

    assert not container_resources.extra
    board = Dashboard(uid="d", title="D", panels=[container_resources])
    panel = compile_dashboard(board).model["panels"][0]
    assert panel["fieldConfig"]["overrides"] == [
        {
            "matcher": {"id": "byFrameRefID", "options": "B"},
            "properties": [
                {"id": "unit", "value": "bytes"},
                {"id": "custom.axisPlacement", "value": "right"},
            ],
        }
    ]
