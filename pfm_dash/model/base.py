"""What every declaration shares: immutability, its source location, and validation helpers."""

from __future__ import annotations

import enum
import re
import sys
import types
import typing
from collections import abc
from collections.abc import Mapping, Sequence
from typing import Any

from pfm_dash.errors import UNKNOWN, DeclarationError, Location, capture_location, collect
from pfm_dash.records import field, fields, make

# Every declared object remembers where the user wrote it, so errors can point there.
# compare=False keeps two equal declarations equal wherever they were written; init=False
# makes replace() (ours or dataclasses') record where the copy was made, not where the
# original was.
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


_Item = typing.TypeVar("_Item")


def duplicates(
    items: typing.Iterable[_Item], key: typing.Callable[[_Item], object]
) -> typing.Iterator[tuple[_Item, _Item]]:
    """(first, repeat) for each item whose key an earlier item already had: the one way every
    "declared twice" check finds its repeats (uids, group names, variables...)."""
    seen: dict[object, _Item] = {}
    for item in items:
        first = seen.setdefault(key(item), item)
        if first is not item:
            yield first, item


def freeze(obj: object, name: str, value: Sequence[Any]) -> None:
    """Store a user's list as a tuple so frozen objects stay frozen."""
    object.__setattr__(obj, name, tuple(value))


def freeze_map(obj: object, name: str, value: Mapping[str, Any]) -> None:
    """Store a user's dict as a plain sorted copy they cannot mutate through us."""
    object.__setattr__(obj, name, dict(sorted(value.items())))


# --- runtime type checks -------------------------------------------------------------------
# Users write the DSL in plain Python, often without running mypy: a string where an enum
# belongs ("seconds" for Unit.SECONDS) must fail at the declaration, with its line, not as a
# traceback deep in a target.

Checker = typing.Callable[[object], bool]
DEFAULT_TYPE_HINT = "see the field's type in the DSL (your editor and mypy show it)"


def hint(text: str) -> dict[str, str]:
    """Field metadata: how to mend a value of the wrong type, said where the field is declared
    (``team: Team = field(metadata=hint("import the Team object ..."))``), so the type check
    that runs first gives the field's own advice instead of a generic one."""
    return {"hint": text}


class _FieldCheck:
    """One field's type check. Its hint is evaluated and its checker built the first time a
    value other than the field's default needs them (checks are hot, and most fields of most
    declarations keep their default, which mypy has already checked against the hint)."""

    __slots__ = ("advice", "built", "default", "name", "owner")

    def __init__(self, owner: type, name: str, default: object, advice: str) -> None:
        self.owner = owner
        self.name = name
        self.default = default
        self.advice = advice
        self.built: tuple[Any, Checker] | None = None

    def build(self) -> tuple[Any, Checker]:
        if self.built is None:
            expected = _field_type(self.owner, self.name)
            self.built = (expected, _checker(expected))
        return self.built


_CHECKS: dict[type, tuple[_FieldCheck, ...]] = {}


def _checks(cls: type) -> tuple[_FieldCheck, ...]:
    """The type checks of a class's ``__init__`` parameters, made once per class."""
    checks = _CHECKS.get(cls)
    if checks is None:
        checks = _CHECKS[cls] = tuple(
            _FieldCheck(
                cls,
                f.name,
                # A factory's value is a new object each time, except tuple's empty one;
                # a required field has none (MISSING is never a value).
                () if f.default_factory is tuple else f.default,
                str(f.metadata.get("hint", DEFAULT_TYPE_HINT)),
            )
            for f in fields(cls)
            if f.init
        )
    return checks


_COMPILED: dict[str, types.CodeType] = {}


def _field_type(cls: type, name: str) -> Any:
    """What ``typing.get_type_hints(cls)[name]`` gives for a declaration's string annotation,
    evaluated the same way (the defining module's names first, then its class's) at a fraction
    of the cost: each annotation is compiled once, and no ForwardRef is made."""
    for base in cls.__mro__:
        # The class's own annotations, as inspect.get_annotations reads them: a build does
        # not import inspect (see pfm_dash.records).
        annotations = base.__dict__.get("__annotations__")  # noqa: RUF063
        if not annotations or name not in annotations:
            continue
        value = annotations[name]
        if isinstance(value, str):
            code = _COMPILED.get(value)
            if code is None:
                code = _COMPILED[value] = compile(value, "<annotation>", "eval")
            value = eval(code, dict(vars(base)), sys.modules[base.__module__].__dict__)
        return type(None) if value is None else value
    raise LookupError(f"{cls.__qualname__} has no annotation for {name!r}")


def _number(kinds: tuple[type, ...]) -> Checker:
    return lambda v: isinstance(v, kinds) and not isinstance(v, bool)


def _checker(hint: Any) -> Checker:
    """A predicate for ``hint``: the typing constructs the DSL uses, anything else accepted."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any or hint is object:
        return lambda v: True
    if hint is float:
        return _number((int, float))
    if hint is int:
        return _number((int,))
    if origin is typing.Union or origin is types.UnionType:
        plain = tuple(a for a in args if isinstance(a, type) and a not in (int, float))
        if len(plain) == len(args):  # the common case: isinstance against a tuple of classes
            return lambda v: isinstance(v, plain)
        options = [_checker(a) for a in args]
        return lambda v: any(check(v) for check in options)
    if origin in (Sequence, list, tuple, abc.Sequence):
        item = _checker(args[0]) if args else _checker(Any)
        return lambda v: (
            isinstance(v, list | tuple) and all(item(e) for e in v)  # a str is not a list here
        )
    if origin in (Mapping, dict, abc.Mapping):
        key, value = (_checker(a) for a in args) if len(args) == 2 else (_checker(Any),) * 2
        return lambda v: isinstance(v, Mapping) and all(key(k) and value(x) for k, x in v.items())
    if origin is typing.Literal:
        return lambda v: v in args
    if isinstance(hint, type):
        return lambda v: isinstance(v, hint)
    return lambda v: True  # a construct we do not model: left to the declaration's own checks


def _describe(hint: Any) -> str:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in args)
    if hint is type(None):
        return "None"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = list(hint)[:2]
        return f"a {hint.__name__} ({', '.join(f'{hint.__name__}.{m.name}' for m in members)}, ...)"
    if typing.get_origin(hint) in (Sequence, list, tuple, abc.Sequence):
        return f"a list of {_describe(args[0]) if args else 'values'}"
    if typing.get_origin(hint) in (Mapping, dict, abc.Mapping):
        return "a dict"
    name = getattr(hint, "__name__", str(hint))
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def check_types(obj: object) -> None:
    """Refuse a field whose value is not of its declared type, at the user's line."""
    for check in _checks(type(obj)):
        value = getattr(obj, check.name)
        if value is check.default:
            continue
        expected, accepts = check.built or check.build()
        if not accepts(value):
            raise fail(
                getattr(obj, "location", UNKNOWN),
                f"{type(obj).__name__}({check.name}=...) must be {_describe(expected)}, "
                f"not {value!r}",
                check.advice,
            )


_T = typing.TypeVar("_T")


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def declaration(cls: type[_T]) -> type[_T]:
    """A DSL class: a frozen, keyword-only dataclass whose fields are type-checked on creation.

    It is made by :func:`pfm_dash.records.make`: a dataclass to users (``dataclasses.fields()``
    and ``replace()`` work as usual) that a build makes without importing dataclasses.
    """
    inherited = getattr(cls, "__post_init__", None)
    own = cls.__dict__.get("__post_init__") or getattr(inherited, "own", inherited)

    def __post_init__(self: Any) -> None:
        check_types(self)  # a wrong type stops here: the declaration's own checks need types
        if own is not None:
            try:
                own(self)
            except DeclarationError as exc:
                if not collect(exc):
                    raise

    __post_init__.own = own  # type: ignore[attr-defined]  # what a subclass inherits
    cls.__post_init__ = __post_init__  # type: ignore[attr-defined]
    return make(cls, kw_only=True)
