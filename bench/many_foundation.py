"""Child of bench/many_bench.py: N dashboards shaped like pfm-overview, with the builders of
grafana-foundation-sdk (Grafana's own SDK; installed for the bench only, see the Makefile).

    .cache/bench/bin/python bench/many_foundation.py N OUT SHAPE

Each panel of SHAPE (pfm-overview as pfm-dash compiles it) is declared with the SDK's builder
for its kind: thresholds, value mappings, legend, tooltip, units, min/max, the variables and
links; each dashboard is built and serialised as the SDK documents it
(``json.dumps(board.build(), cls=JSONEncoder, sort_keys=True, indent=2)``), one file each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from grafana_foundation_sdk.builders import common as cb
from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.builders import gauge, prometheus, stat, statetimeline, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common as cm
from grafana_foundation_sdk.models import dashboard as dm
from many_child import measure

DS = dm.DataSourceRef(type_val="prometheus", uid="${datasource}")
KINDS: dict[str, Any] = {
    "timeseries": timeseries.Panel,
    "stat": stat.Panel,
    "gauge": gauge.Panel,
    "state-timeline": statetimeline.Panel,
}


def _thresholds(defaults: dict[str, Any]) -> db.ThresholdsConfig:
    steps = defaults.get("thresholds", {}).get("steps", [])
    return (
        db.ThresholdsConfig()
        .mode(dm.ThresholdsMode.ABSOLUTE)
        .steps([dm.Threshold(value=s["value"], color=s["color"]) for s in steps])
    )


def _mappings(defaults: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for m in defaults.get("mappings", []):
        results = {
            k: dm.ValueMappingResult(text=r.get("text"), color=r.get("color"), index=r.get("index"))
            for k, r in m["options"].items()
        }
        out.append(dm.ValueMap(options=results))
    return out


def _legend(options: dict[str, Any]) -> cb.VizLegendOptions:
    legend = options.get("legend", {})
    return (
        cb.VizLegendOptions()
        .display_mode(cm.LegendDisplayMode(legend.get("displayMode", "list")))
        .placement(cm.LegendPlacement(legend.get("placement", "bottom")))
        .calcs(legend.get("calcs", []))
        .show_legend(True)
    )


def _panel(p: dict[str, Any]) -> Any:
    """One panel of the shape, declared with the SDK's builder for its kind."""
    defaults = p.get("fieldConfig", {}).get("defaults", {})
    options = p.get("options", {})
    kind = p["type"]
    if kind == "alertlist":  # the SDK has no alert list builder: the generic panel
        panel = db.Panel().type("alertlist").options(options)
    else:
        panel = KINDS[kind]().datasource(DS)
        for t in p.get("targets", []):
            query = prometheus.Dataquery().expr(t["expr"]).legend_format(t.get("legendFormat", ""))
            panel.with_target(query.ref_id(t["refId"]).instant() if t.get("instant") else query)
        panel.unit(defaults.get("unit", "none")).thresholds(_thresholds(defaults))
        panel.mappings(_mappings(defaults))
        for key in ("min", "max", "decimals"):
            if key in defaults:
                getattr(panel, key)(defaults[key])
    panel.id(p["id"]).title(p["title"]).description(p.get("description", ""))
    grid = p["gridPos"]
    panel.grid_pos(dm.GridPos(h=grid["h"], w=grid["w"], x=grid["x"], y=grid["y"]))
    if kind == "timeseries":
        custom = defaults.get("custom", {})
        panel.legend(_legend(options)).fill_opacity(custom.get("fillOpacity", 0))
        panel.tooltip(
            cb.VizTooltipOptions().mode(cm.TooltipDisplayMode(options["tooltip"]["mode"]))
        )
    elif kind == "stat":
        panel.color_mode(cm.BigValueColorMode(options.get("colorMode", "value")))
        panel.graph_mode(cm.BigValueGraphMode(options.get("graphMode", "area")))
        panel.text_mode(cm.BigValueTextMode(options.get("textMode", "auto")))
        calcs = options.get("reduceOptions", {}).get("calcs", ["lastNotNull"])
        panel.reduce_options(cb.ReduceDataOptions().calcs(calcs).values(False))
        panel.no_value(defaults.get("noValue", ""))
    elif kind == "gauge":
        panel.show_threshold_markers(options.get("showThresholdMarkers", True))
        panel.show_threshold_labels(options.get("showThresholdLabels", False))
    elif kind == "state-timeline":
        panel.legend(_legend(options)).merge_values(options.get("mergeValues", True))
        panel.row_height(options.get("rowHeight", 0.9))
    return panel


def _variable(v: dict[str, Any]) -> Any:
    if v["type"] == "datasource":
        return db.DatasourceVariable(v["name"]).label(v.get("label", "")).type(v["query"])
    query = v.get("query", "")
    out = (
        db.QueryVariable(v["name"])
        .label(v.get("label", ""))
        .query(query["query"] if isinstance(query, dict) else query)
        .datasource(DS)
        .multi(v.get("multi", False))
        .include_all(v.get("includeAll", False))
        .refresh(dm.VariableRefresh(v.get("refresh", 1)))
        .sort(dm.VariableSort(v.get("sort", 0)))
    )
    return out.all_value(v["allValue"]) if v.get("allValue") else out


def main() -> None:
    n, out, shape = int(sys.argv[1]), Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())
    out.mkdir(parents=True, exist_ok=True)
    measure(lambda: _write(n, out, shape))


def _write(n: int, out: Path, shape: dict[str, Any]) -> None:
    for i in range(n):
        board = (
            db.Dashboard(f"PFM {i}")
            .uid(f"pfm-{i}")
            .description(shape.get("description", ""))
            .tags(shape.get("tags", []))
            .timezone(shape.get("timezone", "browser"))
            .refresh(shape.get("refresh", "30s"))
            .tooltip(dm.DashboardCursorSync(shape.get("graphTooltip", 0)))
        )
        for link in shape.get("links", []):
            board.link(
                db.DashboardLink(link["title"]).type(dm.DashboardLinkType.LINK).url(link["url"])
            )
        for v in shape.get("templating", {}).get("list", []):
            board.with_variable(_variable(v))
        for p in shape["panels"]:
            board.with_panel(_panel(p))
        text = json.dumps(board.build(), cls=JSONEncoder, sort_keys=True, indent=2)
        (out / f"pfm-{i}.json").write_text(text)


if __name__ == "__main__":
    main()
