"""What every declaration shares: immutability, its source location, and validation helpers."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import sys
import types
import typing
from collections import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pfm_dash.errors import UNKNOWN, DeclarationError, Location, capture_location, collect

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
                # A factory's value is a new object each time, except tuple's empty one.
                () if f.default_factory is tuple else f.default,
                str(f.metadata.get("hint", DEFAULT_TYPE_HINT)),
            )
            for f in dataclasses.fields(cls)
            if f.init
        )
    return checks


_COMPILED: dict[str, types.CodeType] = {}


def _field_type(cls: type, name: str) -> Any:
    """What ``typing.get_type_hints(cls)[name]`` gives for a declaration's string annotation,
    evaluated the same way (the defining module's names first, then its class's) at a fraction
    of the cost: each annotation is compiled once, and no ForwardRef is made."""
    for base in cls.__mro__:
        annotations = inspect.get_annotations(base)
        if name not in annotations:
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

# Equality, hashing and repr are shared functions reading each class's field names, not
# methods dataclasses compiles per class: compiling them was half the cost of importing the
# model (each generated method is an exec), and every build imports the model.


def _compared(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in type(obj).__compared__)


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    return bool(_compared(self) == _compared(other))


def _hash(self: Any) -> int:
    return hash(_compared(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__shown__)
    return f"{type(self).__qualname__}({shown})"


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state, strict=True):
        object.__setattr__(self, f.name, value)


class _Factory:
    """Marks a parameter left to its field's default factory (dataclasses' own sentinel)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _compile_init(cls: type, kw_only: bool) -> Any:
    """The ``__init__`` dataclasses would write for a frozen, slotted class.

    Compiled on the class's first instantiation, not at import: compiling one per class was
    most of the model's import, and a build instantiates only some of the classes.
    """
    names: dict[str, Any] = {"__setattr": object.__setattr__, "__factory": _FACTORY}
    params, body = [], []
    for f in dataclasses.fields(cls):
        default, factory = f"__default_{f.name}", f"__factory_{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            names[factory] = f.default_factory
            if f.init:
                params.append(f"{f.name}=__factory")
                value = f"{factory}() if {f.name} is __factory else {f.name}"
            else:
                value = f"{factory}()"
        elif f.default is not dataclasses.MISSING:
            names[default] = f.default
            params.append(f"{f.name}={default}" if f.init else "")
            value = f.name if f.init else default
        elif f.init:
            params.append(f.name)
            value = f.name
        else:
            continue
        body.append(f"  __setattr(self, {f.name!r}, {value})")
    star = ["*"] if kw_only and any(params) else []
    signature = ", ".join(["self", *star, *filter(None, params)])
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    body.append("  pass")
    source = f"def __init__({signature}):\n" + "\n".join(body)
    exec(source, names)  # what dataclasses does, from the class's own fields
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


# A class's ``__init__`` is compiled once it has been called this often. Compiling costs about
# as much as 50 calls that bind their arguments by walking the fields, so a class a build
# makes a handful of never pays for it, and one it makes thousands of does, early.
COMPILE_AFTER = 50

_Row = tuple[str, bool, Any, Any]  # (name, init, default, factory); dataclasses.MISSING if none


def _rows(cls: type) -> tuple[tuple[_Row, ...], tuple[str, ...]]:
    """Each field as the walking ``__init__`` reads it, and the positional parameters."""
    rows = tuple((f.name, f.init, f.default, f.default_factory) for f in dataclasses.fields(cls))
    return rows, tuple(name for name, init, _, _ in rows if init)


def _lazy_init(cls: type, kw_only: bool) -> Any:
    """An ``__init__`` that binds its arguments by walking the class's fields, and steps aside
    for the compiled one after :data:`COMPILE_AFTER` calls.

    Only a call that binds cleanly is walked: anything else (a missing or unknown argument, a
    positional one where none is allowed) is handed to the compiled ``__init__``, so the
    ``TypeError`` is Python's own, word for word.
    """
    table: tuple[tuple[_Row, ...], tuple[str, ...]] | None = None
    calls = 0
    missing = dataclasses.MISSING
    setattr_ = object.__setattr__
    post_init = hasattr(cls, "__post_init__")

    def compiled() -> Any:
        init = _compile_init(cls, kw_only)
        type.__setattr__(cls, "__init__", init)
        return init

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal table, calls
        calls += 1
        if calls > COMPILE_AFTER or (args and kw_only):
            return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
        if table is None:
            table = _rows(cls)
        rows, positional = table
        given = kwargs
        if args:
            if len(args) > len(positional) or not kwargs.keys().isdisjoint(positional[: len(args)]):
                return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
            given = {**kwargs, **dict(zip(positional, args, strict=False))}
        taken = 0
        for name, init, default, factory in rows:
            if init and name in given:
                value = given[name]
                taken += 1
            elif factory is not missing:
                value = factory()
            elif default is not missing:
                value = default
            else:  # a required argument is missing
                return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
            setattr_(self, name, value)
        if taken != len(given):  # an argument no field takes
            return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def declaration(cls: type[_T]) -> type[_T]:
    """A DSL class: a frozen, keyword-only dataclass whose fields are type-checked on creation.

    dataclasses makes the fields, slots and metadata (``fields()``, ``replace()`` work as
    usual) but compiles none of the methods: the frozen ``__setattr__``, equality, hashing and
    repr are shared functions here, and ``__init__`` is compiled when first called. Each
    compiled method is an ``exec``, and they were most of the cost of importing the model,
    which every build pays.
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
    return _frozen(cls, kw_only=True)


@typing.dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """A frozen, slotted dataclass for the library's own values (grid boxes, compiled
    dashboards): built like a declaration, without its type checks or keyword-only rule."""
    return _frozen(cls, kw_only=False)


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def keyword_record(cls: type[_T]) -> type[_T]:
    """A :func:`record` whose fields are passed by keyword only (catalog entries, which users
    write): a dataclass decorated per class costs ~1 ms of every build's import, this ~0.1."""
    return _frozen(cls, kw_only=True)


def _signature_doc(cls: type, kw_only: bool) -> str:
    """What dataclasses makes a class's docstring when it has none (``inspect.signature`` of
    its ``__init__``), written from the fields: the real ``__init__`` is not compiled yet."""
    params = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        annotation = repr(f.type) if isinstance(f.type, str) else inspect.formatannotation(f.type)
        if f.default_factory is not dataclasses.MISSING:
            params.append(f"{f.name}: {annotation} = {_FACTORY!r}")
        elif f.default is not dataclasses.MISSING:
            params.append(f"{f.name}: {annotation} = {f.default!r}")
        else:
            params.append(f"{f.name}: {annotation}")
    star = ["*"] if kw_only and params else []
    return f"{cls.__name__}({', '.join([*star, *params])})"


def _frozen(cls: type[_T], kw_only: bool) -> type[_T]:
    undocumented = not cls.__doc__
    if undocumented:  # dataclasses would compute it with inspect.signature: below, cheaply
        cls.__doc__ = "-"
    out = dataclass(init=False, kw_only=kw_only, slots=True, eq=False, repr=False)(cls)
    if undocumented:
        out.__doc__ = _signature_doc(out, kw_only)
    fields = dataclasses.fields(out)  # type: ignore[arg-type]
    # As dataclasses would: compare (and hash) the compare=True fields, show the repr=True ones.
    out.__compared__ = tuple(f.name for f in fields if f.compare)  # type: ignore[attr-defined]
    out.__shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    out.__init__ = _lazy_init(out, kw_only)  # type: ignore[method-assign]
    out.__eq__ = _eq  # type: ignore[method-assign]
    out.__hash__ = _hash  # type: ignore[method-assign]
    out.__repr__ = _repr  # type: ignore[method-assign]
    out.__setattr__ = _frozen_setattr  # type: ignore[method-assign]
    out.__delattr__ = _frozen_delattr  # type: ignore[method-assign]
    out.__getstate__ = _getstate  # type: ignore[method-assign]
    out.__setstate__ = _setstate  # type: ignore[attr-defined]
    return out
