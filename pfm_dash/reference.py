"""docs/reference.md, generated from the model so the reference cannot drift from the DSL.

    python -m pfm_dash.reference > docs/reference.md     # what `make reference` runs

Every name ``from pfm_dash import ...`` offers is listed: each declaration with its fields,
their types and defaults (from the dataclass itself), and each enum with its members; then
every ``[tool.pfm-dash…]`` setting, from the settings dataclasses of :mod:`pfm_dash.config`. A
test regenerates the text and compares it with the committed file.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import sys
import types
import typing
from typing import Any

HEADER = """\
# DSL reference

Generated from `pfm_dash.model` and `pfm_dash.config` by `python -m pfm_dash.reference`
(`make reference`); a test fails when this file is stale. Every name here is imported with
`from pfm_dash import NAME`. Declarations are frozen, keyword-only dataclasses: write
`Stat(title="Up", unit=Unit.NONE)`. Types are checked when a declaration is made, and a mistake
names the file and line.
"""


def _first_paragraph(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _type_name(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    text = str(text or annotation)
    text = re.sub(r"\b(?:typing|collections\.abc|pfm_dash\.[\w.]+)\.", "", text)
    return text.replace(" | ", " \\| ")


def _default(field: dataclasses.Field[Any]) -> str:
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "required"
    return f"`{_value(value)}`"


def _value(value: object) -> str:
    """A default as a user would write it: ``Unit.SECONDS``, ``(Reduce.LAST, Reduce.MAX)``."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if dataclasses.is_dataclass(value):
        return f"{type(value).__name__}()"
    if isinstance(value, tuple):
        inner = ", ".join(_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def _declaration(cls: type) -> list[str]:
    lines = [f"### `{cls.__name__}`", ""]
    about = _first_paragraph(cls)
    if about:
        lines += [about, ""]
    fields = [f for f in dataclasses.fields(cls) if f.init and f.name != "location"]
    if fields:
        lines += ["| field | type | default |", "| --- | --- | --- |"]
        lines += [f"| `{f.name}` | {_type_name(f.type)} | {_default(f)} |" for f in fields]
        lines.append("")
    return lines


def _enumeration(cls: type[enum.Enum]) -> list[str]:
    lines = [f"### `{cls.__name__}`", ""]
    about = _first_paragraph(cls)
    if about and about != _first_paragraph(enum.Enum):
        lines += [about, ""]
    members = ", ".join(f"`{m.name}` ({m.value!r})" for m in cls)
    return [*lines, members, ""]


def _other(obj: object) -> str:
    """A type alias (``Rule = AlertRule | RecordingRule``) or a function, in one line."""
    if isinstance(obj, types.UnionType):
        return "one of " + ", ".join(f"`{a.__name__}`" for a in typing.get_args(obj))
    return _first_paragraph(obj)


def render() -> str:
    """The whole reference, deterministic (names sorted within each part)."""
    import pfm_dash.model as model

    names = sorted(model.__all__)
    objects = [(name, getattr(model, name)) for name in names]
    declarations = [o for _, o in objects if inspect.isclass(o) and dataclasses.is_dataclass(o)]
    enums = [o for _, o in objects if inspect.isclass(o) and issubclass(o, enum.Enum)]
    others = [
        name for name, o in objects if not (inspect.isclass(o) and (o in declarations + enums))
    ]
    out = [HEADER, "## Declarations", ""]
    for cls in declarations:
        out += _declaration(cls)
    out += ["## Vocabularies (enums)", ""]
    for vocabulary in enums:
        out += _enumeration(vocabulary)
    if others:
        out += ["## Other names", ""]
        out += [f"- `{name}`: {_other(getattr(model, name))}" for name in others]
        out.append("")
    out += _settings()
    return "\n".join(out).rstrip("\n") + "\n"


def _settings() -> list[str]:
    """Every key of every ``[tool.pfm-dash…]`` table of pyproject.toml."""
    from pfm_dash.config import ToolSettings
    from pfm_dash.settings import describe

    intro = (
        "Set in the project's `pyproject.toml`. A key or table not listed here, a value of the "
        "wrong type or a bad duration is an error naming the table and key."
    )
    return ["## Settings (`pyproject.toml`)", "", intro, "", *describe(ToolSettings, "")]


if __name__ == "__main__":
    sys.stdout.write(render())
