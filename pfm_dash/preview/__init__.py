"""Pictures of dashboards, drawn the way Grafana lays them out, for reviewing a change.

:func:`pfm_dash.preview.render.write_previews` writes one SVG per dashboard and an
``index.html`` showing them all; :mod:`~pfm_dash.preview.data` fills panels from a Prometheus.
"""
