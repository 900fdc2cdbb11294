"""The shared source helpers: names, literals, imports and layout as ruff leaves them."""

from __future__ import annotations

import ast
import typing
from dataclasses import field

from pfm_dash import Color, Step, Unit
from pfm_dash.formats.python.source import (
    Imports,
    Names,
    assignment,
    docstring,
    render,
    string_literal,
    value,
)
from pfm_dash.model.base import declaration


@declaration
class Sample:
    """A declaration shaped like the model's: required, defaulted and factory fields."""

    name: str
    unit: Unit | None = None
    colors: tuple[Color | str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


def test_names_are_snake_case_unique_and_never_keywords_or_builtins() -> None:
    names = Names(["dashboard"])
    assert names.make("CPU Usage (p95)") == "cpu_usage_p95"
    assert names.make("CPU usage p95") == "cpu_usage_p95_2"
    assert names.make("Dashboard") == "dashboard_2"
    assert names.make("class", "panel") == "class_panel"
    assert names.make("Max", "panel") == "max_panel"
    assert names.make("5xx rate", "panel") == "panel_5xx_rate"
    assert names.make("\u2013✓\u2013", "panel") == "panel"
    assert names.make("Über größe") == "uber_groe"


def test_string_literals_use_ruffs_quotes_and_escape_non_ascii() -> None:
    assert string_literal("plain") == '"plain"'
    assert string_literal('up{job="a"}') == "'up{job=\"a\"}'"
    assert string_literal('it\'s "x"') == "'it\\'s \"x\"'"  # fewer escapes wins
    assert string_literal("a\nb\\c \u2013 ✓") == '"a\\nb\\\\c \\u2013 \\u2713"'
    for text in ("plain", 'up{job="a"}', 'it\'s "x"', "a\nb\\c \u2013 ✓ 𝄞\t\x01"):
        assert ast.literal_eval(string_literal(text)) == text


def test_a_declaration_keeps_only_non_default_arguments_and_enums() -> None:
    imports = Imports()
    node = value(Sample(name="n", unit=Unit.SECONDS, colors=(Color.RED, "#fff")), imports)
    assert render(node) == 'Sample(name="n", unit=Unit.SECONDS, colors=[Color.RED, "#fff"])'
    assert render(value(Sample(name="n"), imports)) == 'Sample(name="n")'
    assert "Unit" in imports and "Color" in imports


def test_a_string_becomes_the_enum_member_its_field_offers() -> None:
    imports = Imports()
    # Step.color is ``Color | str``: "green" is Color.GREEN, a hex code stays a string.
    hint = typing.get_type_hints(Step)["color"]
    assert render(value("green", imports, hint=hint)) == "Color.GREEN"
    assert render(value("#00ff00", imports, hint=hint)) == '"#00ff00"'


def test_long_values_explode_one_per_line_with_a_trailing_comma() -> None:
    imports = Imports()
    extra = {f"key{i}": [i, "x" * 10] for i in range(8)}
    text = assignment("sample", value(Sample(name="n", extra=extra), imports))
    lines = text.splitlines()
    assert lines[0] == "sample = Sample("
    assert lines[1] == '    name="n",'
    assert lines[2] == "    extra={"
    assert lines[-1] == ")" and lines[-2] == "    },"
    assert all(len(line) <= 100 for line in lines)


def test_long_strings_split_at_spaces_into_pieces_that_fit() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    text = render(value(words, Imports()), indent=1, prefix=5, suffix=1)
    assert text.startswith("(\n") and text.endswith("\n    )")
    pieces = [line.strip() for line in text.splitlines()[1:-1]]
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "".join(ast.literal_eval(p) for p in pieces) == words
    assert all(ast.literal_eval(p).endswith(" ") for p in pieces[:-1])


def test_imports_are_sorted_by_type_and_wrapped() -> None:
    imports = Imports()
    for name in ("Unit", "TimeSeries", "Color", "CONSTANT", "helper"):
        imports.add("pfm_dash", name)
    assert imports.render() == "from pfm_dash import CONSTANT, Color, TimeSeries, Unit, helper"
    for i in range(20):
        imports.add("pfm_dash", f"Name{i:02}")
    wrapped = imports.render().splitlines()
    assert wrapped[0] == "from pfm_dash import (" and wrapped[1] == "    CONSTANT,"
    assert wrapped[-1] == ")"


def test_docstrings_are_ascii_and_wrapped() -> None:
    text = docstring('Title \u2013 with "quotes"\\ and ✓.\n\n' + "word " * 40)
    assert text.isascii() and all(len(line) <= 100 for line in text.splitlines())
    assert ast.literal_eval(text).startswith('Title with "quotes"/ and .')
