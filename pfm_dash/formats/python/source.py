"""Model values as idiomatic Python source, formatted as ``ruff format`` would leave it.

Shared by the writers of :mod:`pfm_dash.formats.python` (dashboards, rule groups). The API:

- :class:`Imports` collects ``from module import Name`` lines and renders them sorted;
- :class:`Names` turns titles into unique Python identifiers (``"CPU usage"`` -> ``cpu_usage``,
  a second one ``cpu_usage_2``);
- :func:`value` turns a model value (a declaration, an enum member, a list, JSON) into a
  :class:`Node`: a declaration becomes a call with only its non-default keyword arguments, an
  enum member ``Unit.SECONDS`` (a plain string where the field's type offers an enum member
  with that value too), and an object listed in ``refs`` the name of its variable;
- :func:`render` lays a node out: on one line when it fits in :data:`LINE_LENGTH`, otherwise
  one item per line with a trailing comma (the "magic trailing comma" that keeps ``ruff
  format`` from joining it again), long strings split into implicitly concatenated pieces so
  ``ruff check``'s line-length rule passes too;
- :func:`module` puts a docstring, the imports and the statements together.

Strings are written with the quotes ruff prefers and non-ASCII characters escaped, since
ruff's ``RUF001`` refuses characters that look like ASCII ones.
"""

from __future__ import annotations

import builtins
import dataclasses
import enum
import functools
import keyword
import re
import textwrap
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "LINE_LENGTH",
    "Call",
    "Imports",
    "Names",
    "Node",
    "Raw",
    "Seq",
    "Str",
    "assignment",
    "module",
    "render",
    "value",
]

LINE_LENGTH = 100
INDENT = "    "

# --- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """Source text written as is: a name, a number, ``None``."""

    text: str


@dataclass(frozen=True)
class Str:
    """A string literal; split into pieces when it does not fit its line."""

    value: str


@dataclass(frozen=True)
class Call:
    """``func(arg, key=value, ...)``: ``args`` pairs a keyword (or None) with its value."""

    func: str
    args: tuple[tuple[str | None, Node], ...]


@dataclass(frozen=True)
class Seq:
    """A list or dict display; dict items are ``(key, value)`` pairs of nodes."""

    open: str
    close: str
    items: tuple[Node | tuple[Node, Node], ...]


Node = Raw | Str | Call | Seq


# --- strings -------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote_char(text: str) -> str:
    """ruff's choice: double quotes unless the text holds more double quotes than single."""
    return "'" if text.count('"') > text.count("'") else '"'


def _escape_char(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def _escape(text: str, quote: str) -> str:
    out = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    if out.isascii() and out.isprintable():
        return out
    return _UNPRINTABLE.sub(lambda m: _escape_char(m.group()), out)


def string_literal(text: str, quote: str | None = None) -> str:
    """``text`` as a Python string literal with the quotes ruff prefers."""
    quote = quote or _quote_char(text)
    return quote + _escape(text, quote) + quote


def _cost(char: str) -> int:
    """Characters ``char`` takes in a literal, counting a quote as escaped."""
    if " " <= char <= "~":
        return 2 if char in "\\\"'" else 1
    return len(_escape_char(char))


def _pieces(text: str, width: int) -> list[str]:
    """``text`` cut into literals that fit ``width``: after a newline, a space or punctuation.

    Each piece gets its own quotes, as ``ruff format`` normalises each part of an implicit
    concatenation on its own; sizes count every quote as escaped, so any choice fits.
    """
    pieces: list[str] = []
    start = 0
    while start < len(text):
        if len(string_literal(text[start:])) <= width:
            pieces.append(text[start:])
            break
        # The longest run from ``start`` whose literal fits, then back off to a natural break.
        used, end = 2, start
        while end < len(text):
            used += _cost(text[end])
            if used > width:
                break
            end += 1
        end = max(end, start + 1)
        cut = end
        if end < len(text):
            floor = start + (end - start) // 3
            for breaks in ("\n", " ", ",)}]", "=|+-*/"):
                at = max(text.rfind(char, start, end) for char in breaks)
                if at >= floor:
                    cut = at + 1
                    break
        pieces.append(text[start:cut])
        start = cut
    return [string_literal(p) for p in pieces]


# --- layout --------------------------------------------------------------------------------


def flat(node: Node, cache: dict[int, str] | None = None) -> str:
    """The node on one line (``cache`` keeps each node's text while one tree is rendered)."""
    if cache is not None and id(node) in cache:
        return cache[id(node)]
    if isinstance(node, Raw):
        text = node.text
    elif isinstance(node, Str):
        text = string_literal(node.value)
    elif isinstance(node, Call):
        text = f"{node.func}({', '.join(_arg(k, flat(v, cache)) for k, v in node.args)})"
    else:
        items = [
            f"{flat(i[0], cache)}: {flat(i[1], cache)}" if isinstance(i, tuple) else flat(i, cache)
            for i in node.items
        ]
        text = f"{node.open}{', '.join(items)}{node.close}"
    if cache is not None:
        cache[id(node)] = text
    return text


def _arg(key: str | None, text: str) -> str:
    return text if key is None else f"{key}={text}"


def render(
    node: Node,
    indent: int = 0,
    prefix: int = 0,
    suffix: int = 0,
    cache: dict[int, str] | None = None,
) -> str:
    """The node's source at ``indent`` levels, its first line after ``prefix`` characters.

    ``suffix`` counts what follows on the last line (a ``,``). Continuation lines carry their
    own indentation; the first line does not.
    """
    cache = {} if cache is None else cache
    one_line = flat(node, cache)
    pad = len(INDENT) * indent
    if pad + prefix + len(one_line) + suffix <= LINE_LENGTH or isinstance(node, Raw):
        return one_line
    inner = INDENT * (indent + 1)
    if isinstance(node, Str):
        pieces = _pieces(node.value, LINE_LENGTH - len(inner))
        if len(pieces) == 1 and len(inner) + len(pieces[0]) > LINE_LENGTH:
            return one_line  # one unbreakable piece: nothing better to do
        # One piece that fits on a line of its own stays in parentheses (as ruff leaves it).
        return "(\n" + "".join(f"{inner}{p}\n" for p in pieces) + INDENT * indent + ")"
    lines: list[str] = []
    if isinstance(node, Call):
        opening, closing = f"{node.func}(", ")"
        for key, child in node.args:
            head = "" if key is None else f"{key}="
            lines.append(inner + head + render(child, indent + 1, len(head), 1, cache) + ",")
    else:
        opening, closing = node.open, node.close
        for item in node.items:
            if isinstance(item, tuple):
                head = flat(item[0], cache) + ": "
                lines.append(inner + head + render(item[1], indent + 1, len(head), 1, cache) + ",")
            else:
                lines.append(inner + render(item, indent + 1, 0, 1, cache) + ",")
    if not lines:
        return one_line
    return opening + "\n" + "\n".join(lines) + "\n" + INDENT * indent + closing


def assignment(name: str, node: Node) -> str:
    """``name = <node>`` as a top-level statement."""
    head = f"{name} = "
    return head + render(node, 0, len(head))


# --- imports and names ---------------------------------------------------------------------


class Imports:
    """``from module import Name`` lines, collected as values are rendered."""

    def __init__(self) -> None:
        self._names: dict[str, set[str]] = {}

    def add(self, module: str, name: str) -> str:
        """Import ``name`` from ``module``; returns the name to write."""
        self._names.setdefault(module, set()).add(name)
        return name

    def __contains__(self, name: object) -> bool:
        return any(name in names for names in self._names.values())

    def render(self) -> str:
        """The import lines as ruff's isort orders and wraps them."""
        lines: list[str] = []
        for module_name in sorted(self._names):
            names = sorted(self._names[module_name], key=_isort_key)
            head = f"from {module_name} import "
            line = head + ", ".join(names)
            if len(line) <= LINE_LENGTH:
                lines.append(line)
            else:
                body = "".join(f"{INDENT}{n},\n" for n in names)
                lines.append(f"{head}(\n{body})")
        return "\n".join(lines)


def _isort_key(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then functions and variables."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


class Names:
    """Unique identifiers made from titles: snake case, never a keyword or builtin."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)

    def reserve(self, name: str) -> None:
        self.taken.add(name)

    def make(self, text: str, fallback: str = "item") -> str:
        """``"Request rate (p95)"`` -> ``request_rate_p95``; a taken name gets ``_2``, ``_3``."""
        base = re.sub(r"[^0-9a-z]+", "_", _ascii(text).lower()).strip("_") or fallback
        if base[0].isdigit():
            base = f"{fallback}_{base}"
        if keyword.iskeyword(base) or keyword.issoftkeyword(base) or hasattr(builtins, base):
            base = f"{base}_{fallback}"
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --- values --------------------------------------------------------------------------------

# Classes the public package exports are imported from it (what users write); anything else
# from the module that defines it.
PUBLIC_PACKAGE = "pfm_dash"


@functools.cache
def _public_names() -> frozenset[str]:
    import pfm_dash.model as model

    return frozenset(model.__all__)


# A class whose values read better through one of its constructors: name -> how.
Factory = Callable[[Any, "Imports"], "Node | None"]
FACTORIES: dict[str, Factory] = {}


def _import_class(cls: type, imports: Imports) -> str:
    module_name = PUBLIC_PACKAGE if cls.__name__ in _public_names() else cls.__module__
    return imports.add(module_name, cls.__name__)


@dataclass
class _Hints:
    hints: dict[str, Any]
    fields: tuple[dataclasses.Field[Any], ...]


_HINTS: dict[type, _Hints] = {}


def _hints(cls: type) -> _Hints:
    found = _HINTS.get(cls)
    if found is None:
        fields = tuple(f for f in dataclasses.fields(cls) if f.init and f.name != "location")
        found = _Hints(typing.get_type_hints(cls), fields)
        _HINTS[cls] = found
    return found


def _enums_in(hint: Any) -> list[type[enum.Enum]]:
    """The enum classes a type hint admits, at any depth (``Unit | None``, ``Sequence[Reduce]``)."""
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return [hint]
    return [e for arg in typing.get_args(hint) for e in _enums_in(arg)]


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _is_default(current: Any, default: Any) -> bool:
    """Whether a field holds its default (a tuple equals the same list, an enum its value)."""
    if default is dataclasses.MISSING:
        return False
    if isinstance(current, list | tuple) and isinstance(default, list | tuple):
        return list(current) == list(default)
    try:
        return bool(current == default)
    except Exception:  # a value whose == raises is not a default
        return False


# Written after the other arguments, in this order, as people write them: raw JSON below the
# typed fields, and the contents (a dashboard's panels, a group's rules) last of all.
LAST_FIELDS = ("extra", "panels", "rules")


def _field_order(field: dataclasses.Field[Any]) -> int:
    return LAST_FIELDS.index(field.name) + 1 if field.name in LAST_FIELDS else 0


def declaration(obj: Any, imports: Imports, refs: Mapping[int, str] | None = None) -> Call:
    """A DSL object as a call with only the keyword arguments that differ from the defaults."""
    cls = type(obj)
    info = _hints(cls)
    args: list[tuple[str | None, Node]] = []
    for field in sorted(info.fields, key=_field_order):
        current = getattr(obj, field.name)
        if _is_default(current, _default(field)):
            continue
        args.append((field.name, value(current, imports, refs, hint=info.hints.get(field.name))))
    return Call(_import_class(cls, imports), tuple(args))


def value(
    obj: Any, imports: Imports, refs: Mapping[int, str] | None = None, *, hint: Any = None
) -> Node:
    """A model value as a node: declarations, enums, sequences, mappings and JSON scalars."""
    if refs and id(obj) in refs:
        return Raw(refs[id(obj)])
    if obj is None or isinstance(obj, bool):
        return Raw(repr(obj))
    if isinstance(obj, enum.Enum):
        return Raw(f"{_import_class(type(obj), imports)}.{obj.name}")
    if isinstance(obj, str):
        for enum_cls in _enums_in(hint):
            member = enum_cls._value2member_map_.get(obj)
            if member is not None:
                return value(member, imports)
        return Str(obj)
    if isinstance(obj, int | float):
        return Raw(_number(obj))
    factory = FACTORIES.get(type(obj).__name__)
    if factory is not None:
        made = factory(obj, imports)
        if made is not None:
            return made
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return declaration(obj, imports, refs)
    item_hint = _item_hint(hint)
    if isinstance(obj, Mapping):
        pairs = tuple(
            (value(k, imports), value(v, imports, refs, hint=item_hint)) for k, v in obj.items()
        )
        return Seq("{", "}", pairs)
    if isinstance(obj, list | tuple):
        return Seq("[", "]", tuple(value(v, imports, refs, hint=item_hint) for v in obj))
    raise TypeError(f"cannot write {type(obj).__name__} values as Python source")


def _item_hint(hint: Any) -> Any:
    """The hint of a container's items (the value type for a mapping)."""
    for arg in (hint, *typing.get_args(hint)):
        args = typing.get_args(arg)
        origin = typing.get_origin(arg)
        if origin is None or origin is typing.Union or origin is types.UnionType or not args:
            continue
        return args[-1]
    return None


def _number(number: int | float) -> str:
    if isinstance(number, int):
        return str(number)
    if number != number or number in (float("inf"), float("-inf")):
        raise TypeError(f"{number} has no Python literal")
    return repr(number)


def _custom_unit(obj: Any, imports: Imports) -> Node | None:
    """``CustomUnit.suffix("req")`` rather than ``CustomUnit(kind="suffix", text="req")``."""
    kind, text = getattr(obj, "kind", None), getattr(obj, "text", None)
    if not isinstance(kind, str) or not isinstance(text, str) or kind == "bool":
        return None
    if not callable(getattr(type(obj), kind, None)):
        return None
    return Call(f"{_import_class(type(obj), imports)}.{kind}", ((None, Str(text)),))


FACTORIES["CustomUnit"] = _custom_unit


# --- modules -------------------------------------------------------------------------------


def docstring(text: str) -> str:
    """A module docstring of ASCII text, wrapped to the line length."""
    clean = _ascii(text).replace("\\", "/").replace('"""', "'''").strip()
    paragraphs = [
        textwrap.fill(
            " ".join(p.split()), LINE_LENGTH - 3, break_on_hyphens=False, break_long_words=False
        )
        for p in clean.split("\n\n")
        if p
    ]
    body = "\n\n".join(paragraphs) or "Generated by pfm-dash."
    if body.endswith('"'):
        body += "."
    closing = '"""' if "\n" not in body and len(body) + 6 <= LINE_LENGTH else '\n"""'
    return f'"""{body}{closing}'


def module(doc: str, imports: Imports, statements: Iterable[str]) -> str:
    """A whole module: docstring, imports, then the statements a blank line apart."""
    parts = [docstring(doc), imports.render(), *statements]
    return "\n\n".join(p for p in parts if p) + "\n"
