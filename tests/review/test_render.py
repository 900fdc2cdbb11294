"""The three renderers: colour only on request, markdown that nests, JSON that round-trips."""

from __future__ import annotations

import json

from pfm_dash.review.changes import Change, Review, Section, word_diff
from pfm_dash.review.render_json import render_json
from pfm_dash.review.render_markdown import render_markdown
from pfm_dash.review.render_text import render_text
from pfm_dash.review.show import show

REVIEW = Review(
    base="main",
    base_commit="0123456789abcdef",
    target="the working tree",
    sections=[
        Section(
            "dashboard",
            "b",
            "Board | <x>",
            "changed",
            [
                Change("changed", "panel 'A'", "unit", "s", "ms"),
                Change(
                    "changed",
                    "panel 'A' query A",
                    "expression",
                    "a > 1",
                    "a > 2",
                    word_diff("a > 1", "a > 2"),
                ),
            ],
        )
    ],
)


def test_text_is_coloured_only_when_asked() -> None:
    plain = render_text(REVIEW)
    assert "\x1b[" not in plain and "a > [-1-]{+2+}" in plain
    assert "s -> ms" in plain and plain.endswith("2 changes in 1 dashboard.")
    assert "\x1b[" in render_text(REVIEW, colour=True)


def test_markdown_escapes_html_and_pipes() -> None:
    text = render_markdown(REVIEW)
    assert "<code>b</code> Board | &lt;x&gt;: changed" in text
    assert "| dashboard | `b` | changed | 2 |" in text
    assert "`main (0123456789)`" in text


def test_json_round_trips_with_the_documented_keys() -> None:
    data = json.loads(render_json(REVIEW))
    assert set(data) == {"schema_version", "base", "target", "changed", "summary", "sections"}
    change = data["sections"][0]["changes"][1]
    assert set(change) == {"op", "subject", "field", "before", "after", "words", "note"}
    assert ["-", "1"] in change["words"]


def test_an_added_rule_reads_as_its_expression_and_owner() -> None:

    rule = {"name": "Down", "expr": "up == 0", "severity": "critical", "team": "ops", "for_": "5m"}
    assert show(rule) == "up == 0 (severity critical, team ops, for 5m)"
    assert show({"expr": "sum(x)"}) == "sum(x)"


def test_a_multi_line_expression_stays_on_one_line() -> None:
    change = Change(
        "changed", "alert A", "expression", "a\n/\nb", "a\n/\nc", word_diff("a\n/\nb", "a\n/\nc")
    )
    review = Review(
        "main", "", "the working tree", [Section("rule group", "g", "g", "changed", [change])]
    )
    assert "a / [-b-]{+c+}" in render_text(review).splitlines()[3]
    assert show({"expr": "x\n  / y"}) == "x / y"
