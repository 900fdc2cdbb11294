"""Units: every id Grafana lists is a member; custom units are typed and round-trip."""

from __future__ import annotations

import pytest

from pfm_dash import CustomUnit, TimeSeries, Unit
from pfm_dash.errors import DeclarationError
from pfm_dash.model.units import unit_from_id, unit_id


def test_ids_grafana_lists_are_members() -> None:
    # A sample across categories.ts, including the non-ASCII and case-sensitive ids.
    for value in ("Bps", "binBps", "µs", "conμgm3", "currencyμBTC", "Mohm", "mohm", "bool"):
        assert Unit(value).value == value
    assert len({u.value for u in Unit}) >= 270


def test_old_member_names_still_work() -> None:
    assert Unit["DATETIME"] is Unit.DATETIME_ISO
    assert Unit["BOOL_UP_DOWN"] is Unit.BOOL_ON_OFF
    assert Unit("bool_on_off").name == "BOOL_ON_OFF"  # the name an import writes


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (CustomUnit.suffix("req"), "suffix:req"),
        (CustomUnit.prefix("~"), "prefix:~"),
        (CustomUnit.si("kW"), "si:kW"),
        (CustomUnit.count("jobs"), "count:jobs"),
        (CustomUnit.currency("EUR"), "currency:EUR"),
        (CustomUnit.time("YYYY-MM-DD"), "time:YYYY-MM-DD"),
        (CustomUnit.bool("Up", "Down"), "bool:Up/Down"),
        (CustomUnit.other("farenheit"), "farenheit"),
    ],
)
def test_custom_units_write_grafanas_id_and_read_back(unit: CustomUnit, expected: str) -> None:
    assert unit_id(unit) == expected
    assert unit_from_id(expected) == unit


def test_listed_ids_parse_to_members() -> None:
    assert unit_from_id("percentunit") is Unit.PERCENT_UNIT


def test_other_refuses_a_listed_id() -> None:
    with pytest.raises(DeclarationError, match="'bytes' is not a custom unit id"):
        CustomUnit.other("bytes")


def test_a_bare_string_unit_is_refused() -> None:
    with pytest.raises(DeclarationError, match=r"TimeSeries\(unit=...\) must be"):
        TimeSeries(title="t", unit="suffix:req")  # type: ignore[arg-type]
