"""A fake Grafana speaking Grafana's HTTP API over real sockets, for tests and demos.

No Grafana server can be installed where pfm-dash is developed, so this fake reproduces the parts
of the API that ``pfm-dash push`` uses, as Grafana's own source defines them (each module names
the grafana/grafana files it follows). Start it with ``python -m pfm_dash.testing.fake_grafana``.
"""

from __future__ import annotations

from pfm_dash.testing.fake_grafana.fake import FakeGrafana
from pfm_dash.testing.faults import LoggedRequest

__all__ = ["FakeGrafana", "LoggedRequest"]
