"""Test and demo equipment: fake servers on 127.0.0.1 that speak the APIs pfm-dash talks to.

``pfm_dash.testing.fake_grafana`` (Grafana's HTTP API) and ``pfm_dash.testing.fake_ruler``
(Mimir's ruler and Alertmanager config APIs) share one loopback base (:mod:`.loopback`):
fault injection, a request log, and ``/_fake/`` control endpoints a person can drive with
curl (:mod:`.control`). Run them with ``python -m pfm_dash.testing.fake_grafana`` or
``python -m pfm_dash.testing.fake_ruler``.

No product module imports this package (a test reads the sources to keep it so): the fakes
are for tests, benchmarks and trying pfm-dash by hand, never a code path of the tool.
"""
