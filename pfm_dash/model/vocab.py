"""Grafana's and Prometheus' fixed vocabularies, as enums so a typo is a type error."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Unit(StrEnum):
    """Grafana unit ids (``fieldConfig.defaults.unit``)."""

    NONE = "none"
    SHORT = "short"
    PERCENT = "percent"  # 0-100
    PERCENT_UNIT = "percentunit"  # 0.0-1.0
    SECONDS = "s"
    MILLISECONDS = "ms"
    BYTES = "bytes"  # IEC: KiB, MiB
    DECIMAL_BYTES = "decbytes"  # SI: kB, MB
    BYTES_PER_SECOND = "Bps"
    REQUESTS_PER_SECOND = "reqps"
    OPS_PER_SECOND = "ops"
    COUNTS_PER_SECOND = "cps"
    DATETIME = "dateTimeAsIso"
    BOOL_UP_DOWN = "bool_on_off"


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
