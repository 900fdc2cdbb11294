"""Asking a Prometheus for what each panel would show, the way Grafana asks it.

Variables take their defaults (a query variable without one takes what Grafana would select
first: All when it offers All, else the first value Prometheus knows); Grafana's built-ins are
computed from the dashboard's default time range and the panel's width (:mod:`.intervals`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import requests
import yaml

from pfm_dash.errors import ToolError
from pfm_dash.model.base import duration_seconds
from pfm_dash.model.dashboard import (
    CustomVariable,
    Dashboard,
    IntervalVariable,
    QueryVariable,
)
from pfm_dash.model.panels import AlertList, Panel
from pfm_dash.model.query import VARIABLE, Query
from pfm_dash.preview import intervals

_RELATIVE = re.compile(r"^now(?:-(\w+))?$")
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([A-Za-z_]\w*)\s*\)\s*$")
_LEGEND = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
MAX_SERIES = 12  # a panel draws at most this many series; a preview is not an explorer


@dataclass(frozen=True)
class Series:
    """One series of a panel: its legend name and its samples (unix seconds, value)."""

    name: str
    points: tuple[tuple[float, float], ...]

    @property
    def last(self) -> float | None:
        return self.points[-1][1] if self.points else None


@dataclass
class PanelData:
    """What a panel shows: series, or an error to show in its place; alerts for an alert list."""

    series: list[Series] = field(default_factory=list)
    error: str = ""
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (alertname, state)
    span: tuple[float, float] | None = None  # the time axis: the window asked for


@dataclass(frozen=True)
class Window:
    """The time range a dashboard is previewed over, in unix seconds."""

    start: float
    end: float


def default_window(dashboard: Dashboard, now: float) -> Window:
    """The dashboard's default time range (``now-6h`` to ``now``) as a window ending ``now``."""

    def at(text: str) -> float:
        match = _RELATIVE.match(text.strip())
        if match is None:
            raise ToolError(
                f"dashboard {dashboard.uid!r}: time {text!r} is not 'now' or 'now-<duration>'; "
                "preview reads only relative time ranges"
            )
        return now - (duration_seconds(match.group(1)) if match.group(1) else 0.0)

    return Window(at(dashboard.time.start), at(dashboard.time.end))


class Prometheus:
    """A Prometheus HTTP API, asked what Grafana's datasource would ask it."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.base = url.rstrip("/")
        self.timeout = timeout
        self._scrape: float | None = None

    def get(self, path: str, params: dict[str, Any]) -> Any:
        try:
            response = requests.get(self.base + path, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ToolError(f"cannot reach Prometheus at {self.base}: {exc}") from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise ToolError(
                f"{self.base}{path} answered HTTP {response.status_code} with no JSON; "
                "is --prometheus the Prometheus base URL?"
            ) from exc
        if body.get("status") != "success":
            raise ValueError(body.get("error") or f"HTTP {response.status_code}")
        return body["data"]

    def scrape_interval(self) -> float:
        """The global scrape interval from the server's loaded config (Grafana's default: 15s)."""
        if self._scrape is None:
            self._scrape = intervals.DEFAULT_SCRAPE
            try:
                config = yaml.safe_load(self.get("/api/v1/status/config", {})["yaml"]) or {}
                text = (config.get("global") or {}).get("scrape_interval")
                if text:
                    self._scrape = duration_seconds(str(text))
            except (ValueError, KeyError, yaml.YAMLError):
                pass
        return self._scrape

    def label_values(self, label: str, match: str | None, window: Window) -> list[str]:
        params: dict[str, Any] = {"start": window.start, "end": window.end}
        if match:
            params["match[]"] = match
        values: list[str] = self.get(f"/api/v1/label/{label}/values", params)
        return values

    def alerts(self) -> list[tuple[str, str]]:
        found = {
            (str(a["labels"].get("alertname", "")), str(a["state"]))
            for a in self.get("/api/v1/alerts", {})["alerts"]
        }
        return sorted(found)


def variable_values(prom: Prometheus, dashboard: Dashboard, window: Window) -> dict[str, str]:
    """Each variable's default as Grafana interpolates it into PromQL (regex-joined lists)."""
    values: dict[str, str] = {}
    for variable in dashboard.variables:
        if isinstance(variable, QueryVariable):
            if variable.default:
                values[variable.name] = variable.default
            elif variable.include_all:
                values[variable.name] = variable.all_value or _regex_all(
                    _query_options(prom, variable, window)
                )
            else:
                options = _query_options(prom, variable, window)
                values[variable.name] = options[0] if options else ""
        elif isinstance(variable, CustomVariable):
            if variable.default:
                values[variable.name] = variable.default
            elif variable.include_all:
                values[variable.name] = _regex_all(list(variable.options))
            else:
                values[variable.name] = variable.options[0]
        elif isinstance(variable, IntervalVariable):
            values[variable.name] = variable.default or variable.intervals[0]
    return values


def _regex_all(options: list[str]) -> str:
    """Grafana's All for Prometheus without an all value: ``(a|b|c)``, regex-escaped."""
    return "(" + "|".join(re.escape(o) for o in options) + ")" if options else ".*"


def _query_options(prom: Prometheus, variable: QueryVariable, window: Window) -> list[str]:
    match = _LABEL_VALUES.match(variable.query)
    if match is None:
        return []
    try:
        options = prom.label_values(match.group(2), match.group(1), window)
    except ValueError:
        return []
    if variable.regex:
        pattern = re.compile(variable.regex.strip("/"))
        options = [o for o in options if pattern.search(o)]
    return sorted(options)


def interpolate(expr: str, values: dict[str, str]) -> str:
    """``expr`` with every variable replaced; an unknown one is left for Prometheus to refuse."""

    def one(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return values.get(name, match.group(0))

    return VARIABLE.sub(one, expr)


def legend(query: Query, labels: dict[str, str]) -> str:
    """The series name Grafana shows: the legend format filled, else ``metric{labels}``."""
    if query.legend:
        return _LEGEND.sub(lambda m: labels.get(m.group(1), ""), query.legend)
    name = labels.get("__name__", "")
    rest = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
    if not name and not rest:
        return query.expr.strip()
    return f"{name}{{{rest}}}" if rest else name


def panel_data(
    prom: Prometheus,
    panel: Panel,
    window: Window,
    values: dict[str, str],
    width_px: float,
) -> PanelData:
    """Every visible query of ``panel`` run over ``window``; errors become the panel's text."""
    if isinstance(panel, AlertList):
        return PanelData(alerts=prom.alerts())
    scrape = prom.scrape_interval()
    range_s = max(window.end - window.start, 1.0)
    out = PanelData(span=(window.start, window.end))
    for query in panel.queries:
        if query.hide:
            continue
        min_interval = scrape
        if query.interval and not VARIABLE.search(query.interval):
            min_interval = duration_seconds(query.interval)
        step = intervals.step(range_s, int(width_px), min_interval)
        builtins = {
            "__interval": intervals.prom_duration(step),
            "__rate_interval": intervals.prom_duration(intervals.rate_interval(step, scrape)),
            "__range": intervals.prom_duration(range_s),
            "__interval_ms": str(int(step * 1000)),
            "__range_s": str(round(range_s)),
        }
        expr = interpolate(query.expr, {**values, **builtins})
        try:
            if query.instant:
                data = prom.get("/api/v1/query", {"query": expr, "time": window.end})
            else:
                params = {"query": expr, "start": window.start, "end": window.end, "step": step}
                data = prom.get("/api/v1/query_range", params)
        except ValueError as exc:
            out.error = f"{query.ref_id or 'query'}: {exc}"
            continue
        out.series.extend(_series(query, data))
    out.series = out.series[:MAX_SERIES]
    return out


def _series(query: Query, data: dict[str, Any]) -> list[Series]:
    kind, result = data["resultType"], data["result"]
    if kind == "scalar":
        return [Series(query.expr.strip(), ((float(result[0]), float(result[1])),))]
    if kind == "vector":
        found = [
            Series(legend(query, r["metric"]), ((float(r["value"][0]), float(r["value"][1])),))
            for r in result
        ]
    elif kind == "matrix":
        found = [
            Series(legend(query, r["metric"]), tuple((float(t), float(v)) for t, v in r["values"]))
            for r in result
        ]
    else:
        return []
    return sorted(found, key=lambda s: s.name)  # Prometheus does not promise an order


def now() -> float:
    """The end of the preview window: the present, to the second."""
    return float(int(time.time()))


class DashboardData:
    """Fills the panels of one dashboard: its variables resolved once, each panel on demand."""

    def __init__(self, prom: Prometheus, dashboard: Dashboard, window: Window) -> None:
        self.prom = prom
        self.window = window
        self.values = variable_values(prom, dashboard, window)

    def __call__(self, panel: Panel, width_px: float) -> PanelData:
        return panel_data(self.prom, panel, self.window, self.values, width_px)
