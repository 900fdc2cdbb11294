"""A fake Mimir ruler (and Mimir's Alertmanager config API) over real sockets, for tests.

No Mimir binary can be installed where pfm-dash is developed, so this fake reproduces the
config APIs ``pfm-dash push --ruler-url`` uses, as grafana/mimir's source defines them (each
module names the files it follows). Start it with ``python -m pfm_dash.testing.fake_ruler``.
"""

from __future__ import annotations

from pfm_dash.testing.fake_ruler.fake import FakeRuler
from pfm_dash.testing.fake_ruler.store import Limits
from pfm_dash.testing.faults import LoggedRequest

__all__ = ["FakeRuler", "Limits", "LoggedRequest"]
