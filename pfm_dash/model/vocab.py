"""Grafana's and Prometheus' fixed vocabularies, as enums so a typo is a type error."""

from __future__ import annotations

from enum import IntEnum, StrEnum

# Re-exported: units live in their own module, and older code imports them from here.
from pfm_dash.model.units import CustomUnit as CustomUnit
from pfm_dash.model.units import Unit as Unit


class Severity(StrEnum):
    """Alert severities the routing knows."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class Color(StrEnum):
    """Grafana's named palette colours."""

    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"
    BLUE = "blue"
    PURPLE = "purple"
    TEXT = "text"
    TRANSPARENT = "transparent"
    DARK_RED = "dark-red"
    DARK_GREEN = "dark-green"


class ColorMode(StrEnum):
    """``fieldConfig.defaults.color.mode``."""

    THRESHOLDS = "thresholds"
    PALETTE_CLASSIC = "palette-classic"
    CONTINUOUS_GREEN_YELLOW_RED = "continuous-GrYlRd"
    FIXED = "fixed"


class ThresholdMode(StrEnum):
    ABSOLUTE = "absolute"
    PERCENTAGE = "percentage"


class LegendMode(StrEnum):
    """``options.legend.displayMode``; HIDDEN sets ``showLegend: false``."""

    LIST = "list"
    TABLE = "table"
    HIDDEN = "hidden"


class LegendPlacement(StrEnum):
    BOTTOM = "bottom"
    RIGHT = "right"


class Reduce(StrEnum):
    """Grafana reducers (``reduceOptions.calcs`` and legend calcs)."""

    LAST = "last"
    LAST_NOT_NULL = "lastNotNull"
    MEAN = "mean"
    MAX = "max"
    MIN = "min"
    SUM = "sum"
    COUNT = "count"


class TooltipMode(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    NONE = "none"


class Stacking(StrEnum):
    NONE = "none"
    NORMAL = "normal"
    PERCENT = "percent"


class StatColorMode(StrEnum):
    VALUE = "value"
    BACKGROUND = "background"
    NONE = "none"


class GraphMode(StrEnum):
    AREA = "area"
    NONE = "none"


class TextMode(StrEnum):
    AUTO = "auto"
    VALUE = "value"
    VALUE_AND_NAME = "value_and_name"
    NAME = "name"
    NONE = "none"


class Orientation(StrEnum):
    AUTO = "auto"
    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"


class BarGaugeMode(StrEnum):
    GRADIENT = "gradient"
    LCD = "lcd"
    BASIC = "basic"


class AlertState(StrEnum):
    """States the alert list panel can filter on (``options.stateFilter``)."""

    FIRING = "firing"
    PENDING = "pending"
    NO_DATA = "noData"
    NORMAL = "normal"
    ERROR = "error"


class AlertListView(StrEnum):
    LIST = "list"
    STAT = "stat"


class AlertListSort(IntEnum):
    ALPHABETICAL_ASC = 1
    ALPHABETICAL_DESC = 2
    IMPORTANCE = 3
    TIME_ASC = 4
    TIME_DESC = 5


class GraphTooltip(IntEnum):
    """Dashboard-wide crosshair/tooltip sharing."""

    DEFAULT = 0
    SHARED_CROSSHAIR = 1
    SHARED_TOOLTIP = 2


class VariableRefresh(IntEnum):
    NEVER = 0
    ON_LOAD = 1
    ON_TIME_RANGE_CHANGE = 2


class VariableSort(IntEnum):
    DISABLED = 0
    ALPHABETICAL_ASC = 1
    ALPHABETICAL_DESC = 2
    NUMERICAL_ASC = 3
    NUMERICAL_DESC = 4


class Width(IntEnum):
    """Common widths on Grafana's 24-column grid; any int 1..24 works too."""

    FULL = 24
    HALF = 12
    THIRD = 8
    QUARTER = 6
    SIXTH = 4


class AxisPlacement(StrEnum):
    """``custom.axisPlacement`` of a time series field."""

    AUTO = "auto"
    LEFT = "left"
    RIGHT = "right"
    HIDDEN = "hidden"


class FieldType(StrEnum):
    """Grafana's field types, which the ``byType`` override matcher selects on."""

    NUMBER = "number"
    STRING = "string"
    TIME = "time"
    BOOLEAN = "boolean"
    ENUM = "enum"
    OTHER = "other"
    TRACE = "trace"
    GEO = "geo"
    FRAME = "frame"
