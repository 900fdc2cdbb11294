"""What every generator module shares: the datasource reference and the ``extra=`` merge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pfm_dash.model.dashboard import Dashboard


def datasource_ref(dashboard: Dashboard) -> dict[str, str]:
    """Grafana 8.3+ refers to datasources by ``{type, uid}``; ours follows the variable."""
    return {"type": "prometheus", "uid": f"${{{dashboard.datasource_variable}}}"}


def _plain(value: Any) -> Any:
    """A private copy of raw JSON from a declaration: the output never aliases the user's
    objects, and any Mapping becomes a dict the serialiser accepts."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """The ``extra=`` escape hatch: deep-merge raw JSON over what we generated, last.

    Dicts merge key by key at every level; anything else (lists included) replaces.
    """
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = _plain(value)
    return base
