"""``index.html``: every dashboard's picture on one page, its text searchable and selectable.

The SVGs are inlined (not ``<img>``), so the browser renders their text as part of the page:
a reviewer can find a panel with Ctrl-F, and a test can read every title from the DOM.
"""

from __future__ import annotations

from dataclasses import dataclass

from pfm_dash.preview import theme
from pfm_dash.preview.svg import escape

STYLE = f"""
body {{ background: {theme.CANVAS}; color: {theme.TEXT}; font-family: {theme.FONT};
       margin: 0; padding: 16px 24px; }}
h1 {{ font-size: 22px; font-weight: 500; margin: 4px 0 4px; }}
h2 {{ font-size: 18px; font-weight: 500; margin: 28px 0 8px; }}
p, li {{ color: {theme.TEXT_DIM}; font-size: 13px; }}
a {{ color: {theme.NAMED["blue"]}; }}
nav a {{ margin-right: 14px; }}
.legend span {{ display: inline-block; width: 12px; height: 12px; border-radius: 2px;
               margin: 0 6px 0 14px; vertical-align: -1px; }}
svg {{ max-width: 100%; height: auto; display: block; }}
"""


@dataclass(frozen=True)
class Entry:
    """One dashboard on the page: its uid, title, SVG file name and SVG text."""

    uid: str
    title: str
    file: str
    svg: str
    status: str = ""


def _legend() -> str:
    items = [("added", theme.ADDED), ("changed", theme.CHANGED), ("removed", theme.REMOVED)]
    spans = "".join(f'<span style="background:{c}"></span>{name}' for name, c in items)
    return f'<p class="legend">Outlined panels, against the base revision:{spans}</p>'


def index_html(title: str, subtitle: str, entries: list[Entry], marked: bool) -> str:
    """The page; ``marked`` adds the legend of the added/changed/removed outlines."""
    nav = " ".join(f'<a href="#{escape(e.uid)}">{escape(e.title)}</a>' for e in entries)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(subtitle)}</p>",
        _legend() if marked else "",
        f"<nav>{nav}</nav>",
    ]
    for e in entries:
        status = f" ({escape(e.status)})" if e.status else ""
        svg = e.svg.split("\n", 1)[1] if e.svg.startswith("<?xml") else e.svg
        parts.append(
            f'<section id="{escape(e.uid)}"><h2>{escape(e.title)}{status} '
            f'<a href="{escape(e.file)}">{escape(e.file)}</a></h2>\n{svg}</section>'
        )
    if not entries:
        parts.append("<p>No dashboards are declared.</p>")
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"
