"""Typed field overrides: declared once, checked at the user's line."""

from __future__ import annotations

import pytest

from pfm_dash import (
    AlertList,
    ByRefId,
    Color,
    Override,
    SetColor,
    SetUnit,
    TimeSeries,
    Unit,
)
from pfm_dash.errors import DeclarationError


def test_properties_keep_their_order_and_are_frozen() -> None:
    props: list[SetUnit | SetColor] = [SetUnit(unit=Unit.BYTES), SetColor(color=Color.RED)]
    override = Override(matcher=ByRefId(ref_id="B"), properties=props)
    props.clear()
    assert [type(p).__name__ for p in override.properties] == ["SetUnit", "SetColor"]


def test_a_fixed_colour_needs_a_colour() -> None:
    with pytest.raises(DeclarationError, match="fixed colour needs color="):
        SetColor()
    with pytest.raises(DeclarationError, match="unknown colour"):
        SetColor(color="reddish")


def test_a_matcher_must_be_typed() -> None:
    with pytest.raises(DeclarationError, match=r"Override\(matcher=...\) must be"):
        Override(matcher={"id": "byName", "options": "x"})  # type: ignore[arg-type]


def test_alert_list_takes_no_overrides() -> None:
    with pytest.raises(DeclarationError, match="no field overrides"):
        AlertList(title="a", overrides=[Override(matcher=ByRefId(ref_id="A"))])


def test_panel_ids_must_be_positive() -> None:
    with pytest.raises(DeclarationError, match="replaces ids below 1"):
        TimeSeries(title="t", id=0)
