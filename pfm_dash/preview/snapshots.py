"""``pfm-dash verify --preview DIR``: the dashboards as on-call sees them, healthy and under
each fault, drawn from the simulated backend's real Prometheus while the run goes on.

Each moment gets a folder (``DIR/01-healthy/``, ``DIR/02-<fault>/``...) written by
:func:`~pfm_dash.preview.write.write_previews`, and ``DIR/index.html`` links them. The window
is the run so far: the simulated backend has no history before it, and rules run sped up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import requests

from pfm_dash.errors import PfmDashError
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.preview import data
from pfm_dash.preview.page import STYLE
from pfm_dash.preview.svg import escape
from pfm_dash.preview.write import write_previews


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "moment"


@dataclass
class Snapshots:
    """A verify run's pictures: call it with (moment, Prometheus URL); ``finish`` links them."""

    out: Path
    dashboards: list[Dashboard]
    started: float = field(default_factory=data.now)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (moment, relative index)

    def __call__(self, moment: str, prometheus_url: str) -> None:
        """Draw every dashboard now. A picture that cannot be drawn is noted on the index
        page; it never fails the proof, which is verify's job."""
        folder = f"{len(self.pages) + 1:02d}-{_slug(moment)}"
        window = data.Window(self.started, max(data.now(), self.started + 1))
        try:
            write_previews(
                self.out / folder,
                self.dashboards,
                prometheus=data.Prometheus(prometheus_url),
                window=window,
                title=f"verify: {moment}",
            )
        except (PfmDashError, requests.RequestException, ValueError, KeyError, OSError) as exc:
            self.pages.append((f"{moment}: not drawn ({type(exc).__name__}: {exc})", ""))
            return
        self.pages.append((moment, f"{folder}/index.html"))

    def finish(self) -> Path:
        """Write ``DIR/index.html`` listing every moment drawn, in the order they happened."""
        self.out.mkdir(parents=True, exist_ok=True)
        items = "".join(
            f'<li><a href="{escape(href)}">{escape(moment)}</a></li>'
            if href
            else f"<li>{escape(moment)}</li>"
            for moment, href in self.pages
        )
        index = self.out / "index.html"
        index.write_text(
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8"><title>verify previews</title>'
            f"<style>{STYLE}</style></head><body>\n<h1>What on-call sees</h1>\n"
            "<p>The dashboards drawn from the simulated backend during <code>pfm-dash verify"
            "</code>: healthy, then as each alert fired under its fault.</p>\n"
            f"<ul>{items}</ul>\n</body></html>\n",
            "utf-8",
        )
        return index
