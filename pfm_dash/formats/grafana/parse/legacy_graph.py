"""The Angular ``graph`` panel becomes ``timeseries``, as Grafana migrates it on load.

Follows ``graphToTimeseriesOptions`` in grafana/grafana
public/app/plugins/panel/timeseries/migrations.ts, read at 0113108 and the newer build the
reference notes describe, for the keys real dashboards use: the
left y axis, lines/bars/points, fill, nulls, steps, stacking, legend, tooltip, alias colours,
series overrides and thresholds. The Angular keys it reads are removed; anything it does not
read stays on the panel (and so in the panel's ``extra``).
"""

from __future__ import annotations

from typing import Any

# Angular keys the migration reads (and so removes once converted).
_READ = (
    "yaxes",
    "yaxis",
    "xaxis",
    "lines",
    "bars",
    "points",
    "pointradius",
    "linewidth",
    "dashes",
    "dashLength",
    "spaceLength",
    "fill",
    "fillGradient",
    "nullPointMode",
    "steppedLine",
    "stack",
    "percentage",
    "legend",
    "tooltip",
    "aliasColors",
    "seriesOverrides",
    "thresholds",
    "renderer",
    "timeRegions",
    "grid",
    "y_formats",
    "x-axis",
    "y-axis",
    "options",
)
_LEGEND_CALCS = {
    "min": "min",
    "max": "max",
    "avg": "mean",
    "current": "lastNotNull",
    "total": "sum",
}
_THRESHOLD_COLORS = {"critical": "red", "warning": "orange"}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _axis(axis: Any) -> dict[str, Any]:
    """One Angular y axis as field config (``getFieldConfigFromOldAxis``)."""
    if not isinstance(axis, dict):
        return {}
    custom: dict[str, Any] = {"axisPlacement": "auto" if axis.get("show") else "hidden"}
    if axis.get("label"):
        custom["axisLabel"] = axis["label"]
    if axis.get("logBase") in (2, 10):
        custom["scaleDistribution"] = {"type": "log", "log": axis["logBase"]}
    out: dict[str, Any] = {"custom": custom}
    if axis.get("format") is not None:
        out["unit"] = axis["format"]
    for key in ("decimals", "min", "max"):
        number = _number(axis.get(key))
        if number is not None:
            out[key] = number
    return out


def _y2(y1: dict[str, Any], y2: dict[str, Any]) -> list[dict[str, Any]]:
    """Properties of the right axis that differ from the left (``fillY2DynamicValues``);
    the series goes on the right (newer builds say so explicitly)."""
    props = [
        {"id": key, "value": value}
        for key, value in y2.items()
        if key != "custom" and value != y1.get(key)
    ]
    left = y1.get("custom") or {}
    for key, value in (y2.get("custom") or {}).items():
        if key != "axisPlacement" and value != left.get(key):
            props.append({"id": f"custom.{key}", "value": value})
    props.append({"id": "custom.axisPlacement", "value": "right"})
    return props


def _matcher(alias: str) -> dict[str, Any]:
    if alias.startswith("/") and alias.endswith("/"):
        return {"id": "byRegexp", "options": alias}
    return {"id": "byName", "options": alias}


def _series_override(
    item: dict[str, Any], y1: dict[str, Any], yaxes: list[Any]
) -> dict[str, Any] | None:
    """One ``seriesOverrides`` entry as a field override (unknown keys, e.g. zindex, dropped)."""
    alias = item.get("alias")
    if not isinstance(alias, str) or not alias:
        return None  # the matcher config
    props: list[dict[str, Any]] = []
    dash: dict[str, Any] | None = None
    for key, value in item.items():
        if key == "yaxis" and value == 2:
            props.extend(_y2(y1, _axis(yaxes[1] if len(yaxes) > 1 else None)))
        elif key == "fill":
            props.append({"id": "custom.fillOpacity", "value": value * 10})
        elif key == "fillBelowTo":
            props.append({"id": "custom.fillBelowTo", "value": value})
        elif key == "fillGradient" and value:
            props.append({"id": "custom.fillGradient", "value": "opacity"})
            props.append({"id": "custom.fillOpacity", "value": value * 10})
        elif key == "points":
            props.append({"id": "custom.showPoints", "value": "always" if value else "never"})
        elif key == "bars":
            props.append({"id": "custom.drawStyle", "value": "bars" if value else "line"})
            if value:
                props.append({"id": "custom.fillOpacity", "value": 100})
        elif key == "lines":
            props.append(
                {"id": "custom.drawStyle", "value": "line"}
                if value
                else {"id": "custom.lineWidth", "value": 0}
            )
        elif key == "linewidth":
            props.append({"id": "custom.lineWidth", "value": value})
        elif key == "pointradius":
            props.append({"id": "custom.pointSize", "value": 2 + value * 2})
        elif key in ("dashes", "dashLength", "spaceLength"):
            dash = dash or {"fill": "solid", "dash": [10, 10]}
            if key == "dashes":
                dash["fill"] = "dash" if value else "solid"
            else:
                dash["dash"][0 if key == "dashLength" else 1] = value
        elif key == "stack":
            group = value if isinstance(value, str) else "A"
            stacking = {"mode": "normal" if value else "none", "group": group}
            props.append({"id": "custom.stacking", "value": stacking})
        elif key == "color":
            props.append({"id": "color", "value": {"mode": "fixed", "fixedColor": value}})
        elif key == "transform" and value in ("negative-Y", "constant"):
            props.append({"id": "custom.transform", "value": value})
    if dash is not None:
        props.append({"id": "custom.lineStyle", "value": dash})
    return {"matcher": _matcher(alias), "properties": props} if props else None


def _threshold_color(item: dict[str, Any]) -> str:
    mode = item.get("colorMode")
    if mode == "custom":
        return str(item.get("fillColor") or item.get("lineColor") or "red")
    return _THRESHOLD_COLORS.get(str(mode), "red")


def _thresholds(items: list[Any], custom: dict[str, Any]) -> dict[str, Any] | None:
    """Angular ``thresholds[] {value, op, colorMode, fill, line}`` to threshold steps."""
    usable = [t for t in items if isinstance(t, dict) and _number(t.get("value")) is not None]
    if not usable:
        return None
    usable.sort(key=lambda t: _number(t["value"]) or 0)
    steps: list[dict[str, Any]] = []
    for index, item in enumerate(usable):
        value = _number(item["value"])
        after = usable[index + 1] if index + 1 < len(usable) else None
        if item.get("op") == "gt":
            steps.append({"color": _threshold_color(item), "value": value})
        elif item.get("op") == "lt":
            if not steps:
                steps.append({"color": _threshold_color(item), "value": None})
            # A following lt lends its colour; a gap before a gt (or the end) is transparent.
            tint = _threshold_color(after) if after and after.get("op") == "lt" else "transparent"
            steps.append({"color": tint, "value": value})
    if not steps:
        return None
    if steps[0]["value"] is not None:
        steps.insert(0, {"color": "transparent", "value": None})
    area = any(t.get("fill") for t in usable)
    line = any(t.get("line") for t in usable)
    custom["thresholdsStyle"] = {
        "mode": "line+area" if area and line else "area" if area else "line"
    }
    return {"mode": "absolute", "steps": steps}


def graph_to_timeseries(panel: dict[str, Any]) -> None:
    """Migrate one ``graph`` panel in place (``graphToTimeseriesOptions``), in its order."""
    old = {k: panel.pop(k) for k in _READ if k in panel}
    field_config = panel.setdefault("fieldConfig", {})
    yaxes = old["yaxes"] if isinstance(old.get("yaxes"), list) else []
    y1 = _axis(yaxes[0] if yaxes else None)
    # The panel's field config lies underneath; the y axis' unit and custom win.
    defaults: dict[str, Any] = {**(field_config.get("defaults") or {}), **y1}
    overrides: list[Any] = list(field_config.get("overrides") or [])
    for alias, tint in (old.get("aliasColors") or {}).items():
        if tint:
            fixed = {"mode": "fixed", "fixedColor": tint}
            overrides.append(
                {
                    "matcher": {"id": "byName", "options": alias},
                    "properties": [{"id": "color", "value": fixed}],
                }
            )
    fill_below = False
    for item in old.get("seriesOverrides") or []:
        if isinstance(item, dict):
            fill_below = fill_below or bool(item.get("fillBelowTo"))
            converted = _series_override(item, y1, yaxes)
            if converted is not None:
                overrides.append(converted)
    custom: dict[str, Any] = dict(defaults.get("custom") or {})
    bars, lines = old.get("bars"), old.get("lines")
    custom["drawStyle"] = "bars" if bars else "line" if lines else "points"
    if old.get("points"):
        custom["showPoints"] = "always"
        if _number(old.get("pointradius")) is not None:
            custom["pointSize"] = 2 + old["pointradius"] * 2
    elif custom["drawStyle"] != "points":
        custom["showPoints"] = "never"
    if old.get("linewidth") is not None:
        custom["lineWidth"] = old["linewidth"]
    if old.get("dashes"):
        dash = [old.get("dashLength") or 10, old.get("spaceLength") or 10]
        custom["lineStyle"] = {"fill": "dash", "dash": dash}
    if fill_below:
        custom["fillOpacity"] = 35  # bands were hard-coded in flot
    elif _number(old.get("fill")) is not None:
        custom["fillOpacity"] = old["fill"] * 10
    gradient = _number(old.get("fillGradient"))
    if gradient is not None and gradient > 0:
        custom["gradientMode"] = "opacity"
        custom["fillOpacity"] = gradient * 10
    # Newer builds: "connected" spans the gaps; the mode is kept as nullValueMode as well.
    custom["spanNulls"] = old.get("nullPointMode") == "connected"
    if old.get("steppedLine"):
        custom["lineInterpolation"] = "stepAfter"
    if custom["drawStyle"] == "bars":
        custom["fillOpacity"] = 100  # bars were always solid
    if old.get("stack"):
        custom["stacking"] = {"mode": "normal", "group": "A"}
    if old.get("nullPointMode"):
        defaults["nullValueMode"] = old["nullPointMode"]
    if isinstance(old.get("thresholds"), list):
        thresholds = _thresholds(old["thresholds"], custom)
        if thresholds is not None:
            defaults["thresholds"] = thresholds
    xaxis = old.get("xaxis")
    if isinstance(xaxis, dict) and xaxis.get("show") is False:
        hidden = [{"id": "custom.axisPlacement", "value": "hidden"}]
        overrides.append({"matcher": {"id": "byType", "options": "time"}, "properties": hidden})
    defaults["custom"] = custom
    field_config["defaults"] = defaults
    field_config["overrides"] = overrides
    panel["options"] = {
        "legend": _legend(old.get("legend")),
        "tooltip": _tooltip(old.get("tooltip")),
    }
    panel["type"] = "timeseries"


def _legend(legend: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "displayMode": "list",
        "showLegend": True,
        "placement": "bottom",
        "calcs": [],
    }
    if not isinstance(legend, dict):
        return out
    if legend.get("show") is False:
        out["showLegend"] = False
    if legend.get("alignAsTable"):
        out["displayMode"] = "table"
    if legend.get("rightSide"):
        out["placement"] = "right"
    if legend.get("sideWidth"):
        out["width"] = legend["sideWidth"]
    if legend.get("values"):
        # The legend's own key order, as getReducersFromLegend reads it.
        out["calcs"] = [
            _LEGEND_CALCS[key] for key, on in legend.items() if on and key in _LEGEND_CALCS
        ]
    return out


def _tooltip(tooltip: Any) -> dict[str, Any]:
    if not isinstance(tooltip, dict) or not tooltip.get("shared"):
        return {"mode": "single", "sort": "none"}
    sort = {1: "asc", 2: "desc"}.get(tooltip.get("sort", 0), "none")
    return {"mode": "multi", "sort": sort}
