"""pfm-dash: monitoring as typed Python, compiled to Grafana, Prometheus and Alertmanager.

Users write ``from pfm_dash import Dashboard, TimeSeries, Query, ...``. The names are loaded
lazily so that ``pfm-dash --help`` and cached builds import none of the model.
"""

from __future__ import annotations

__version__ = "0.1.0"

# Not typing.TYPE_CHECKING: importing typing alone costs more than a cached build (mypy
# understands this spelling too).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pfm_dash.model import *  # noqa: F403


def __getattr__(name: str) -> object:
    # The model exports only capitalised names; anything else (``from pfm_dash import cache``
    # asks for a submodule this way) must not pay for importing the model.
    if not name[:1].isupper():
        raise AttributeError(f"module 'pfm_dash' has no attribute {name!r}")
    import pfm_dash.model as model

    if name in model.__all__:
        value = getattr(model, name)
        globals()[name] = value  # the next ``from pfm_dash import`` of it finds it directly
        return value
    raise AttributeError(f"module 'pfm_dash' has no attribute {name!r}")


def __dir__() -> list[str]:
    import pfm_dash.model as model

    return sorted([*globals(), *model.__all__])
