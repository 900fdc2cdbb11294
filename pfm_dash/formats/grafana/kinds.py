"""The table of panel kinds: for each model class, Grafana's type id, its fields and targets.

Adding a kind is one entry here and one function in :mod:`.fields`. A subclass of a kind
(a house ``TimeSeries`` with other defaults, say) is generated as that kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pfm_dash.formats.grafana import fields
from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    GenericPanel,
    Panel,
    Stat,
    StateTimeline,
    Table,
    TimeSeries,
)
from pfm_dash.records import record


@record
class Kind:
    """How one panel class becomes Grafana JSON."""

    type: Callable[[Any], str]  # Grafana's panel type id (a generic panel names its own)
    fields: Callable[[Any], fields.Fields]  # (options, fieldConfig.defaults)
    target_format: str = "time_series"


def _fixed(type_id: str) -> Callable[[Any], str]:
    return lambda _panel: type_id


KINDS: dict[type[Panel], Kind] = {
    TimeSeries: Kind(_fixed("timeseries"), fields.timeseries),
    Stat: Kind(_fixed("stat"), fields.stat),
    Gauge: Kind(_fixed("gauge"), fields.gauge),
    BarGauge: Kind(_fixed("bargauge"), fields.bar_gauge),
    Table: Kind(_fixed("table"), fields.table, target_format="table"),
    StateTimeline: Kind(_fixed("state-timeline"), fields.state_timeline),
    AlertList: Kind(_fixed("alertlist"), fields.alert_list),
    GenericPanel: Kind(lambda panel: panel.type, fields.generic),
}


def kind_of(panel: Panel) -> Kind:
    """The entry for the panel's class, or for the nearest base class that has one."""
    for cls in type(panel).__mro__:
        kind = KINDS.get(cls)
        if kind is not None:
            return kind
    raise TypeError(f"no Grafana panel kind for {type(panel).__name__}")  # pragma: no cover
