"""Every test here runs against its own fake Grafana on 127.0.0.1."""

from grafana_testing import client, grafana  # noqa: F401
