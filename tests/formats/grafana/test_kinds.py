"""Panel kinds come from a table: a generic panel and a subclass are built like the others."""

from __future__ import annotations

from typing import Any

from pfm_dash import (
    Color,
    Dashboard,
    GenericPanel,
    Query,
    Stat,
    Step,
    Thresholds,
    TimeSeries,
    Unit,
    Width,
)
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.kinds import KINDS
from pfm_dash.model.base import declaration


def panels(*declared: Any) -> list[dict[str, Any]]:
    board = Dashboard(uid="d", title="D", panels=list(declared))
    return compile_dashboard(board).model["panels"]  # type: ignore[no-any-return]


def test_generic_panel_writes_its_type_options_and_field_config() -> None:
    heatmap = GenericPanel(
        title="Latency heatmap",
        type="heatmap",
        queries=[Query(expr="sum by (le) (rate(h_bucket[5m]))")],
        unit=Unit.SECONDS,
        options={"calculate": False, "yAxis": {"unit": "s"}},
        field_config={"custom": {"scaleDistribution": {"type": "linear"}}},
        width=Width.FULL,
        extra={"pluginVersion": "11.0.0"},
    )
    text = GenericPanel(title="Read me", type="text", options={"content": "# Hi"}, width=6)
    first, second = panels(heatmap, text)
    assert first["type"] == "heatmap" and first["pluginVersion"] == "11.0.0"
    assert first["options"] == {"calculate": False, "yAxis": {"unit": "s"}}
    assert first["fieldConfig"] == {
        "defaults": {"unit": "s", "custom": {"scaleDistribution": {"type": "linear"}}},
        "overrides": [],
    }
    assert first["targets"][0]["refId"] == "A" and first["gridPos"]["w"] == 24
    # A text panel gets no value settings it did not ask for, and flows like any panel.
    assert second["fieldConfig"] == {"defaults": {}, "overrides": []}
    assert second["targets"] == [] and second["gridPos"] == {"h": 8, "w": 6, "x": 0, "y": 8}


def test_generic_panel_field_config_merges_over_typed_fields() -> None:
    panel = GenericPanel(
        title="p",
        type="piechart",
        thresholds=Thresholds(steps=[Step(color=Color.BLUE)]),
        field_config={"thresholds": {"mode": "percentage"}},
    )
    (data,) = panels(panel)
    assert data["fieldConfig"]["defaults"]["thresholds"] == {
        "mode": "percentage",
        "steps": [{"color": "blue", "value": None}],
    }


@declaration
class HouseStat(Stat):
    """A team's own Stat with other defaults: still a stat."""

    no_value: str = "n/a"


def test_a_subclass_is_built_as_its_kind() -> None:
    (data,) = panels(HouseStat(title="s", queries=[Query(expr="up")]))
    assert data["type"] == "stat" and data["fieldConfig"]["defaults"]["noValue"] == "n/a"


def test_every_typed_kind_has_an_entry() -> None:
    assert {cls.__name__ for cls in KINDS} >= {
        "TimeSeries",
        "Stat",
        "Gauge",
        "BarGauge",
        "Table",
        "StateTimeline",
        "AlertList",
        "GenericPanel",
    }
    assert TimeSeries in KINDS
