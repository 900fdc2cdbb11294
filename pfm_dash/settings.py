"""Typed settings: each ``[tool.pfm-dash…]`` table of pyproject.toml is one frozen record.

A table is a :class:`SettingsTable` subclass written like a dataclass; its fields carry their
type, default and documentation (:func:`setting`); one loader (:func:`load_table`) turns a TOML
table into the record, refusing what the table does not declare: an unknown key (with the
closest known one), a value of the wrong type, a bad duration, a value a field's own check
refuses. Each refusal is one :class:`ConfigError` naming the file,
the table and the key, what is wrong and how to write it, so every table reads and fails alike
and the reference documents every setting from the same declarations (:func:`describe`).

Supported field types: ``str``, ``bool``, ``int``, ``float``, :data:`Duration`, a ``Literal``
of strings, ``tuple[str, ...]`` (a list of strings), ``Mapping[str, tuple[str, ...]]`` (a table
of lists), another settings table (a sub-table), ``Mapping[str, <table>]`` (a table of
sub-tables), and any of these ``| None``. Only the standard library is imported: every command
reads its settings before anything else.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pfm_dash.errors import ConfigError

__all__ = [
    "Duration",
    "Setting",
    "SettingsTable",
    "describe",
    "duration_problem",
    "load_table",
    "setting",
    "table_error",
]


class _DurationMark:
    """Marks a string field as a Prometheus duration (see :data:`Duration`)."""


# A Prometheus duration ("30s", "1h30m"): a string the loader checks as Prometheus would.
Duration = Annotated[str, _DurationMark]
# prometheus/common model.ParseDuration: units largest first, each at most once, integers only.
_DURATION = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
PYPROJECT = "pyproject.toml"


def duration_problem(value: str) -> str:
    """What Prometheus says of a duration it cannot parse, or ''."""
    if value == "":
        return "empty duration string"
    if value == "0" or _DURATION.match(value):
        return ""
    return f"not a valid duration string: {value!r}"


class Setting:
    """One field of a settings table: its default, meaning, own check and example."""

    __slots__ = ("check", "default", "doc", "example")

    def __init__(
        self, default: Any, doc: str, check: Callable[[Any], str] | None, example: str
    ) -> None:
        self.default = default
        self.doc = doc
        self.check = check
        self.example = example

    def fresh(self) -> Any:
        """The default; a new one where it is a table (a mapping or a sub-table)."""
        if isinstance(self.default, dict):
            return dict(self.default)
        if isinstance(self.default, SettingsTable):
            return type(self.default)()
        return self.default


def setting(
    *,
    default: Any,
    doc: str,
    check: Callable[[Any], str] | None = None,
    example: str = "",
) -> Any:
    """A field of a settings table: its default, what it means (for the reference), an extra
    ``check`` (value -> problem, '' when fine) and an ``example`` shown when a value is wrong."""
    return Setting(default, doc, check, example)


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(setting,))
class SettingsTable:
    """Base of a settings table: a frozen, keyword-only record of its :func:`setting` fields.

    Written by hand rather than with ``dataclasses``: every command reads its settings first,
    and generating each table's methods would cost more start-up than the whole loader.
    """

    # The keys' spelling in TOML: "snake" (``group_by``) or "kebab" (``dashboards-path``).
    KEY_STYLE: ClassVar[str] = "snake"
    # Keys refused with a reason of their own (e.g. credentials in a committed file).
    REFUSED: ClassVar[Mapping[str, str]] = {}
    # Attribute name -> its declaration, in order (inherited ones first).
    SETTINGS: ClassVar[dict[str, Setting]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found = dict(cls.SETTINGS)
        # The class's own annotations, as inspect.get_annotations reads them, without
        # importing inspect (and ast, dis, tokenize) into every build.
        for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063
            spec = cls.__dict__.get(name)
            if isinstance(spec, Setting):
                found[name] = spec
                delattr(cls, name)  # an instance holds the value, never the class
        cls.SETTINGS = found

    def __init__(self, **values: Any) -> None:
        specs = self.SETTINGS
        for name in values:
            if name not in specs:
                raise TypeError(f"{type(self).__name__} has no setting {name!r}")
        for name, spec in specs.items():
            object.__setattr__(self, name, values[name] if name in values else spec.fresh())

    def values(self) -> tuple[Any, ...]:
        """Every setting's value, in declaration order."""
        return tuple(getattr(self, name) for name in self.SETTINGS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, SettingsTable)
        return self.values() == other.values()

    def __hash__(self) -> int:
        return hash((type(self), self.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.SETTINGS)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def invalid(self) -> str:
        """A problem across fields ('' when none): checked once the table is loaded."""
        return ""


T = TypeVar("T", bound=SettingsTable)


def key_of(cls: type, name: str) -> str:
    """The TOML spelling of field ``name``."""
    style = getattr(cls, "KEY_STYLE", "snake")
    return name.replace("_", "-") if style == "kebab" else name


def table_error(table: str, key: str, problem: str, source: str = PYPROJECT) -> ConfigError:
    """``pyproject.toml: [tool.pfm-dash.T] key: problem``: the one shape of a settings error."""
    where = f"[tool.pfm-dash.{table}]" if table else "[tool.pfm-dash]"
    return ConfigError(f"{source}: {where} {key + ': ' if key else ''}{problem}")


_FIELDS: dict[type, dict[str, tuple[str, Setting, Any]]] = {}


def _fields(cls: type[SettingsTable]) -> dict[str, tuple[str, Setting, Any]]:
    """TOML key -> (attribute, declaration, resolved type), in declaration order."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        found = {key_of(cls, n): (n, spec, hints[n]) for n, spec in cls.SETTINGS.items()}
        _FIELDS[cls] = found
    return found


def _is_duration(kind: Any) -> bool:
    return typing.get_origin(kind) is Annotated and _DurationMark in kind.__metadata__


def _optional(kind: Any) -> Any:
    """``X | None`` -> X; anything else unchanged."""
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        rest = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return kind


def _is_table(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, SettingsTable)


def type_name(kind: Any) -> str:
    """What a value of ``kind`` is, in the words of a TOML user."""
    kind = _optional(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if _is_duration(kind):
        return "a Prometheus duration such as 30s, 5m or 1h30m"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is tuple:
        return "a list of strings"
    if origin in (Mapping, dict):
        if _is_table(args[1]):
            return "a table of named tables"
        return 'a table of name = ["..."] lists'
    if _is_table(kind):
        return "a table"
    names = {str: "a string", bool: "true or false", int: "an integer", float: "a number"}
    return names.get(kind, str(kind))


def _toml(value: Any) -> str:
    """``value`` written as TOML (for the reference and for hints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)


class _Where:
    """Where a value sits: its table's header and its key below that header."""

    __slots__ = ("key", "source", "table")

    def __init__(self, table: str, key: str, source: str) -> None:
        self.table = table
        self.key = key
        self.source = source

    def below(self, key: str) -> _Where:
        return _Where(self.table, f"{self.key}.{key}" if self.key else key, self.source)

    def fail(self, problem: str) -> ConfigError:
        return table_error(self.table, self.key, problem, self.source)


def _convert(kind: Any, value: Any, where: _Where) -> Any:
    """``value`` as ``kind``, or the ConfigError saying what is wrong and where."""
    kind = _optional(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if _is_table(kind):
        # A sub-table has a header of its own: [tool.pfm-dash.grafana], not grafana.url.
        table = f"{where.table}.{where.key}" if where.table else where.key
        return _load(kind, value, _Where(table, "", where.source))
    if origin in (Mapping, dict):
        if not isinstance(value, Mapping):
            raise where.fail(f"must be {type_name(kind)}, not {_toml(value)}")
        return {str(k): _convert(args[1], v, where.below(str(k))) for k, v in value.items()}
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise where.fail(f"must be a list of strings, not {_toml(value)}")
        return tuple(value)
    if origin is Literal:
        if value not in args:
            raise where.fail(f"must be {type_name(kind)}, not {_toml(value)}")
        return value
    if _is_duration(kind):
        problem = duration_problem(value) if isinstance(value, str) else "not a string"
        if problem:
            raise where.fail(f"{problem}; write {type_name(kind)}")
        return value
    # bool is an int to Python, never to a TOML reader; an integer is a fine float.
    ok = (
        isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is not float
        else isinstance(value, int | float) and not isinstance(value, bool)
    )
    if not ok:
        raise where.fail(f"must be {type_name(kind)}, not {_toml(value)}")
    return float(value) if kind is float else value


def _load(cls: type[T], raw: Any, where: _Where) -> T:
    """One table (and its sub-tables) as ``cls``."""
    if not isinstance(raw, Mapping):
        raise where.fail(f"must be a table, not {_toml(raw)}")
    fields = _fields(cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        at = where.below(str(key))
        refused = getattr(cls, "REFUSED", {}).get(key)
        if refused:
            raise at.fail(refused)
        if key not in fields:
            raise where.fail(_unknown(str(key), fields))
        name, spec, kind = fields[key]
        converted = _convert(kind, value, at)
        problem = spec.check(converted) if spec.check else ""
        if problem:
            example = spec.example
            raise at.fail(problem + (f"; e.g. {key} = {example}" if example else ""))
        values[name] = converted
    out = cls(**values)
    problem = out.invalid()
    if problem:
        raise where.fail(problem)
    return out


def _unknown(key: str, fields: Mapping[str, Any]) -> str:
    import difflib

    tables = [k for k, (_, _, kind) in fields.items() if _is_table(_optional(kind))]
    what = "key or table" if tables else "key"
    close = difflib.get_close_matches(key, list(fields), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = ", ".join(f"[{k}]" if k in tables else k for k in fields)
    return f"has no {what} {key!r}{hint} (known: {known})"


def load_table(cls: type[T], raw: Any, table: str, source: str = PYPROJECT) -> T:
    """``[tool.pfm-dash.<table>]`` (``raw``: its TOML data, None when absent) as ``cls``.

    Raises :class:`ConfigError` naming ``source`` (the pyproject.toml), the table and key.
    """
    return cls() if raw is None else _load(cls, raw, _Where(table, "", source))


def describe(cls: type[SettingsTable], table: str) -> list[str]:
    """The reference for one table: a Markdown table of its keys, types, defaults and docs."""
    lines = [f"### `[tool.pfm-dash{'.' + table if table else ''}]`", ""]
    doc = " ".join((cls.__doc__ or "").split("\n\n")[0].split())
    if doc:
        lines += [doc, ""]
    lines += ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    subtables: list[tuple[type[SettingsTable], str]] = []
    for key, (_, spec, kind) in _fields(cls).items():
        inner = _optional(kind)
        if _is_table(inner):
            subtables.append((inner, f"{table}.{key}" if table else key))
            continue
        if typing.get_origin(inner) in (Mapping, dict) and _is_table(typing.get_args(inner)[1]):
            subtables.append((typing.get_args(inner)[1], f"{table}.{key}.<name>"))
        default = spec.default
        shown = "none" if default in (None, "", (), {}) else f"`{_toml(default)}`"
        meaning = " ".join(spec.doc.split())
        lines.append(f"| `{key}` | {type_name(kind)} | {shown} | {meaning} |")
    lines.append("")
    for sub, name in subtables:
        lines += describe(sub, name)
    return lines
