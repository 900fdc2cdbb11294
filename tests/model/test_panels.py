"""Panel declarations refuse what Grafana would silently ignore or misread."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from pfm_dash import AlertList, Color, Query, Stat, Step, Thresholds, TimeSeries, Unit
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


def test_a_wrong_call_says_what_dataclasses_would_and_copies_round_trip() -> None:
    """__init__ is compiled on first use, the same code dataclasses writes: Python's own
    messages for a wrong call, and copies and pickles give equal declarations."""
    import copy
    import pickle

    with pytest.raises(TypeError, match=r"^Stat\.__init__\(\) missing 1 required keyword-only"):
        Stat()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Step\.__init__\(\) takes 1 positional argument"):
        Step(Color.RED)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Step\.__init__\(\) got an unexpected keyword"):
        Step(color=Color.RED, colour=Color.RED)  # type: ignore[call-arg]
    step = Step(color=Color.RED, value=3)
    assert copy.deepcopy(step) == step and pickle.loads(pickle.dumps(step)) == step
    with pytest.raises(FrozenInstanceError):
        del step.value
