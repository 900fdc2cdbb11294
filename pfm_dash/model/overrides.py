"""Field overrides: change how some of a panel's fields are shown.

An :class:`Override` pairs one matcher (which fields) with properties (what changes), as
Grafana's ``fieldConfig.overrides`` does::

    Override(
        matcher=ByRefId(ref_id="B"),
        properties=[
            SetUnit(unit=Unit.BYTES),
            SetAxisPlacement(placement=AxisPlacement.RIGHT),
        ],
    )

Properties keep their order (Grafana applies them in order). What the DSL does not type goes
in :class:`SetProperty` (any property id and raw JSON value) or the override's ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail, freeze
from pfm_dash.model.units import CustomUnit, Unit
from pfm_dash.model.values import Mapping_, Thresholds, check_color
from pfm_dash.model.vocab import AxisPlacement, Color, ColorMode, FieldType
from pfm_dash.records import field

# --- matchers: which fields ----------------------------------------------------------------


@declaration
class ByName:
    """Fields whose display name is ``name`` (Grafana's ``byName``)."""

    name: str


@declaration
class ByRefId:
    """Fields from the query with this ref id (Grafana's ``byFrameRefID``)."""

    ref_id: str


@declaration
class ByRegex:
    """Fields whose display name matches ``pattern`` (Grafana's ``byRegexp``)."""

    pattern: str


@declaration
class ByType:
    """Fields of one type, e.g. every number field (Grafana's ``byType``)."""

    type: FieldType


@declaration
class ByMatcher:
    """Any other Grafana matcher (``byValue``, ``byNames``, plugins' own), as raw JSON."""

    id: str
    options: Any = None


Matcher = ByName | ByRefId | ByRegex | ByType | ByMatcher

# --- properties: what changes --------------------------------------------------------------


@declaration
class SetUnit:
    unit: Unit | CustomUnit


@declaration
class SetColor:
    """A fixed colour (mode ``fixed``), or another colour mode such as a palette."""

    color: Color | str | None = None
    mode: ColorMode = ColorMode.FIXED
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if self.color is not None:
            check_color(self.color, self.location)
        elif self.mode is ColorMode.FIXED:
            raise fail(self.location, "a fixed colour needs color=", "give color=Color.RED")


@declaration
class SetAxisPlacement:
    """Which side of a time series this field's axis goes (``custom.axisPlacement``)."""

    placement: AxisPlacement


@declaration
class SetWidth:
    """A table column's width in pixels (``custom.width``)."""

    width: int


@declaration
class SetDisplayName:
    name: str


@declaration
class SetMin:
    value: float


@declaration
class SetMax:
    value: float


@declaration
class SetDecimals:
    decimals: int


@declaration
class SetThresholds:
    thresholds: Thresholds


@declaration
class SetMappings:
    mappings: Sequence[Mapping_]

    def __post_init__(self) -> None:
        freeze(self, "mappings", self.mappings)


@declaration
class SetProperty:
    """Any other property, as Grafana stores it: ``{"id": id, "value": value}``."""

    id: str
    value: Any = None


Property = (
    SetUnit
    | SetColor
    | SetAxisPlacement
    | SetWidth
    | SetDisplayName
    | SetMin
    | SetMax
    | SetDecimals
    | SetThresholds
    | SetMappings
    | SetProperty
)


@declaration
class Override:
    """Properties for the fields ``matcher`` selects; ``extra`` is raw JSON merged last."""

    matcher: Matcher
    properties: Sequence[Property] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "properties", self.properties)
