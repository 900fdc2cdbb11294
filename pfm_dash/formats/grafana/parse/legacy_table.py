"""The Angular table (``table-old``, or a ``table`` with ``styles`` before schema 24) becomes
the React ``table``, as Grafana migrates it on load.

Follows the table plugin's change handler (grafana/grafana
public/app/plugins/panel/table/migrations.ts, ``migrateFromAngular``; its Go port
``tablePanelChangedHandler`` in apps/dashboard/pkg/migration/schemaversion/v24.go): the
``/.*/`` style becomes the field defaults, every other style an override by name or regex,
and ``transform`` a transformation. ``styles``, ``transform`` and ``columns`` are read and go.
"""

from __future__ import annotations

from typing import Any

_ALIGN = {"auto": "", "left": "left", "right": "right", "center": "center"}
_COLOR_MODES = {"cell": "color-background", "row": "color-background", "value": "color-text"}
_TRANSFORMS = {
    "timeseries_to_rows": "seriesToRows",
    "timeseries_to_columns": "seriesToColumns",
    "table": "merge",
}
_REDUCERS = {"avg": "mean", "total": "sum", "current": "lastNotNull"}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def _thresholds(style: dict[str, Any]) -> dict[str, Any] | None:
    """``thresholds`` ["50", "80"] and ``colors`` [c0, c1, c2] as steps from c0 up."""
    levels, colors = style.get("thresholds"), style.get("colors")
    if not isinstance(levels, list) or not levels or not isinstance(colors, list):
        return None
    values = [None, *(_number(v) for v in levels)]
    steps = [{"color": c, "value": v} for c, v in zip(colors, values, strict=False)]
    return {"mode": "absolute", "steps": steps} if steps else None


def _properties(style: dict[str, Any]) -> list[dict[str, Any]]:
    """A style as field config properties (ids as Grafana's overrides name them)."""
    props: list[dict[str, Any]] = []
    if style.get("alias"):
        props.append({"id": "displayName", "value": style["alias"]})
    if style.get("type") == "date":
        props.append(
            {"id": "unit", "value": f"time: {style.get('dateFormat', 'YYYY-MM-DD HH:mm:ss')}"}
        )
    elif style.get("unit"):
        props.append({"id": "unit", "value": style["unit"]})
    if isinstance(style.get("decimals"), int | float):
        props.append({"id": "decimals", "value": style["decimals"]})
    if style.get("type") == "hidden":
        props.append({"id": "custom.hidden", "value": True})
    if style.get("link") and style.get("linkUrl"):
        link = {
            "title": style.get("linkTooltip", ""),
            "url": style["linkUrl"],
            "targetBlank": bool(style.get("linkTargetBlank")),
        }
        props.append({"id": "links", "value": [link]})
    if style.get("colorMode") in _COLOR_MODES:
        cell = {"type": _COLOR_MODES[style["colorMode"]]}
        props.append({"id": "custom.cellOptions", "value": cell})
    if style.get("align") in _ALIGN:
        props.append({"id": "custom.align", "value": _ALIGN[style["align"]]})
    thresholds = _thresholds(style)
    if thresholds is not None:
        props.append({"id": "thresholds", "value": thresholds})
    return props


def _transformation(panel: dict[str, Any], transform: Any) -> dict[str, Any] | None:
    if transform in _TRANSFORMS:
        return {"id": _TRANSFORMS[transform], "options": {}}
    if transform == "timeseries_aggregations":
        raw = panel.get("columns")
        columns: list[Any] = raw if isinstance(raw, list) else []
        reducers = [
            _REDUCERS.get(str(c.get("value")), str(c.get("value")))
            for c in columns
            if isinstance(c, dict) and c.get("value")
        ]
        return {"id": "reduce", "options": {"includeTimeField": False, "reducers": reducers}}
    return None


def is_angular_table(panel: dict[str, Any], schema: int) -> bool:
    """``table-old``, or (schema 24's rule) a ``table`` with ``styles`` not marked table2."""
    if panel.get("type") == "table-old":
        return True
    return (
        schema < 24
        and panel.get("type") == "table"
        and isinstance(panel.get("styles"), list)
        and panel.get("table") != "table2"
    )


def angular_table_to_table(panel: dict[str, Any]) -> None:
    """Migrate one Angular table panel in place."""
    styles = panel.pop("styles", None) or []
    transform = panel.pop("transform", None)
    field_config = panel.setdefault("fieldConfig", {})
    defaults: dict[str, Any] = dict(field_config.get("defaults") or {})
    overrides: list[Any] = list(field_config.get("overrides") or [])
    for style in styles:
        if not isinstance(style, dict):
            continue
        pattern = str(style.get("pattern", ""))
        props = _properties(style)
        if pattern == "/.*/":
            for prop in props:
                holder, key = defaults, prop["id"]
                if key.startswith("custom."):
                    holder, key = defaults.setdefault("custom", {}), key[len("custom.") :]
                holder[key] = prop["value"]
        elif props and pattern:
            regex = pattern.startswith("/") and pattern.endswith("/")
            matcher = {"id": "byRegexp" if regex else "byName", "options": pattern}
            overrides.append({"matcher": matcher, "properties": props})
    transformation = _transformation(panel, transform)
    if transformation is not None:
        panel.pop("columns", None)
        panel["transformations"] = [*(panel.get("transformations") or []), transformation]
    panel.pop("table", None)
    field_config["defaults"] = defaults
    field_config["overrides"] = overrides
    panel["type"] = "table"
