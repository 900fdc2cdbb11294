"""The Angular ``singlestat`` panel becomes ``stat``, as Grafana migrates it on load.

Follows ``sharedSingleStatPanelChangedHandler`` / ``migrateFromAngularSinglestat``
(grafana/grafana packages/grafana-ui/src/components/SingleStatShared/SingleStatBaseOptions.ts)
and ``statPanelChangedHandler`` (public/app/plugins/panel/stat/StatMigrations.ts): the
reducer from ``valueName``, colouring, sparkline, thresholds from the ``"a,b"`` string and
three colours, old value/range maps, and the gauge's min/max.
"""

from __future__ import annotations

from typing import Any

_READ = (
    "valueName",
    "tableColumn",
    "sparkline",
    "colorBackground",
    "colorValue",
    "colors",
    "thresholds",
    "format",
    "decimals",
    "nullPointMode",
    "nullText",
    "valueMaps",
    "rangeMaps",
    "mappingType",
    "mappingTypes",
    "gauge",
    "prefix",
    "postfix",
    "prefixFontSize",
    "postfixFontSize",
    "valueFontSize",
    "colorPrefix",
    "colorPostfix",
    "options",
)
# The reducer registry's aliases (packages/grafana-data/src/transformations/fieldReducer.ts).
_REDUCERS = {
    "avg": "mean",
    "mean": "mean",
    "current": "lastNotNull",
    "last": "last",
    "total": "sum",
    "sum": "sum",
    "min": "min",
    "max": "max",
    "first": "first",
    "delta": "delta",
    "diff": "diff",
    "range": "range",
    "count": "count",
}  # anything else ("name", "last_time") is not a reducer: Grafana falls back to mean


def _number(text: str) -> float | int | None:
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def old_mappings(value_maps: Any, range_maps: Any) -> list[dict[str, Any]]:
    """Angular value/range maps to Grafana 8 value mappings (``convertOldAngularValueMappings``,
    packages/grafana-data/src/utils/valueMappings.ts; schema step 30 does the same)."""
    out: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    index = 0
    for item in value_maps or []:
        if not isinstance(item, dict) or "value" not in item:
            continue
        if str(item.get("value")) == "null":
            special = {"match": "null", "result": {"text": item.get("text", ""), "index": index}}
            out.append({"type": "special", "options": special})
        else:
            values[str(item["value"])] = {"text": item.get("text", ""), "index": index}
        index += 1
    for item in range_maps or []:
        if not isinstance(item, dict):
            continue
        frm, to = _number(str(item.get("from", ""))), _number(str(item.get("to", "")))
        result = {"text": item.get("text", ""), "index": index}
        out.append({"type": "range", "options": {"from": frm, "to": to, "result": result}})
        index += 1
    if values:
        out.insert(0, {"type": "value", "options": values})
    return out


def singlestat_to_stat(panel: dict[str, Any]) -> None:
    """Migrate one ``singlestat`` panel in place."""
    old = {k: panel.pop(k) for k in _READ if k in panel}
    value_name = str(old.get("valueName") or "avg")
    reduce: dict[str, Any] = {
        "calcs": [_REDUCERS.get(value_name, "mean")],
        "fields": "",
        "values": False,
    }
    if old.get("tableColumn"):
        reduce["fields"] = f"/^{old['tableColumn']}$/"
    sparkline: dict[str, Any] = old["sparkline"] if isinstance(old.get("sparkline"), dict) else {}
    color_mode = (
        "background" if old.get("colorBackground") else "value" if old.get("colorValue") else "none"
    )
    options: dict[str, Any] = {
        "reduceOptions": reduce,
        "orientation": "horizontal",
        "graphMode": "area" if sparkline.get("show") else "none",
        "colorMode": color_mode,
        "justifyMode": "auto",
        "textMode": "name" if value_name == "name" else "auto",
    }
    defaults: dict[str, Any] = {}
    if old.get("format"):
        defaults["unit"] = old["format"]
    if isinstance(old.get("decimals"), int | float):
        defaults["decimals"] = old["decimals"]
    if old.get("nullPointMode"):
        defaults["nullValueMode"] = old["nullPointMode"]
    if old.get("nullText"):
        defaults["noValue"] = old["nullText"]
    colors = old.get("colors") if isinstance(old.get("colors"), list) else []
    if isinstance(old.get("thresholds"), str) and colors:
        steps: list[dict[str, Any]] = [{"color": colors[0], "value": None}]
        parts = [p for p in old["thresholds"].split(",") if p.strip()]
        for i, part in enumerate(parts):
            number = _number(part)
            if number is not None and i + 1 < len(colors):
                steps.append({"color": colors[i + 1], "value": number})
        defaults["thresholds"] = {"mode": "absolute", "steps": steps}
    # convertOldAngularValueMapping: one kind only, by mappingType (guessed when unset).
    kind = old.get("mappingType") or (
        1 if old.get("valueMaps") else 2 if old.get("rangeMaps") else 0
    )
    mappings = old_mappings(
        old.get("valueMaps") if kind == 1 else [], old.get("rangeMaps") if kind == 2 else []
    )
    if mappings:
        defaults["mappings"] = mappings
    gauge: dict[str, Any] = old["gauge"] if isinstance(old.get("gauge"), dict) else {}
    if gauge.get("show"):
        defaults["min"] = gauge.get("minValue", 0)
        defaults["max"] = gauge.get("maxValue", 100)
    if color_mode == "none" and sparkline.get("show") and sparkline.get("lineColor"):
        defaults["color"] = {"mode": "fixed", "fixedColor": sparkline["lineColor"]}
    # The field config defaults are replaced, not merged (sharedSingleStatPanelChangedHandler).
    field_config = panel.setdefault("fieldConfig", {})
    field_config["defaults"] = defaults
    field_config.setdefault("overrides", [])
    panel["options"] = options
    panel["type"] = "stat"
