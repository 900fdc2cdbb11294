"""What every declaration shares: immutability, its source location, and validation helpers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

from pfm_dash.errors import DeclarationError, Location, capture_location

# Every declared object remembers where the user wrote it, so errors can point there.
# compare=False keeps two equal declarations equal wherever they were written; init=False
# makes dataclasses.replace() record where the copy was made, not where the original was.
LOCATION: Any = field(default_factory=capture_location, init=False, compare=False, repr=False)

JSON = Mapping[str, Any]

_DURATION = re.compile(r"^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$")


def fail(location: Location, message: str, hint: str = "") -> DeclarationError:
    """Build the error for a bad declaration (callers ``raise fail(...)``)."""
    return DeclarationError(message, location, hint)


def check_duration(value: str | None, what: str, location: Location) -> None:
    """Reject what Prometheus would refuse as a duration, at declaration time."""
    if value is None:
        return
    if not isinstance(value, str) or value in ("",) or not _DURATION.match(value):
        raise fail(
            location,
            f"invalid duration {value!r} for {what}",
            "write a Prometheus duration such as '30s', '5m', '1h30m' or '1d'",
        )


def duration_seconds(value: str) -> float:
    """Seconds in a Prometheus duration string (already validated)."""
    total = 0.0
    for amount, unit in re.findall(r"(\d+)(ms|y|w|d|h|m|s)", value):
        n = int(amount)
        total += {
            "ms": n / 1000,
            "s": n,
            "m": n * 60,
            "h": n * 3600,
            "d": n * 86400,
            "w": n * 7 * 86400,
            "y": n * 365 * 86400,
        }[unit]
    return total


def freeze(obj: object, name: str, value: Sequence[Any]) -> None:
    """Store a user's list as a tuple so frozen objects stay frozen."""
    object.__setattr__(obj, name, tuple(value))


def freeze_map(obj: object, name: str, value: Mapping[str, Any]) -> None:
    """Store a user's dict as a plain sorted copy they cannot mutate through us."""
    object.__setattr__(obj, name, dict(sorted(value.items())))
