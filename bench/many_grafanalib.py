"""Child of bench/many_bench.py: N dashboards shaped like pfm-overview, grafanalib's own way.

    python bench/many_grafanalib.py N OUT SHAPE

SHAPE is pfm-overview as pfm-dash compiles it; each of its panels is declared again with
grafanalib's classes (thresholds, value mappings, legend, tooltip, units, min/max, the two
variables, the links), then serialised the way grafanalib's own generator does
(``json.dumps(cls=DashboardEncoder, indent=2, sort_keys=True)``), one file each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import grafanalib.core as G
from grafanalib._gen import DashboardEncoder
from many_child import measure

DS = {"type": "prometheus", "uid": "${datasource}"}


def _targets(panel: dict[str, Any]) -> list[G.Target]:
    return [
        G.Target(
            expr=t["expr"],
            legendFormat=t.get("legendFormat", ""),
            refId=t["refId"],
            instant=t.get("instant", False),
            datasource=DS,
        )
        for t in panel.get("targets", [])
    ]


def _thresholds(defaults: dict[str, Any]) -> list[G.Threshold]:
    steps = defaults.get("thresholds", {}).get("steps", [])
    return [
        G.Threshold(color=s["color"], index=i, value=float(s["value"] or 0.0))
        for i, s in enumerate(steps)
    ]


def _panel(p: dict[str, Any]) -> Any:
    """One panel of the shape, declared with grafanalib's class for its kind."""
    defaults = p.get("fieldConfig", {}).get("defaults", {})
    options = p.get("options", {})
    grid = G.GridPos(**p["gridPos"])
    common: dict[str, Any] = {
        "title": p["title"],
        "description": p.get("description", ""),
        "gridPos": grid,
        "id": p["id"],
    }
    kind = p["type"]
    if kind == "alertlist":
        return G.AlertList(**common, limit=options.get("maxItems", 10))
    common |= {"dataSource": DS, "targets": _targets(p)}
    if kind == "timeseries":
        legend = options.get("legend", {})
        return G.TimeSeries(
            **common,
            unit=defaults.get("unit", ""),
            thresholds=_thresholds(defaults),
            mappings=defaults.get("mappings", []),
            legendDisplayMode=legend.get("displayMode", "list"),
            legendPlacement=legend.get("placement", "bottom"),
            legendCalcs=legend.get("calcs", []),
            tooltipMode=options.get("tooltip", {}).get("mode", "single"),
            fillOpacity=defaults.get("custom", {}).get("fillOpacity", 0),
            valueMin=defaults.get("min"),
            valueMax=defaults.get("max"),
        )
    if kind == "stat":
        return G.Stat(
            **common,
            format=defaults.get("unit", "none"),
            thresholds=_thresholds(defaults),
            mappings=defaults.get("mappings", []),
            colorMode=options.get("colorMode", "value"),
            graphMode=options.get("graphMode", "area"),
            textMode=options.get("textMode", "auto"),
            reduceCalc=options.get("reduceOptions", {}).get("calcs", ["lastNotNull"])[0],
            noValue=defaults.get("noValue", "none"),
        )
    if kind == "gauge":
        return G.GaugePanel(
            **common,
            format=defaults.get("unit", "none"),
            min=defaults.get("min", 0),
            max=defaults.get("max", 100),
            decimals=defaults.get("decimals"),
            thresholds=_thresholds(defaults),
            thresholdMarkers=options.get("showThresholdMarkers", True),
            thresholdLabels=options.get("showThresholdLabels", False),
        )
    if kind == "state-timeline":
        return G.StateTimeline(
            **common,
            thresholds=_thresholds(defaults),
            mappings=defaults.get("mappings", []),
            mergeValues=options.get("mergeValues", True),
            rowHeight=options.get("rowHeight", 0.9),
        )
    raise SystemExit(f"no grafanalib class for panel type {kind!r}")


def _variables(shape: dict[str, Any]) -> G.Templating:
    out = []
    for v in shape.get("templating", {}).get("list", []):
        query = v.get("query", "")
        out.append(
            G.Template(
                name=v["name"],
                label=v.get("label", ""),
                type=v["type"],
                query=query["query"] if isinstance(query, dict) else query,
                dataSource=v.get("datasource"),
                includeAll=v.get("includeAll", False),
                multi=v.get("multi", False),
                allValue=v.get("allValue"),
                refresh=v.get("refresh", 1),
                sort=v.get("sort", 0),
            )
        )
    return G.Templating(list=out)


def main() -> None:
    n, out, shape = int(sys.argv[1]), Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())
    out.mkdir(parents=True, exist_ok=True)
    measure(lambda: _write(n, out, shape))


def _write(n: int, out: Path, shape: dict[str, Any]) -> None:
    for i in range(n):
        board = G.Dashboard(
            title=f"PFM {i}",
            uid=f"pfm-{i}",
            description=shape.get("description", ""),
            tags=shape.get("tags", []),
            timezone=shape.get("timezone", "browser"),
            refresh=shape.get("refresh", "30s"),
            graphTooltip=shape.get("graphTooltip", 0),
            links=[
                G.DashboardLink(title=link["title"], uri=link.get("url", ""), type="link")
                for link in shape.get("links", [])
            ],
            templating=_variables(shape),
            panels=[_panel(p) for p in shape["panels"]],
        )
        text = json.dumps(board.to_json_data(), cls=DashboardEncoder, indent=2, sort_keys=True)
        (out / f"pfm-{i}.json").write_text(text)


if __name__ == "__main__":
    main()
