"""Plain SVG drawing: a list of elements with escaped text and rounded numbers.

Numbers are written with at most one decimal, so the same picture is the same bytes on any
machine, and every piece of text goes through :func:`escape`, so a title such as
``p95 < 1s & "fast"`` cannot break the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _xml_escape

from pfm_dash.preview import theme


def escape(text: str) -> str:
    """Text made safe for SVG/HTML element content and double-quoted attributes."""
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def num(value: float) -> str:
    """A coordinate, deterministic: one decimal at most, no ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        shown = (
            num(value) if isinstance(value, float | int) and not isinstance(value, bool) else value
        )
        parts.append(f' {key.rstrip("_").replace("_", "-")}="{escape(str(shown))}"')
    return "".join(parts)


@dataclass
class Canvas:
    """An SVG document being drawn, element by element, in painting order."""

    width: float
    height: float
    parts: list[str] = field(default_factory=list)

    def raw(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x: float, y: float, w: float, h: float, **attrs: object) -> None:
        self.parts.append(f"<rect{_attrs({'x': x, 'y': y, 'width': w, 'height': h, **attrs})}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        self.parts.append(f"<line{_attrs({'x1': x1, 'y1': y1, 'x2': x2, 'y2': y2, **attrs})}/>")

    def polyline(self, points: Sequence[tuple[float, float]], **attrs: object) -> None:
        coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self.parts.append(f'<polyline points="{coords}"{_attrs({"fill": "none", **attrs})}/>')

    def path(self, d: str, **attrs: object) -> None:
        self.parts.append(f'<path d="{escape(d)}"{_attrs(attrs)}/>')

    def text(
        self,
        x: float,
        y: float,
        content: str,
        size: float = 12,
        fill: str = theme.TEXT,
        anchor: str = "start",
        weight: int | None = None,
        limit: float | None = None,
        mono: bool = False,
        **attrs: object,
    ) -> None:
        """Text at (x, baseline y); ``limit`` pixels shortens it with an ellipsis to fit."""
        if limit is not None:
            content = fit(content, limit, size, mono)
        if mono:
            attrs["font-family"] = "DejaVu Sans Mono, Menlo, monospace"
        self.parts.append(
            "<text"
            + _attrs(
                {
                    "x": x,
                    "y": y,
                    "font-size": size,
                    "fill": fill,
                    "text-anchor": anchor if anchor != "start" else None,
                    "font-weight": weight,
                    **attrs,
                }
            )
            + f">{escape(content)}</text>"
        )

    def group(self, children: Iterable[str], **attrs: object) -> None:
        self.parts.append(f"<g{_attrs(attrs)}>" + "".join(children) + "</g>")

    def render(self) -> str:
        """The whole document, with the dark canvas behind everything."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
            f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'font-family="{escape(theme.FONT)}">'
        )
        background = f'<rect width="100%" height="100%" fill="{theme.CANVAS}"/>'
        return "\n".join([head, background, *self.parts, "</svg>"]) + "\n"


def em(mono: bool) -> float:
    """Average glyph width in em: ~0.56 for sans-serif text, 0.61 for monospace."""
    return 0.61 if mono else 0.56


def text_width(text: str, size: float, mono: bool = False) -> float:
    """A conservative estimate of rendered width."""
    return len(text) * size * em(mono)


def fit(text: str, limit: float, size: float, mono: bool = False) -> str:
    """``text`` cut with an ellipsis so it is at most ``limit`` pixels wide."""
    if text_width(text, size, mono) <= limit:
        return text
    keep = max(int(limit / (size * em(mono))) - 1, 0)
    return text[:keep].rstrip() + "…" if keep else ""
