from __future__ import annotations

from pfm_dash.preview.page import Entry, index_html


def test_index_escapes_titles_and_inlines_each_svg() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>\n'
    page = index_html("T <&>", "sub", [Entry("u-1", 'A "<b>"', "u-1.svg", svg)], marked=False)
    assert "<title>T &lt;&amp;&gt;</title>" in page
    assert "A &quot;&lt;b&gt;&quot;" in page and "<b>" not in page
    assert svg.strip() in page and 'href="u-1.svg"' in page and 'id="u-1"' in page
    assert "added" not in page


def test_the_legend_comes_with_marks() -> None:
    page = index_html("T", "s", [], marked=True)
    assert "added" in page and "changed" in page and "removed" in page
    assert "No dashboards are declared." in page
