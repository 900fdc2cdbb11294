from __future__ import annotations

from pfm_dash import Color, NullMap, Stat, Step, Thresholds, Unit, ValueMap
from pfm_dash.model.vocab import ThresholdMode
from pfm_dash.preview import theme
from pfm_dash.preview.values import format_value, show, threshold_color


def test_units_read_as_in_grafana() -> None:
    assert format_value(0.0123, Unit.PERCENT_UNIT) == "1.23%"
    assert format_value(0.25, Unit.SECONDS) == "250 ms"
    assert format_value(90, Unit.SECONDS) == "1.5 min"
    assert format_value(3 * 1024 * 1024, Unit.BYTES) == "3 MiB"
    assert format_value(12.345, Unit.REQUESTS_PER_SECOND, decimals=1) == "12.3 req/s"
    assert format_value(None, Unit.SHORT) == "No data"


def test_threshold_colour_is_grafanas_dark_palette() -> None:
    panel = Stat(
        title="x",
        thresholds=Thresholds(
            steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=10)],
        ),
    )
    assert threshold_color(panel, 3) == "#73BF69"
    assert threshold_color(panel, 10) == "#F2495C"
    assert theme.color("#123456") == "#123456"


def test_percentage_thresholds_use_min_and_max() -> None:
    panel = Stat(
        title="x",
        min=0,
        max=200,
        thresholds=Thresholds(
            steps=[Step(color=Color.GREEN), Step(color=Color.ORANGE, value=50)],
            mode=ThresholdMode.PERCENTAGE,
        ),
    )
    assert threshold_color(panel, 90) == theme.color("green")
    assert threshold_color(panel, 110) == theme.color("orange")


def test_a_mapping_wins_over_unit_and_threshold() -> None:
    panel = Stat(
        title="x",
        mappings=[ValueMap(value=0, text="DOWN", color=Color.RED), NullMap(text="gone")],
    )
    assert show(panel, 0.0).text == "DOWN" and show(panel, 0.0).color == "#F2495C"
    assert show(panel, None).text == "gone"
    assert show(panel, 2.0).text == "2"


def test_custom_and_other_units() -> None:
    from pfm_dash.model.units import CustomUnit
    from pfm_dash.preview.values import unit_name

    assert format_value(12, CustomUnit.suffix("req")) == "12 req"
    assert format_value(12, CustomUnit.prefix("~")) == "~12"
    assert format_value(0, CustomUnit.bool("yes", "no")) == "no"
    assert format_value(3, Unit.DECIBEL) == "3 dB"
    assert unit_name(CustomUnit.suffix("req")) == "suffix:req"
    assert unit_name(Unit.SECONDS) == "seconds (s)" and unit_name(None) == "default"
