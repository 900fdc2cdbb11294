"""``pfm-dash verify``: every alert proven end to end against a real Prometheus and Alertmanager.

See docs/verify.md. :mod:`.simulator` is the simulated PFM backend, :mod:`.harness` the run.
"""
