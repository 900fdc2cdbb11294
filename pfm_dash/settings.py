"""Typed settings: each ``[tool.pfm-dash…]`` table of pyproject.toml is one frozen dataclass.

A table's fields carry their type, default and documentation (:func:`setting`); one loader
(:func:`load_table`) turns a TOML table into the dataclass, refusing what the dataclass does not
declare: an unknown key (with the closest known one), a value of the wrong type, a bad duration,
a value a field's own check refuses. Each refusal is one :class:`ConfigError` naming the file,
the table and the key, what is wrong and how to write it, so every table reads and fails alike
and the reference documents every setting from the same declarations (:func:`describe`).

Supported field types: ``str``, ``bool``, ``int``, ``float``, :data:`Duration`, a ``Literal``
of strings, ``tuple[str, ...]`` (a list of strings), ``Mapping[str, tuple[str, ...]]`` (a table
of lists), another settings dataclass (a sub-table), ``Mapping[str, <dataclass>]`` (a table of
sub-tables), and any of these ``| None``. Only the standard library is imported: every command
reads its settings before anything else.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pfm_dash.errors import ConfigError

__all__ = [
    "Duration",
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


class SettingsTable:
    """Base of a settings dataclass: how its keys are spelt, and a check across fields."""

    # The keys' spelling in TOML: "snake" (``group_by``) or "kebab" (``dashboards-path``).
    KEY_STYLE: ClassVar[str] = "snake"
    # Keys refused with a reason of their own (e.g. credentials in a committed file).
    REFUSED: ClassVar[Mapping[str, str]] = {}

    def invalid(self) -> str:
        """A problem across fields ('' when none): checked once the table is loaded."""
        return ""


T = TypeVar("T", bound=SettingsTable)


def setting(
    default: Any,
    doc: str,
    *,
    check: Callable[[Any], str] | None = None,
    example: str = "",
) -> Any:
    """A field of a settings table: its default, what it means (for the reference), an extra
    ``check`` (value -> problem, '' when fine) and an ``example`` shown when a value is wrong."""
    metadata = {"doc": doc, "check": check, "example": example}
    if isinstance(default, dict):
        return dataclasses.field(default_factory=dict, metadata=metadata)
    if dataclasses.is_dataclass(default) and isinstance(default, SettingsTable):
        factory = type(default)
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def key_of(cls: type, name: str) -> str:
    """The TOML spelling of field ``name``."""
    style = getattr(cls, "KEY_STYLE", "snake")
    return name.replace("_", "-") if style == "kebab" else name


def table_error(table: str, key: str, problem: str, source: str = PYPROJECT) -> ConfigError:
    """``pyproject.toml: [tool.pfm-dash.T] key: problem``: the one shape of a settings error."""
    where = f"[tool.pfm-dash.{table}]" if table else "[tool.pfm-dash]"
    return ConfigError(f"{source}: {where} {key + ': ' if key else ''}{problem}")


@functools.cache
def _fields(cls: type) -> dict[str, tuple[dataclasses.Field[Any], Any]]:
    """TOML key -> (field, resolved type), in declaration order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return {key_of(cls, f.name): (f, hints[f.name]) for f in dataclasses.fields(cls) if f.init}


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
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


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


@dataclasses.dataclass(frozen=True)
class _Where:
    """Where a value sits: its table's header and its key below that header."""

    table: str
    key: str
    source: str

    def below(self, key: str) -> _Where:
        return dataclasses.replace(self, key=f"{self.key}.{key}" if self.key else key)

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
    fields = _fields(typing.cast(type, cls))
    values: dict[str, Any] = {}
    for key, value in raw.items():
        at = where.below(str(key))
        refused = getattr(cls, "REFUSED", {}).get(key)
        if refused:
            raise at.fail(refused)
        if key not in fields:
            raise where.fail(_unknown(str(key), fields))
        spec, kind = fields[key]
        converted = _convert(kind, value, at)
        check = spec.metadata.get("check")
        problem = check(converted) if check else ""
        if problem:
            example = spec.metadata.get("example")
            raise at.fail(problem + (f"; e.g. {key} = {example}" if example else ""))
        values[spec.name] = converted
    out = cls(**values)
    problem = out.invalid() if isinstance(out, SettingsTable) else ""
    if problem:
        raise where.fail(problem)
    return out


def _unknown(key: str, fields: Mapping[str, Any]) -> str:
    import difflib

    tables = [k for k, (_, kind) in fields.items() if _is_table(_optional(kind))]
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


def describe(cls: type, table: str) -> list[str]:
    """The reference for one table: a Markdown table of its keys, types, defaults and docs."""
    lines = [f"### `[tool.pfm-dash{'.' + table if table else ''}]`", ""]
    doc = " ".join((cls.__doc__ or "").split("\n\n")[0].split())
    if doc:
        lines += [doc, ""]
    lines += ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    subtables: list[tuple[type, str]] = []
    for key, (spec, kind) in _fields(cls).items():
        inner = _optional(kind)
        if _is_table(inner):
            subtables.append((inner, f"{table}.{key}" if table else key))
            continue
        if typing.get_origin(inner) in (Mapping, dict) and _is_table(typing.get_args(inner)[1]):
            subtables.append((typing.get_args(inner)[1], f"{table}.{key}.<name>"))
        if spec.default is not dataclasses.MISSING:
            default = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            default = spec.default_factory()
        else:
            default = None
        shown = "none" if default in (None, "", (), {}) else f"`{_toml(default)}`"
        meaning = " ".join(str(spec.metadata.get("doc", "")).split())
        lines.append(f"| `{key}` | {type_name(kind)} | {shown} | {meaning} |")
    lines.append("")
    for sub, name in subtables:
        lines += describe(sub, name)
    return lines
