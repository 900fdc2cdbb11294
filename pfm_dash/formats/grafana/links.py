"""Links on a dashboard's top bar and on a panel's header menu."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pfm_dash.formats.grafana.common import merge
from pfm_dash.model.panels import Link


def panel_links_json(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [
        merge({"title": link.title, "url": link.url, "targetBlank": link.new_tab}, link.extra)
        for link in links
    ]


def dashboard_links_json(links: Iterable[Link]) -> list[dict[str, Any]]:
    """A plain link (``type: link``) with the keys Grafana's link editor saves."""
    return [
        merge(
            {
                "asDropdown": False,
                "icon": "external link",
                "includeVars": False,
                "keepTime": True,
                "tags": [],
                "targetBlank": link.new_tab,
                "title": link.title,
                "tooltip": "",
                "type": "link",
                "url": link.url,
            },
            link.extra,
        )
        for link in links
    ]
