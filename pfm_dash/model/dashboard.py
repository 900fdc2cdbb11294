"""Dashboards: panels and rows on the grid, variables, folder, time settings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pfm_dash.errors import Location
from pfm_dash.model.base import (
    LOCATION,
    check_duration,
    declaration,
    duplicates,
    fail,
    freeze,
)
from pfm_dash.model.panels import Link, Panel
from pfm_dash.model.vocab import GraphTooltip, VariableRefresh, VariableSort
from pfm_dash.records import field

UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_uid(uid: str, what: str, location: Location) -> None:
    """Grafana's rule for dashboard and folder uids (pkg/util/shortid_generator.go)."""
    if not isinstance(uid, str) or not UID.match(uid):
        raise fail(
            location,
            f"invalid {what} uid {uid!r}",
            "use 1 to 40 characters of letters, digits, '-' and '_'",
        )


@declaration
class Folder:
    """A Grafana folder; ``parent`` nests it (Grafana 11+ nested folders)."""

    uid: str
    title: str
    parent: Folder | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        check_uid(self.uid, "folder", self.location)
        if not self.title.strip():
            raise fail(self.location, f"folder {self.uid!r} has an empty title")


@declaration
class Row:
    """A row of panels. A collapsed row holds its panels; an expanded one lets them follow it.

    ``id`` works as a panel's does; ``extra`` is raw JSON merged last into the row panel.
    """

    title: str
    panels: Sequence[Panel]
    collapsed: bool = False
    id: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        freeze(self, "panels", self.panels)
        if not self.title.strip():
            raise fail(self.location, "row has an empty title", "give the row a title")
        if self.id is not None and self.id < 1:
            raise fail(self.location, f"row {self.title!r} has id {self.id}", "use an id >= 1")


@declaration
class Variable:
    """What every dashboard variable shares; ``extra`` is raw JSON merged last into its JSON."""

    name: str
    label: str = ""
    hide: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not _NAME.match(self.name) or self.name.startswith("__"):
            raise fail(
                self.location,
                f"invalid variable name {self.name!r}",
                "use letters, digits and '_', not starting with a digit or '__'",
            )


@declaration
class DatasourceVariable(Variable):
    """Lets the viewer pick the Prometheus datasource; panels reference ``${name}``."""

    name: str = "datasource"
    label: str = "Data source"
    regex: str = ""
    default: str = ""


@declaration
class QueryVariable(Variable):
    """Values from Prometheus, e.g. ``label_values(up, environment)``."""

    query: str
    multi: bool = False
    include_all: bool = False
    all_value: str = ""
    regex: str = ""
    refresh: VariableRefresh = VariableRefresh.ON_TIME_RANGE_CHANGE
    sort: VariableSort = VariableSort.ALPHABETICAL_ASC
    default: str = ""


@declaration
class CustomVariable(Variable):
    options: Sequence[str]
    multi: bool = False
    include_all: bool = False
    default: str = ""

    def __post_init__(self) -> None:
        Variable.__post_init__(self)
        freeze(self, "options", self.options)
        if not self.options:
            raise fail(self.location, f"custom variable {self.name!r} has no options")


@declaration
class IntervalVariable(Variable):
    intervals: Sequence[str] = ("1m", "5m", "10m", "30m", "1h")
    auto: bool = False
    default: str = ""

    def __post_init__(self) -> None:
        Variable.__post_init__(self)
        freeze(self, "intervals", self.intervals)
        for interval in self.intervals:
            check_duration(interval, f"interval variable {self.name!r}", self.location)


@declaration
class TimeRange:
    start: str = "now-6h"
    end: str = "now"


@declaration
class Dashboard:
    """A Grafana dashboard. ``panels`` mixes panels and rows; they flow onto the grid in order."""

    uid: str
    title: str
    panels: Sequence[Panel | Row]
    folder: Folder | None = None
    tags: Sequence[str] = ()
    description: str = ""
    variables: Sequence[Variable] = ()
    links: Sequence[Link] = ()
    time: TimeRange = field(default_factory=TimeRange)
    refresh: str | None = "30s"
    timezone: str = "browser"
    graph_tooltip: GraphTooltip = GraphTooltip.SHARED_CROSSHAIR
    editable: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        for name in ("panels", "tags", "variables", "links"):
            freeze(self, name, getattr(self, name))
        check_uid(self.uid, "dashboard", self.location)
        if not isinstance(self.title, str) or not self.title.strip():
            raise fail(
                self.location, f"dashboard {self.uid!r} has an empty title", "give it a title"
            )
        check_duration(self.refresh, f"dashboard {self.uid!r} refresh", self.location)
        for _, variable in duplicates(self.variables, lambda v: v.name):
            raise fail(variable.location, f"variable ${variable.name} is declared twice")

    def all_panels(self) -> list[Panel]:
        """Every panel, rows flattened, in declaration order."""
        out: list[Panel] = []
        for item in self.panels:
            out.extend(item.panels if isinstance(item, Row) else [item])
        return out

    @property
    def datasource_variable(self) -> str:
        """The name panels use to reference the datasource (``${datasource}`` by default)."""
        for variable in self.variables:
            if isinstance(variable, DatasourceVariable):
                return variable.name
        return "datasource"
