"""A block-style YAML writer for the plain data the build writes, without importing PyYAML.

Importing PyYAML costs a build ~10 ms (its reader compiles a large Unicode pattern at import)
though a build only writes YAML. This writer covers the shapes the generated files use (dicts
in insertion order, lists, ``str``, ``int``, ``float``, ``bool``, ``None``; multi-line text as
``|`` literals) and writes the bytes PyYAML's safe dumper writes with the options of
:func:`pfm_dash.formats.yaml.dump_yaml`. Anything it is not sure of (another type, a shared
container PyYAML would anchor, text needing double quotes, non-ASCII text, very long lines)
raises :class:`Unsure`, and the caller hands the whole document to PyYAML instead.

The rules follow PyYAML's emitter (``yaml/emitter.py``: ``analyze_scalar``,
``choose_scalar_style``, ``determine_block_hints``) and resolver (``yaml/resolver.py``, the
YAML 1.1 implicit types); tests/formats/test_yaml_writer.py holds the output byte-identical
to PyYAML's on every file the build writes and on the corpus's rule files.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["Unsure", "write_yaml"]


class Unsure(Exception):
    """The data holds something this writer does not promise to write as PyYAML would."""


# Text PyYAML would read back as another type (bool, null, int, float, timestamp, merge,
# value) is quoted. The YAML 1.1 types, as yaml/resolver.py resolves them: the words here, the
# numbers and timestamps in _NUMBER (compiled only when some text could be one).
_BOOLS = ("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE")
_WORDS = frozenset(
    (*_BOOLS, "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "<<", "=")
)
_NUMBER_CHARS = frozenset("0123456789_-+.:eExXabcdefABCDEFinfINFNT tZ")
_NUMBER = r"""(?:
      [-+]?0b[0-1_]+
    | [-+]?0[0-7_]+
    | [-+]?(?:0|[1-9][0-9_]*)
    | [-+]?0x[0-9a-fA-F_]+
    | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    | [-+]?\.(?:inf|Inf|INF)
    | \.(?:nan|NaN|NAN)
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
      (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
      (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    )"""


@functools.cache
def _number() -> re.Pattern[str]:
    return re.compile(_NUMBER, re.X)


def _not_text(text: str) -> bool:
    """Whether PyYAML's resolver reads ``text``, written plain, as something other than text."""
    if text in _WORDS:
        return True
    if text[0] not in "-+.0123456789" or not _NUMBER_CHARS.issuperset(text):
        return False
    return _number().fullmatch(text) is not None


# Printable ASCII and line feeds: other characters PyYAML may escape or treat specially.
_SIMPLE = re.compile(r"[\x20-\x7e\n]*")
_LONGEST = 10_000  # far below the writer's width (100,000), past which PyYAML folds lines


def _plain_allowed(text: str) -> bool:
    """Whether PyYAML writes one line of printable ASCII unquoted in block context."""
    if text[0] == " " or text[-1] == " " or text.startswith(("---", "...")):
        return False
    if text[0] in "#,[]{}&*!|>'\"%@`":
        return False
    if text[0] in "?:-" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or text.endswith(":") or " #" in text:
        return False
    return not _not_text(text)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _line(text: str, key: bool) -> str:
    """One scalar written on its line: plain when PyYAML would, else single-quoted."""
    if len(text) > _LONGEST or not _SIMPLE.fullmatch(text):
        raise Unsure(text[:40])
    if "\n" in text:
        raise Unsure(text[:40])
    if key and not 0 < len(text) <= 100:
        raise Unsure(text[:40])  # long keys are complex keys ("? ..."); libyaml differs on ""
    if text and _plain_allowed(text):
        return text
    return _quoted(text)


def _literal(text: str, indent: int) -> str:
    """Multi-line text as a ``|`` block, when PyYAML would: else :class:`Unsure`."""
    if len(text) > _LONGEST or not _SIMPLE.fullmatch(text):
        raise Unsure(text[:40])
    if text[-1] == " " or " \n" in text or text.endswith("\n\n") or text == "\n":
        raise Unsure(text[:40])  # double quotes, or a "+" block that keeps its breaks
    hints = "2" if text[0] in " \n" else ""
    body = text
    if text.endswith("\n"):
        body = text[:-1]
    else:
        hints += "-"
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    return "|" + hints + "\n" + "\n".join(lines)


def _scalar(value: Any, indent: int) -> str:
    kind = type(value)
    if kind is str:
        return _literal(value, indent) if "\n" in value else _line(value, key=False)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise Unsure(repr(value))
        text = repr(value).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text
    raise Unsure(kind.__name__)


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.seen: set[int] = set()

    def _container(self, value: Any) -> bool:
        """True for a non-empty dict or list (written as a block); PyYAML anchors a shared one."""
        kind = type(value)
        if kind is not dict and kind is not list:
            return False
        if id(value) in self.seen:
            raise Unsure("a container appears twice")
        self.seen.add(id(value))
        return bool(value)

    def _inline(self, value: Any, indent: int) -> str:
        """A value that stays on its key's or dash's line: scalar, ``{}`` or ``[]``."""
        if type(value) is dict:
            return "{}"
        if type(value) is list:
            return "[]"
        return _scalar(value, indent)

    def mapping(self, data: dict[Any, Any], indent: int, first_prefix: str) -> None:
        """Keys at ``indent``; the first key's line starts with ``first_prefix`` ("- " items)."""
        pad = " " * indent
        prefix = first_prefix
        for key, value in data.items():
            if type(key) is not str:
                raise Unsure(type(key).__name__)
            head = f"{prefix}{_line(key, key=True)}:"
            prefix = pad
            if not self._container(value):
                self.out.append(f"{head} {self._inline(value, indent + 2)}\n")
            elif type(value) is dict:
                self.out.append(head + "\n")
                self.mapping(value, indent + 2, " " * (indent + 2))
            else:
                self.out.append(head + "\n")
                self.sequence(value, indent, pad)  # PyYAML does not indent a list in a mapping

    def sequence(self, data: list[Any], indent: int, first_prefix: str) -> None:
        pad = " " * indent
        prefix = first_prefix
        for item in data:
            head = prefix + "- "
            prefix = pad
            if not self._container(item):
                self.out.append(f"{head}{self._inline(item, indent + 2)}\n")
            elif type(item) is dict:
                self.mapping(item, indent + 2, head)
            else:
                self.sequence(item, indent + 2, head)


def write_yaml(data: Any) -> str:
    """``data`` as PyYAML's safe dumper writes it in block style, keys in insertion order."""
    writer = _Writer()
    if type(data) is dict and data:
        writer._container(data)
        writer.mapping(data, 0, "")
    elif type(data) is list and data:
        writer._container(data)
        writer.sequence(data, 0, "")
    elif type(data) in (dict, list):
        return writer._inline(data, 0) + "\n"
    else:
        raise Unsure("a document that is not a mapping or a list")
    return "".join(writer.out)
