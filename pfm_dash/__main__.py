"""``python -m pfm_dash``: the same as the ``pfm-dash`` command."""

from pfm_dash.cli import console

console()
