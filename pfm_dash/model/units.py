"""Grafana's units: every id its unit picker offers, and the custom units it parses.

The ids are those of ``getCategories()`` in grafana/grafana
packages/grafana-data/src/valueFormats/categories.ts (grouped here as there, by category);
the custom forms (``suffix:``, ``prefix:``, ``si:``, ``count:``, ``currency:``, ``time:``,
``bool:``) are the ones ``getValueFormat()`` in valueFormats.ts understands. A unit is always
typed: a :class:`Unit` member or a :class:`CustomUnit`, never a bare string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail


class Unit(StrEnum):
    """Grafana unit ids (``fieldConfig.defaults.unit``), one member per id Grafana lists."""

    # Misc
    NONE = "none"
    SHORT = "short"
    STRING = "string"
    SI_SHORT = "sishort"
    PERCENT = "percent"
    PERCENT_UNIT = "percentunit"
    HUMIDITY = "humidity"
    DECIBEL = "dB"
    CANDELA = "candela"
    HEX_0X = "hex0x"
    HEX = "hex"
    SCIENTIFIC = "sci"
    LOCALE = "locale"
    PIXELS = "pixel"

    # Acceleration
    ACCEL_METERS_PER_SEC2 = "accMS2"
    ACCEL_FEET_PER_SEC2 = "accFS2"
    ACCEL_G = "accG"

    # Angle
    DEGREES = "degree"
    RADIANS = "radian"
    GRADIANS = "grad"
    ARC_MINUTES = "arcmin"
    ARC_SECONDS = "arcsec"

    # Area
    SQUARE_METERS = "areaM2"
    SQUARE_FEET = "areaF2"
    SQUARE_MILES = "areaMI2"
    ACRES = "acres"
    HECTARES = "hectares"

    # Computation
    FLOPS = "flops"
    MFLOPS = "mflops"
    GFLOPS = "gflops"
    TFLOPS = "tflops"
    PFLOPS = "pflops"
    EFLOPS = "eflops"
    ZFLOPS = "zflops"
    YFLOPS = "yflops"

    # Concentration
    PPM = "ppm"
    PPB = "conppb"
    NANOGRAMS_PER_M3 = "conngm3"
    NANOGRAMS_PER_NORMAL_M3 = "conngNm3"
    MICROGRAMS_PER_M3 = "conμgm3"
    MICROGRAMS_PER_NORMAL_M3 = "conμgNm3"
    MILLIGRAMS_PER_M3 = "conmgm3"
    MILLIGRAMS_PER_NORMAL_M3 = "conmgNm3"
    GRAMS_PER_M3 = "congm3"
    GRAMS_PER_NORMAL_M3 = "congNm3"
    MILLIGRAMS_PER_DL = "conmgdL"
    MILLIMOLES_PER_L = "conmmolL"

    # Currency
    CURRENCY_USD = "currencyUSD"
    CURRENCY_GBP = "currencyGBP"
    CURRENCY_EUR = "currencyEUR"
    CURRENCY_JPY = "currencyJPY"
    CURRENCY_RUB = "currencyRUB"
    CURRENCY_UAH = "currencyUAH"
    CURRENCY_BRL = "currencyBRL"
    CURRENCY_DKK = "currencyDKK"
    CURRENCY_ISK = "currencyISK"
    CURRENCY_NOK = "currencyNOK"
    CURRENCY_SEK = "currencySEK"
    CURRENCY_CZK = "currencyCZK"
    CURRENCY_CHF = "currencyCHF"
    CURRENCY_PLN = "currencyPLN"
    CURRENCY_BTC = "currencyBTC"
    CURRENCY_MILLI_BTC = "currencymBTC"
    CURRENCY_MICRO_BTC = "currencyμBTC"
    CURRENCY_ZAR = "currencyZAR"
    CURRENCY_INR = "currencyINR"
    CURRENCY_KRW = "currencyKRW"
    CURRENCY_IDR = "currencyIDR"
    CURRENCY_PHP = "currencyPHP"
    CURRENCY_VND = "currencyVND"
    CURRENCY_TRY = "currencyTRY"
    CURRENCY_MYR = "currencyMYR"
    CURRENCY_XPF = "currencyXPF"
    CURRENCY_BGN = "currencyBGN"
    CURRENCY_PYG = "currencyPYG"
    CURRENCY_UYU = "currencyUYU"
    CURRENCY_ILS = "currencyILS"

    # Data
    BYTES = "bytes"
    DECIMAL_BYTES = "decbytes"
    BITS = "bits"
    DECIMAL_BITS = "decbits"
    KIBIBYTES = "kbytes"
    KILOBYTES = "deckbytes"
    MEBIBYTES = "mbytes"
    MEGABYTES = "decmbytes"
    GIBIBYTES = "gbytes"
    GIGABYTES = "decgbytes"
    TEBIBYTES = "tbytes"
    TERABYTES = "dectbytes"
    PEBIBYTES = "pbytes"
    PETABYTES = "decpbytes"

    # Data rate
    PACKETS_PER_SECOND = "pps"
    BINARY_BYTES_PER_SECOND = "binBps"
    BYTES_PER_SECOND = "Bps"
    BINARY_BITS_PER_SECOND = "binbps"
    BITS_PER_SECOND = "bps"
    KIBIBYTES_PER_SECOND = "KiBs"
    KIBIBITS_PER_SECOND = "Kibits"
    KILOBYTES_PER_SECOND = "KBs"
    KILOBITS_PER_SECOND = "Kbits"
    MEBIBYTES_PER_SECOND = "MiBs"
    MEBIBITS_PER_SECOND = "Mibits"
    MEGABYTES_PER_SECOND = "MBs"
    MEGABITS_PER_SECOND = "Mbits"
    GIBIBYTES_PER_SECOND = "GiBs"
    GIBIBITS_PER_SECOND = "Gibits"
    GIGABYTES_PER_SECOND = "GBs"
    GIGABITS_PER_SECOND = "Gbits"
    TEBIBYTES_PER_SECOND = "TiBs"
    TEBIBITS_PER_SECOND = "Tibits"
    TERABYTES_PER_SECOND = "TBs"
    TERABITS_PER_SECOND = "Tbits"
    PEBIBYTES_PER_SECOND = "PiBs"
    PEBIBITS_PER_SECOND = "Pibits"
    PETABYTES_PER_SECOND = "PBs"
    PETABITS_PER_SECOND = "Pbits"

    # Date & time
    DATETIME_ISO = "dateTimeAsIso"
    DATETIME_ISO_NO_DATE_IF_TODAY = "dateTimeAsIsoNoDateIfToday"
    DATETIME_US = "dateTimeAsUS"
    DATETIME_US_NO_DATE_IF_TODAY = "dateTimeAsUSNoDateIfToday"
    DATETIME_LOCAL = "dateTimeAsLocal"
    DATETIME_LOCAL_NO_DATE_IF_TODAY = "dateTimeAsLocalNoDateIfToday"
    DATETIME_SYSTEM = "dateTimeAsSystem"
    DATETIME_FROM_NOW = "dateTimeFromNow"

    # Energy
    WATT = "watt"
    KILOWATT = "kwatt"
    MEGAWATT = "megwatt"
    GIGAWATT = "gwatt"
    MILLIWATT = "mwatt"
    WATT_PER_M2 = "Wm2"
    VOLT_AMPERE = "voltamp"
    KILOVOLT_AMPERE = "kvoltamp"
    VOLT_AMPERE_REACTIVE = "voltampreact"
    KILOVOLT_AMPERE_REACTIVE = "kvoltampreact"
    WATT_HOUR = "watth"
    WATT_HOUR_PER_KG = "watthperkg"
    KILOWATT_HOUR = "kwatth"
    KILOWATT_MIN = "kwattm"
    MEGAWATT_HOUR = "mwatth"
    AMPERE_HOUR = "amph"
    KILOAMPERE_HOUR = "kamph"
    MILLIAMPERE_HOUR = "mamph"
    JOULE = "joule"
    ELECTRON_VOLT = "ev"
    AMPERE = "amp"
    KILOAMPERE = "kamp"
    MILLIAMPERE = "mamp"
    VOLT = "volt"
    KILOVOLT = "kvolt"
    MILLIVOLT = "mvolt"
    DECIBEL_MILLIWATT = "dBm"
    MILLIOHM = "mohm"
    OHM = "ohm"
    KILOOHM = "kohm"
    MEGAOHM = "Mohm"
    FARAD = "farad"
    MICROFARAD = "µfarad"
    NANOFARAD = "nfarad"
    PICOFARAD = "pfarad"
    FEMTOFARAD = "ffarad"
    HENRY = "henry"
    MILLIHENRY = "mhenry"
    MICROHENRY = "µhenry"
    LUMENS = "lumens"

    # Flow
    GALLONS_PER_MIN = "flowgpm"
    CUBIC_METERS_PER_SEC = "flowcms"
    CUBIC_FEET_PER_SEC = "flowcfs"
    CUBIC_FEET_PER_MIN = "flowcfm"
    LITRES_PER_HOUR = "litreh"
    LITRES_PER_MIN = "flowlpm"
    MILLILITRES_PER_MIN = "flowmlpm"
    LUX = "lux"

    # Force
    NEWTON_METERS = "forceNm"
    KILONEWTON_METERS = "forcekNm"
    NEWTONS = "forceN"
    KILONEWTONS = "forcekN"

    # Hash rate
    HASHES_PER_SECOND = "Hs"
    KILOHASHES_PER_SECOND = "KHs"
    MEGAHASHES_PER_SECOND = "MHs"
    GIGAHASHES_PER_SECOND = "GHs"
    TERAHASHES_PER_SECOND = "THs"
    PETAHASHES_PER_SECOND = "PHs"
    EXAHASHES_PER_SECOND = "EHs"

    # Mass
    MILLIGRAMS = "massmg"
    GRAMS = "massg"
    POUNDS = "masslb"
    KILOGRAMS = "masskg"
    METRIC_TONS = "masst"

    # Length
    MILLIMETERS = "lengthmm"
    INCHES = "lengthin"
    FEET = "lengthft"
    METERS = "lengthm"
    KILOMETERS = "lengthkm"
    MILES = "lengthmi"

    # Pressure
    MILLIBARS = "pressurembar"
    BARS = "pressurebar"
    KILOBARS = "pressurekbar"
    PASCALS = "pressurepa"
    HECTOPASCALS = "pressurehpa"
    KILOPASCALS = "pressurekpa"
    INCHES_OF_MERCURY = "pressurehg"
    PSI = "pressurepsi"

    # Radiation
    BECQUEREL = "radbq"
    CURIE = "radci"
    GRAY = "radgy"
    RAD = "radrad"
    SIEVERT = "radsv"
    MILLISIEVERT = "radmsv"
    MICROSIEVERT = "radusv"
    REM = "radrem"
    EXPOSURE_C_PER_KG = "radexpckg"
    ROENTGEN = "radr"
    SIEVERT_PER_HOUR = "radsvh"
    MILLISIEVERT_PER_HOUR = "radmsvh"
    MICROSIEVERT_PER_HOUR = "radusvh"

    # Rotational speed
    RPM = "rotrpm"
    ROTATION_HERTZ = "rothz"
    ROTATION_KILOHERTZ = "rotkhz"
    ROTATION_MEGAHERTZ = "rotmhz"
    ROTATION_GIGAHERTZ = "rotghz"
    RADIANS_PER_SECOND = "rotrads"
    DEGREES_PER_SECOND = "rotdegs"

    # Temperature
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"
    KELVIN = "kelvin"

    # Time
    HERTZ = "hertz"
    NANOSECONDS = "ns"
    MICROSECONDS = "µs"
    MILLISECONDS = "ms"
    SECONDS = "s"
    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"
    DURATION_MS = "dtdurationms"
    DURATION_S = "dtdurations"
    DURATION_HMS = "dthms"
    DURATION_DHMS = "dtdhms"
    TIMETICKS = "timeticks"
    CLOCK_MS = "clockms"
    CLOCK_S = "clocks"

    # Throughput
    COUNTS_PER_SECOND = "cps"
    OPS_PER_SECOND = "ops"
    REQUESTS_PER_SECOND = "reqps"
    READS_PER_SECOND = "rps"
    WRITES_PER_SECOND = "wps"
    IO_OPS_PER_SECOND = "iops"
    EVENTS_PER_SECOND = "eps"
    MESSAGES_PER_SECOND = "mps"
    RECORDS_PER_SECOND = "recps"
    ROWS_PER_SECOND = "rowsps"
    COUNTS_PER_MINUTE = "cpm"
    OPS_PER_MINUTE = "opm"
    REQUESTS_PER_MINUTE = "reqpm"
    READS_PER_MINUTE = "rpm"
    WRITES_PER_MINUTE = "wpm"
    EVENTS_PER_MINUTE = "epm"
    MESSAGES_PER_MINUTE = "mpm"
    RECORDS_PER_MINUTE = "recpm"
    ROWS_PER_MINUTE = "rowspm"

    # Velocity
    METERS_PER_SECOND = "velocityms"
    KILOMETERS_PER_HOUR = "velocitykmh"
    MILES_PER_HOUR = "velocitymph"
    KNOTS = "velocityknot"

    # Volume
    MILLILITRES = "mlitre"
    LITRES = "litre"
    CUBIC_METERS = "m3"
    NORMAL_CUBIC_METERS = "Nm3"
    CUBIC_DECIMETERS = "dm3"
    GALLONS = "gallons"

    # Boolean
    BOOL_TRUE_FALSE = "bool"
    BOOL_YES_NO = "bool_yes_no"
    BOOL_ON_OFF = "bool_on_off"

    # Earlier names of this enum, kept so existing declarations still work.
    DATETIME = "dateTimeAsIso"
    BOOL_UP_DOWN = "bool_on_off"


CustomKind = Literal["suffix", "prefix", "si", "count", "currency", "time", "bool", "other"]

# The prefixes getValueFormat() splits off before the first ':' (valueFormats.ts).
_PREFIXED: tuple[CustomKind, ...] = ("suffix", "prefix", "si", "count", "currency", "time", "bool")
_KNOWN = frozenset(u.value for u in Unit)


@declaration
class CustomUnit:
    """A unit Grafana builds from its id: ``CustomUnit.suffix("req")`` is ``suffix:req``.

    Build one with the class methods; ``other`` keeps an id Grafana does not list (it shows
    such an id as a suffix), so an imported dashboard keeps exactly what it had.
    """

    kind: CustomKind
    text: str
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if self.kind == "other":
            if not self.text or self.text in _KNOWN:
                # e.g. CustomUnit.other("bytes"): Unit.BYTES says the same, typed.
                raise fail(
                    self.location,
                    f"{self.text!r} is not a custom unit id",
                    'use the Unit member for a unit Grafana lists, e.g. Unit("bytes")',
                )
        elif self.kind == "bool" and self.text.count("/") > 1:
            raise fail(self.location, f"bool unit {self.text!r} has more than one '/'")

    @property
    def id(self) -> str:
        """The id Grafana stores in ``unit``."""
        return self.text if self.kind == "other" else f"{self.kind}:{self.text}"

    @classmethod
    def suffix(cls, text: str) -> CustomUnit:
        """``text`` after the value: ``12 req``."""
        return cls(kind="suffix", text=text)

    @classmethod
    def prefix(cls, text: str) -> CustomUnit:
        """``text`` before the value: ``~12``."""
        return cls(kind="prefix", text=text)

    @classmethod
    def si(cls, unit: str) -> CustomUnit:
        """SI-scaled ``unit``; a leading SI prefix (``kW``) sets the base scale."""
        return cls(kind="si", text=unit)

    @classmethod
    def count(cls, unit: str) -> CustomUnit:
        """A count scaled K, M, B with ``unit`` after it."""
        return cls(kind="count", text=unit)

    @classmethod
    def currency(cls, symbol: str) -> CustomUnit:
        """A currency ``symbol`` before the scaled value: ``currency:EUR``."""
        return cls(kind="currency", text=symbol)

    @classmethod
    def time(cls, format: str) -> CustomUnit:
        """A timestamp in a moment.js ``format``: ``time:YYYY-MM-DD``."""
        return cls(kind="time", text=format)

    @classmethod
    def bool(cls, true: str, false: str | None = None) -> CustomUnit:
        """Text for true and false values (Grafana shows '-' for false when none is given)."""
        return cls(kind="bool", text=true if false is None else f"{true}/{false}")

    @classmethod
    def other(cls, unit_id: str) -> CustomUnit:
        """An id Grafana does not list, kept as written (Grafana shows it after the value)."""
        return cls(kind="other", text=unit_id)


def unit_from_id(unit_id: str) -> Unit | CustomUnit:
    """The typed unit for an id as Grafana stores it (what a parser needs)."""
    if unit_id in _KNOWN:
        return Unit(unit_id)
    kind, sep, text = unit_id.partition(":")
    if sep and kind in _PREFIXED:
        return CustomUnit(kind=kind, text=text)
    return CustomUnit(kind="other", text=unit_id)


def unit_id(unit: Unit | CustomUnit) -> str:
    """The id Grafana stores for ``unit``."""
    return unit.value if isinstance(unit, Unit) else unit.id
