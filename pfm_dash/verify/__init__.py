"""``pfm-dash verify``: every alert proven end to end against a real Prometheus and Alertmanager.

See docs/verify.md. :mod:`.plan` decides what runs when, :mod:`.backend` and :mod:`.simulator`
are the simulated system, :mod:`.harness` the run.
"""
