"""Frozen, slotted value classes that are dataclasses to everyone, without importing them.

Every class of the model, the catalog, the routing and the build's own values is made here.
To users and to the rest of pfm-dash they are dataclasses: ``dataclasses.fields()``,
``replace()``, ``asdict()`` and ``is_dataclass()`` work on them, and mypy reads them as
dataclasses (``typing.dataclass_transform``). But a build never imports ``dataclasses``:
it imports ``inspect`` (and with it ``ast``, ``dis`` and ``tokenize``) to write docstrings
nobody reads, and processes each class in ~100 µs; together about a tenth of a build. The
fields are collected here as dataclasses collects them (inherited ones first, an overridden
one keeping its place), and the real ``dataclasses.Field`` objects are made the first time
anything asks for ``__dataclass_fields__``, by letting dataclasses process a stand-in class
with the same fields.

Methods are not compiled per class either: equality, hashing, repr and the frozen
``__setattr__`` are shared functions reading each class's field names, and ``__init__``
binds its arguments by walking the fields until the class has been made often enough that
compiling the one dataclasses would write pays for itself.
"""

from __future__ import annotations

import typing
from typing import Any

if typing.TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_T = typing.TypeVar("_T")


class _Missing:
    """No default (dataclasses' own ``MISSING`` is in a module a build does not import)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field, as ``dataclasses.Field`` describes it (the attributes code reads)."""

    __slots__ = (
        "compare",
        "default",
        "default_factory",
        "init",
        "kw_only",
        "metadata",
        "name",
        "repr",
        "type",
    )

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        compare: bool,
        metadata: Mapping[str, Any] | None,
        kw_only: Any,
    ) -> None:
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.metadata: Mapping[str, Any] = metadata or {}
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    metadata: Mapping[str, Any] | None = None,
    kw_only: bool | Any = MISSING,
) -> Any:
    """A field's options, as ``dataclasses.field`` takes them."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare, metadata, kw_only)


def fields(obj: object) -> tuple[Field, ...]:
    """A record's fields in order (``dataclasses.fields`` without importing dataclasses)."""
    cls = obj if isinstance(obj, type) else type(obj)
    return tuple(cls.__record_fields__.values())  # type: ignore[attr-defined]


def replace(obj: _T, **changes: Any) -> _T:
    """A copy with ``changes``, as ``dataclasses.replace`` makes it: through ``__init__``, so
    the copy is checked and knows where it was made."""
    for f in fields(obj):
        if not f.init:
            if f.name in changes:
                raise ValueError(
                    f"field {f.name} is declared with init=False, "
                    "it cannot be specified with replace()"
                )
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


# --- making a class ----------------------------------------------------------------------


@typing.dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """A frozen, slotted record for the library's own values (grid boxes, compiled
    dashboards, the configuration): built like a declaration, without its type checks or
    keyword-only rule."""
    return make(cls, kw_only=False)


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def keyword_record(cls: type[_T]) -> type[_T]:
    """A :func:`record` whose fields are passed by keyword only (catalog entries, which users
    write)."""
    return make(cls, kw_only=True)


def make(cls: type[_T], kw_only: bool) -> type[_T]:
    """``cls`` as a frozen, slotted record whose fields are its annotations."""
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - inspect's reading, unimported
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__record_fields__")
        if inherited:
            collected.update(inherited)
    for name, annotation in own.items():
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):  # a copy: one field() may serve several classes
            spec = Field(
                value.default,
                value.default_factory,
                value.init,
                value.repr,
                value.compare,
                value.metadata,
                value.kw_only,
            )
        else:
            spec = Field(value, MISSING, True, True, True, None, MISSING)
        if spec.default is not MISSING and type(spec.default).__hash__ is None:
            raise ValueError(  # as dataclasses refuses a default every instance would share
                f"mutable default {type(spec.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        spec.name = name
        spec.type = annotation
        if spec.kw_only is MISSING:
            spec.kw_only = kw_only
        collected[name] = spec
    # As dataclasses' slots=True does: a new class whose __slots__ are the fields no base
    # has a slot for, without the class attributes that held the defaults.
    inherited_slots = {
        slot for base in cls.__mro__[1:-1] for slot in base.__dict__.get("__slots__", ())
    }
    namespace = dict(cls.__dict__)
    for name in collected:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(n for n in collected if n not in inherited_slots)
    if not namespace.get("__doc__"):  # what dataclasses writes: the signature
        namespace["__doc__"] = _signature_doc(cls.__name__, collected.values(), kw_only)
    metaclass: Any = type(cls)
    out: Any = metaclass(cls.__name__, cls.__bases__, namespace)
    out.__qualname__ = cls.__qualname__
    out.__record_fields__ = collected
    out.__dataclass_fields__ = _DataclassFields()
    match_args = tuple(name for name, f in collected.items() if f.init and not f.kw_only)
    type.__setattr__(out, "__match_args__", match_args)
    out.__compared__ = tuple(n for n, f in collected.items() if f.compare)
    out.__shown__ = tuple(n for n, f in collected.items() if f.repr)
    out.__init__ = _walking_init(out)
    out.__eq__ = _eq
    out.__hash__ = _hash
    out.__repr__ = _repr
    out.__setattr__ = _frozen_setattr
    out.__delattr__ = _frozen_delattr
    out.__getstate__ = _getstate
    out.__setstate__ = _setstate
    return out  # type: ignore[no-any-return]


class _DataclassFields:
    """``__dataclass_fields__``, made when first read: dataclasses processes a stand-in class
    with the same fields, so its functions find its own ``Field`` objects, exactly as they
    would on a dataclass (each class has its own, so a subclass never reads its parent's)."""

    def __init__(self) -> None:
        self.made: dict[str, Any] | None = None

    def __get__(self, obj: object, owner: type) -> dict[str, Any]:
        if self.made is None:
            import dataclasses

            namespace: dict[str, Any] = {"__annotations__": {}, "__module__": owner.__module__}
            for name, f in owner.__record_fields__.items():  # type: ignore[attr-defined]
                namespace["__annotations__"][name] = f.type
                namespace[name] = dataclasses.field(
                    default=dataclasses.MISSING if f.default is MISSING else f.default,
                    default_factory=(
                        dataclasses.MISSING if f.default_factory is MISSING else f.default_factory
                    ),
                    init=f.init,
                    repr=f.repr,
                    compare=f.compare,
                    metadata=f.metadata,
                    kw_only=f.kw_only,
                )
            stand_in = type(owner.__name__, (), namespace)
            stand_in.__doc__ = "-"  # no docstring to write from a signature
            made: Any = dataclasses.dataclass(init=False, repr=False, eq=False)(stand_in)
            self.made = made.__dataclass_fields__
        return self.made


def _signature_doc(name: str, fields: Any, kw_only: bool) -> str:
    """What dataclasses makes a class's docstring when it has none (``inspect.signature`` of
    its ``__init__``), written from the fields."""
    params = []
    for f in fields:
        if not f.init:
            continue
        annotation = (
            repr(f.type) if isinstance(f.type, str) else getattr(f.type, "__name__", f.type)
        )
        if f.default_factory is not MISSING:
            params.append(f"{f.name}: {annotation} = {_FACTORY!r}")
        elif f.default is not MISSING:
            params.append(f"{f.name}: {annotation} = {f.default!r}")
        else:
            params.append(f"{f.name}: {annotation}")
    star = ["*"] if kw_only and params else []
    return f"{name}({', '.join([*star, *params])})"


# --- the shared methods --------------------------------------------------------------------


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


def _frozen_error(message: str) -> Exception:
    """dataclasses' own FrozenInstanceError, so ``except FrozenInstanceError`` still works."""
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(message)


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise _frozen_error(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise _frozen_error(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in type(self).__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(type(self).__record_fields__, state, strict=True):
        object.__setattr__(self, name, value)


# --- __init__ ------------------------------------------------------------------------------


class _Factory:
    """Marks a parameter left to its field's default factory (dataclasses' own sentinel)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _compile_init(cls: type) -> Any:
    """The ``__init__`` dataclasses would write for a frozen, slotted class."""
    names: dict[str, Any] = {"__setattr": object.__setattr__, "__factory": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body = []
    for f in fields(cls):
        default, factory = f"__default_{f.name}", f"__factory_{f.name}"
        params = keyword if f.kw_only else positional
        if f.default_factory is not MISSING:
            names[factory] = f.default_factory
            if f.init:
                params.append(f"{f.name}=__factory")
                value = f"{factory}() if {f.name} is __factory else {f.name}"
            else:
                value = f"{factory}()"
        elif f.default is not MISSING:
            names[default] = f.default
            if f.init:
                params.append(f"{f.name}={default}")
            value = f.name if f.init else default
        elif f.init:
            params.append(f.name)
            value = f.name
        else:
            continue
        body.append(f"  __setattr(self, {f.name!r}, {value})")
    star = ["*", *keyword] if keyword else []
    signature = ", ".join(["self", *positional, *star])
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


def _walking_init(cls: type) -> Any:
    """An ``__init__`` that binds its arguments by walking the class's fields, and steps aside
    for the compiled one after :data:`COMPILE_AFTER` calls.

    Only a call that binds cleanly is walked: anything else (a missing or unknown argument, a
    positional one where none is allowed) is handed to the compiled ``__init__``, so the
    ``TypeError`` is Python's own, word for word.
    """
    rows = tuple(
        (f.name, f.init, f.default, f.default_factory)
        for f in cls.__record_fields__.values()  # type: ignore[attr-defined]
    )
    positional = tuple(
        f.name
        for f in cls.__record_fields__.values()  # type: ignore[attr-defined]
        if f.init and not f.kw_only
    )
    calls = 0
    setattr_ = object.__setattr__
    post_init = hasattr(cls, "__post_init__")

    def compiled() -> Any:
        init = _compile_init(cls)
        type.__setattr__(cls, "__init__", init)
        return init

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > COMPILE_AFTER or len(args) > len(positional):
            return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
        given = kwargs
        if args:
            if not kwargs.keys().isdisjoint(positional[: len(args)]):
                return compiled()(self, *args, **kwargs)  # type: ignore[no-any-return]
            given = {**kwargs, **dict(zip(positional, args, strict=False))}
        taken = 0
        for name, init, default, factory in rows:
            if init and name in given:
                value = given[name]
                taken += 1
            elif factory is not MISSING:
                value = factory()
            elif default is not MISSING:
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
