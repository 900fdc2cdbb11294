"""Grafana dashboard JSON into the model: the import side of the Grafana format.

- ``structure``: what is not a dashboard, panels without a type, duplicate ids (errors);
- ``datasources``: exported inputs and old datasource names point at the variable;
- ``migrate`` (with ``legacy_rows``, ``legacy_graph``, ``legacy_singlestat``): old schemas
  upgraded as Grafana's DashboardMigrator does;
- ``defaults``: what Grafana uses where a key is absent (one table);
- ``node``, ``fields``: typed reads; ``panels``, ``variables``, ``dashboard``: the objects;
- ``layout``: ``pos=`` only where the flow would misplace a panel;
- ``reconcile``, ``regenerate``: what typing could not say is kept in ``extra``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pfm_dash.formats.grafana.parse.dashboard import ParsedDashboard, parse_dashboard
from pfm_dash.formats.grafana.parse.errors import DashboardJsonError

__all__ = ["DashboardJsonError", "ParsedDashboard", "load_dashboard_file", "parse_dashboard"]


def load_dashboard_file(path: Path) -> ParsedDashboard:
    """Read and parse one dashboard JSON file; a bad file is one :class:`DashboardJsonError`."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a byte-order mark
    except (OSError, UnicodeDecodeError) as exc:
        raise DashboardJsonError(source, "$", f"cannot read the file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DashboardJsonError(
            source,
            f"line {exc.lineno} column {exc.colno}",
            f"not JSON: {exc.msg}",
            "export the dashboard from Grafana (Share -> Export) or its JSON model",
        ) from None
    return parse_dashboard(data, source=source)
