"""Dashboards to Python and back: the module imports to an equal model with the same JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pfm_dash import (
    AlertList,
    AlertState,
    BarGauge,
    BarGaugeMode,
    Color,
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    Folder,
    Gauge,
    GridPos,
    IntervalVariable,
    Legend,
    LegendMode,
    Link,
    NullMap,
    Query,
    QueryVariable,
    RangeMap,
    Row,
    Stat,
    StateTimeline,
    Step,
    Table,
    Thresholds,
    TimeRange,
    TimeSeries,
    Unit,
    ValueMap,
)
from pfm_dash.config import load_config
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.python.dashboards import dashboard_module, flowing
from pfm_dash.project import load_project

ROOT = Path(__file__).resolve().parents[3]
Load = Callable[[str, str], ModuleType]
Lint = Callable[[Path], None]

LONG_EXPR = (
    'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{cluster="$cluster", '
    'namespace="$namespace", image!="", container!="POD"}[$__rate_interval]))\n'
    "/ on (namespace, pod) group_left sum by (namespace, pod) (kube_pod_container_resource_limits"
    '{cluster="$cluster", resource="cpu"})'
)


def kitchen_sink() -> Dashboard:
    """Every kind of panel, row and variable, with awkward titles and raw JSON extras."""
    parent = Folder(uid="infra", title="Infrastructure")
    cpu = TimeSeries(
        title="CPU",
        queries=[Query(expr=LONG_EXPR, legend="{{pod}}", ref_id="A", interval="1m")],
        unit=Unit.PERCENT_UNIT,
        min=0,
        max=1,
        legend=Legend(mode=LegendMode.TABLE),
        width=24,
        extra={"fieldConfig": {"defaults": {"custom": {"spanNulls": True}}}, "maxPerRow": 4},
    )
    return Dashboard(
        uid="kitchen-sink",
        title="Kitchen \u2013 sink ✓",
        folder=Folder(uid="k8s", title="Kubernetes", parent=parent),
        tags=["k8s", "imported"],
        description="Says \"hello\" and 'bye'\\",
        variables=[
            DatasourceVariable(regex="/prom/"),
            QueryVariable(
                name="cluster", query="label_values(up, cluster)", multi=True, include_all=True
            ),
            CustomVariable(name="quantile", options=["0.5", "0.9", "0.99"], default="0.9"),
            IntervalVariable(name="window", intervals=["1m", "5m"], auto=True, hide=True),
        ],
        links=[Link(title="Runbook", url="https://runbooks.example/k8s", new_tab=True)],
        time=TimeRange(start="now-1h"),
        refresh=None,
        extra={"annotations": {"list": []}, "weekStart": "monday", "nested": [1, 2.5, None]},
        panels=[
            Stat(
                title="Up",
                queries=[Query(expr="up", instant=True)],
                mappings=[
                    ValueMap(value=0, text="DOWN", color=Color.RED),
                    RangeMap(low=1, high=None, text="UP", color="#00ff00"),
                    NullMap(text="n/a"),
                ],
                thresholds=Thresholds(
                    steps=[Step(color=Color.RED), Step(color=Color.GREEN, value=1)]
                ),
                pos=GridPos(x=0, y=0, w=5, h=4),
            ),
            Gauge(title="Up", queries=[Query(expr="up")], pos=GridPos(x=19, y=0, w=5, h=7)),
            AlertList(title="class", states=[AlertState.FIRING], width=6),
            Row(title="Compute", panels=[cpu, Table(title="max", queries=[Query(expr="up")])]),
            Row(
                title="Hidden",
                collapsed=True,
                panels=[
                    BarGauge(title="1st quartile", mode=BarGaugeMode.LCD, width=8),
                    StateTimeline(title="!!!", queries=[Query(expr="up", hide=True)]),
                ],
            ),
        ],
    )


def roundtrip(board: Dashboard, load: Load, name: str) -> tuple[str, Dashboard]:
    source = dashboard_module(board, source="fixtures/board.json")
    module = load(name, source)
    boards = [v for v in vars(module).values() if isinstance(v, Dashboard)]
    assert len(boards) == 1
    return source, boards[0]


def test_kitchen_sink_round_trips_to_an_equal_model_and_the_same_json(load_module: Load) -> None:
    board = kitchen_sink()
    _, back = roundtrip(board, load_module, "kitchen")
    assert back == flowing(board)
    assert compile_dashboard(back).model == compile_dashboard(board).model


def test_source_is_idiomatic(load_module: Load) -> None:
    source, _ = roundtrip(kitchen_sink(), load_module, "idiom")
    assert "from pfm_dash import (" in source
    assert "unit=Unit.PERCENT_UNIT" in source  # enums, not strings
    assert "mode=BarGaugeMode.LCD" in source
    assert "Step(color=Color.RED)" in source
    assert 'color="#00ff00"' in source  # a hex code stays a string
    assert "up = Stat(" in source and "up_2 = Gauge(" in source  # same title: numbered
    assert "class_panel = AlertList(" in source and "max_panel = Table(" in source
    assert "panel_1st_quartile = BarGauge(" in source
    assert "panel = StateTimeline(" in source  # a title with no letters
    assert "folder = Folder(" in source and "folder=folder" in source
    assert 'parent=Folder(uid="infra"' in source
    assert 'Query(expr="up", instant=True)' in source  # only non-default arguments
    assert "height=8" not in source and "pfm_dash.model" not in source
    assert "panels=[\n        up,\n        up_2," in source
    assert 'Row(title="Compute", panels=[cpu, max_panel])' in source


def test_flow_layout_replaces_positions_only_where_the_grid_is_the_same() -> None:
    # The first two panels are where the flow would put them; the third is not.
    board = Dashboard(
        uid="flow",
        title="Flow",
        panels=[
            TimeSeries(title="a", pos=GridPos(x=0, y=0, w=12, h=8)),
            TimeSeries(title="b", pos=GridPos(x=12, y=0, w=12, h=6)),
            TimeSeries(title="c", pos=GridPos(x=6, y=20, w=6, h=3)),
            TimeSeries(title="d", pos=GridPos(x=0, y=8, w=24, h=5)),
        ],
    )
    out = flowing(board)
    by_title = {p.title: p for p in out.all_panels()}
    assert by_title["a"].pos is None and by_title["a"].width == 12
    assert by_title["b"].pos is None and by_title["b"].height == 6
    assert by_title["c"].pos == GridPos(x=6, y=20, w=6, h=3)
    assert (by_title["c"].width, by_title["c"].height) == (12, 8)  # pos says it all
    assert by_title["d"].pos is None and by_title["d"].width == 24
    assert compile_dashboard(out).model == compile_dashboard(board).model


def test_all_flowing_when_the_grid_is_what_the_flow_makes(load_module: Load) -> None:
    board = Dashboard(
        uid="grid",
        title="Grid",
        panels=[
            TimeSeries(title=f"p{i}", pos=GridPos(x=8 * (i % 3), y=8 * (i // 3), w=8, h=8))
            for i in range(6)
        ],
    )
    source, back = roundtrip(board, load_module, "grid")
    assert "pos=" not in source and source.count("width=8") == 6
    assert compile_dashboard(back).model == compile_dashboard(board).model


def pfm_dashboards() -> list[Dashboard]:
    return load_project(load_config(ROOT)).dashboards


def test_the_pfm_dashboards_round_trip(load_module: Load) -> None:
    for i, board in enumerate(pfm_dashboards()):
        _, back = roundtrip(board, load_module, f"pfm_{i}")
        assert back == flowing(board)
        assert compile_dashboard(back).model == compile_dashboard(board).model


def test_generated_modules_pass_ruff_and_mypy_strict(tmp_path: Path, lint: Lint) -> None:
    folder = tmp_path / "dashboards"
    folder.mkdir()
    (folder / "__init__.py").write_text('"""Imported dashboards."""\n')
    boards: list[Any] = [kitchen_sink(), *pfm_dashboards()]
    for board in boards:
        name = board.uid.replace("-", "_")
        (folder / f"{name}.py").write_text(dashboard_module(board, source="grafana"), "utf-8")
    lint(folder)


@pytest.mark.parametrize("field", ["title", "description"])
def test_strings_with_quotes_and_unicode_survive(load_module: Load, field: str) -> None:
    text = "a \"quoted\" 'mixed' \\ back\tslash \u2013 ünïcode ✓ 𝄞 " * 6
    board = Dashboard(uid="s", title="S", panels=[TimeSeries(title="t")])
    board = dataclasses.replace(board, **{field: text})
    source, back = roundtrip(board, load_module, f"strings_{field}")
    assert getattr(back, field) == text
    assert max(len(line) for line in source.splitlines()) <= 100


def test_a_setting_three_panels_repeat_becomes_one_constant(load_module: Load) -> None:
    def red_at(value: float) -> Thresholds:
        return Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=value)])

    board = Dashboard(
        uid="shared",
        title="Shared",
        panels=[
            *(TimeSeries(title=f"t{i}", thresholds=red_at(80)) for i in range(3)),
            *(Stat(title=f"s{i}", thresholds=red_at(90)) for i in range(2)),
            TimeSeries(title="plain", legend=Legend()),
        ],
    )
    source, back = roundtrip(board, load_module, "shared")
    assert source.count("THRESHOLDS = Thresholds(") == 1
    assert source.count("thresholds=THRESHOLDS)") == 3
    assert source.count("value=90)") == 2  # only two repeat it: written in place
    assert "Legend" not in source  # a default setting is neither shared nor written
    assert back == board
    assert compile_dashboard(back).model == compile_dashboard(board).model
