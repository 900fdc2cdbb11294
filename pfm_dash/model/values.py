"""How a field's values are shown: threshold steps and value mappings.

Shared by panels (``fieldConfig.defaults``) and field overrides, so it sits below both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail, freeze
from pfm_dash.model.vocab import Color, ThresholdMode

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def check_color(color: Color | str, location: Location) -> None:
    """Refuse a colour Grafana would not draw: a palette name or a hex code."""
    if isinstance(color, Color) or (isinstance(color, str) and _HEX.match(color)):
        return
    raise fail(location, f"unknown colour {color!r}", "use a Color member or a '#rrggbb' hex code")


@declaration
class Step:
    """One threshold step: from ``value`` upwards, use ``color``. The first has no value."""

    color: Color | str
    value: float | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        check_color(self.color, self.location)


@declaration
class Thresholds:
    steps: Sequence[Step]
    mode: ThresholdMode = ThresholdMode.ABSOLUTE
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "steps", self.steps)
        if not self.steps or self.steps[0].value is not None:
            raise fail(
                self.location,
                "thresholds must start with a base step that has no value",
                "begin with Step(color=Color.GREEN) and add Step(color=..., value=N) after it",
            )
        values = [s.value for s in self.steps[1:]]
        if any(v is None for v in values) or values != sorted(values):  # type: ignore[type-var]
            raise fail(
                self.location,
                "threshold steps after the base must have values in ascending order",
                "sort the steps by value",
            )


@declaration
class ValueMap:
    """Show ``text`` (in ``color``) where the value equals ``value``."""

    value: str | int | float
    text: str
    color: Color | str | None = None


@declaration
class RangeMap:
    """Show ``text`` (in ``color``) where the value lies in [low, high]."""

    low: float | None
    high: float | None
    text: str
    color: Color | str | None = None


@declaration
class NullMap:
    """Show ``text`` (in ``color``) where there is no value."""

    text: str
    color: Color | str | None = None


Mapping_ = ValueMap | RangeMap | NullMap
