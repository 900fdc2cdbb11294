"""Panel declarations refuse what Grafana would silently ignore or misread."""

from __future__ import annotations

import pytest

from pfm_dash import AlertList, Color, Query, Step, Thresholds, TimeSeries, Unit
from pfm_dash.errors import DeclarationError


def test_alert_list_refuses_value_options() -> None:
    with pytest.raises(DeclarationError, match="unit= has no effect"):
        AlertList(title="alerts", unit=Unit.NONE)
    with pytest.raises(DeclarationError, match="takes no queries"):
        AlertList(title="alerts", queries=[Query(expr="up")])


def test_thresholds_start_with_a_base_and_ascend() -> None:
    with pytest.raises(DeclarationError, match="base step"):
        Thresholds(steps=[Step(color=Color.RED, value=1)])
    with pytest.raises(DeclarationError, match="ascending"):
        Thresholds(
            steps=[
                Step(color=Color.GREEN),
                Step(color=Color.RED, value=2),
                Step(color=Color.YELLOW, value=1),
            ]
        )


def test_colours_are_named_or_hex() -> None:
    assert Step(color="#ff8800").color == "#ff8800"
    with pytest.raises(DeclarationError, match="unknown colour 'reddish'"):
        Step(color="reddish")


def test_wrong_types_name_the_field() -> None:
    with pytest.raises(DeclarationError, match=r"TimeSeries\(width=...\) must be an int, not '9'"):
        TimeSeries(title="t", width="9")  # type: ignore[arg-type]
    with pytest.raises(
        DeclarationError, match=r"TimeSeries\(queries=...\) must be a list of a Query"
    ):
        TimeSeries(title="t", queries=["up"])  # type: ignore[list-item]


def test_declarations_compare_hash_and_show_like_dataclasses() -> None:
    from dataclasses import FrozenInstanceError, replace

    red = Step(color=Color.RED)
    also_red = Step(color=Color.RED)
    assert red == also_red and hash(red) == hash(also_red) and red != Step(color=Color.GREEN)
    assert red.location != also_red.location  # where it was written does not count
    assert (red == 1) is False
    assert repr(red) == "Step(color=<Color.RED: 'red'>, value=None)"
    assert replace(red, value=None) == red
    with pytest.raises(FrozenInstanceError):
        red.value = 3  # type: ignore[misc]
