"""``pfm-dash import``: existing dashboards and rules brought in as Python declarations."""
