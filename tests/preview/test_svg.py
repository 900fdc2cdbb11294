from __future__ import annotations

from xml.etree import ElementTree

from pfm_dash.preview.svg import Canvas, escape, fit, num


def test_text_is_escaped_and_the_document_parses() -> None:
    canvas = Canvas(100, 50)
    canvas.text(1, 2, "p95 < 1s & \"fast\" 'ok'", fill="#fff")
    svg = canvas.render()
    assert "&lt; 1s &amp; &quot;fast&quot;" in svg
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["p95 < 1s & \"fast\" 'ok'"]


def test_numbers_are_deterministic() -> None:
    assert [num(1.0), num(2.25), num(-0.01), num(12.96)] == ["1", "2.2", "0", "13"]
    assert escape("<a>") == "&lt;a&gt;"


def test_fit_cuts_long_text_with_an_ellipsis() -> None:
    assert fit("short", 200, 12) == "short"
    cut = fit("a" * 100, 60, 12)
    assert cut.endswith("…") and len(cut) < 12
