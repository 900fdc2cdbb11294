"""Small fixture projects, built in memory, one per kind of output the compiler writes.

tests/test_snapshots.py pins their compiled bytes, and tests/test_grafana_schema.py checks their
dashboards against Grafana's published schema, so every panel kind is held to both, not only
the kinds the PFM dashboards happen to use.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pfm_dash.model import (
    AlertList,
    AlertListSort,
    AlertListView,
    AlertRule,
    AlertState,
    AlertTest,
    AxisPlacement,
    BarGauge,
    BarGaugeMode,
    ByMatcher,
    ByName,
    ByRefId,
    ByRegex,
    ByType,
    Color,
    ColorMode,
    CustomUnit,
    CustomVariable,
    Dashboard,
    DatasourceVariable,
    Expect,
    FieldType,
    Folder,
    Gauge,
    GenericPanel,
    GraphMode,
    GraphTooltip,
    IntervalVariable,
    Legend,
    LegendMode,
    LegendPlacement,
    Link,
    NullMap,
    Orientation,
    Override,
    Panel,
    PanelLink,
    Query,
    QueryVariable,
    RangeMap,
    Receiver,
    RecordingRule,
    Reduce,
    Row,
    RuleGroup,
    Series,
    SetAxisPlacement,
    SetColor,
    SetDecimals,
    SetDisplayName,
    SetMappings,
    SetMax,
    SetMin,
    SetProperty,
    SetThresholds,
    SetUnit,
    SetWidth,
    Severity,
    Stacking,
    Stat,
    StatColorMode,
    StateTimeline,
    Step,
    Table,
    Team,
    TextMode,
    Thresholds,
    TimeRange,
    TimeSeries,
    TooltipMode,
    Unit,
    ValueMap,
    VariableRefresh,
    VariableSort,
)
from pfm_dash.project import Config, Project

UP = Query(expr='up{job="api"}', legend="{{instance}}")
RATE = Query(expr='sum(rate(http_requests_total{job="api"}[$__rate_interval]))', legend="req/s")
LIGHTS = Thresholds(
    steps=[
        Step(color=Color.GREEN),
        Step(color=Color.YELLOW, value=80),
        Step(color=Color.RED, value=90),
    ]
)
MAPPINGS = (
    ValueMap(value=0, text="DOWN", color=Color.RED),
    RangeMap(low=1, high=5, text="few"),
    NullMap(text="no data", color=Color.BLUE),
)


def panels_by_kind() -> dict[str, tuple[Panel, Panel]]:
    """Each typed panel kind twice: with every default, and with every option set."""
    common = {
        "description": "All options set.",
        "unit": Unit.PERCENT,
        "decimals": 2,
        "min": 0,
        "max": 100,
        "thresholds": LIGHTS,
        "mappings": MAPPINGS,
        "links": [Link(title="Runbook", url="https://runbooks.example/x", new_tab=True)],
        "transparent": True,
    }
    return {
        "timeseries": (
            TimeSeries(title="Defaults", queries=[UP]),
            TimeSeries(
                title="Options",
                queries=[UP, RATE],
                legend=Legend(
                    mode=LegendMode.TABLE,
                    placement=LegendPlacement.RIGHT,
                    calcs=[Reduce.MEAN, Reduce.MAX],
                ),
                tooltip=TooltipMode.SINGLE,
                stacking=Stacking.NORMAL,
                fill_opacity=30,
                line_width=2,
                color_mode=ColorMode.PALETTE_CLASSIC,
                **common,  # type: ignore[arg-type]
            ),
        ),
        "stat": (
            Stat(title="Defaults", queries=[UP]),
            Stat(
                title="Options",
                queries=[Query(expr="up", instant=True)],
                reduce=Reduce.MEAN,
                stat_color=StatColorMode.BACKGROUND,
                graph=GraphMode.NONE,
                text=TextMode.VALUE_AND_NAME,
                orientation=Orientation.HORIZONTAL,
                no_value="nothing",
                **common,  # type: ignore[arg-type]
            ),
        ),
        "gauge": (
            Gauge(title="Defaults", queries=[UP]),
            Gauge(
                title="Options",
                queries=[UP],
                reduce=Reduce.MAX,
                show_threshold_markers=False,
                show_threshold_labels=True,
                **common,  # type: ignore[arg-type]
            ),
        ),
        "bargauge": (
            BarGauge(title="Defaults", queries=[UP]),
            BarGauge(
                title="Options",
                queries=[UP],
                reduce=Reduce.MIN,
                mode=BarGaugeMode.LCD,
                orientation=Orientation.VERTICAL,
                show_unfilled=False,
                **common,  # type: ignore[arg-type]
            ),
        ),
        "table": (
            Table(title="Defaults", queries=[UP]),
            Table(title="Options", queries=[Query(expr="up", instant=True)], show_header=False),
        ),
        "state-timeline": (
            StateTimeline(title="Defaults", queries=[UP]),
            StateTimeline(
                title="Options",
                queries=[UP],
                legend=Legend(mode=LegendMode.HIDDEN),
                show_values=True,
                merge_values=False,
                row_height=0.5,
                **common,  # type: ignore[arg-type]
            ),
        ),
        "alertlist": (
            AlertList(title="Defaults"),
            AlertList(
                title="Options",
                view=AlertListView.STAT,
                states=[AlertState.FIRING, AlertState.NO_DATA],
                max_items=5,
                sort=AlertListSort.TIME_DESC,
                alert_name="High",
                label_filter="team=ops",
                dashboard_alerts_only=True,
            ),
        ),
    }


def generic_panels() -> dict[str, GenericPanel]:
    """The kinds the DSL does not type, through GenericPanel, with options as Grafana stores
    them."""
    reduce = {"calcs": ["lastNotNull"], "fields": "", "values": False}
    return {
        "heatmap": GenericPanel(
            type="heatmap",
            title="Latency heatmap",
            queries=[Query(expr="sum by (le) (rate(http_request_duration_seconds_bucket[5m]))")],
            options={"calculate": False, "cellGap": 1, "yAxis": {"axisPlacement": "left"}},
            field_config={"custom": {"scaleDistribution": {"type": "linear"}}},
        ),
        "text": GenericPanel(
            type="text",
            title="Read me",
            options={"mode": "markdown", "content": "# On call\nSee the runbook."},
        ),
        "piechart": GenericPanel(
            type="piechart",
            title="Share",
            queries=[RATE],
            unit=Unit.PERCENT,
            options={
                "pieType": "donut",
                "reduceOptions": reduce,
                "legend": {"displayMode": "table", "placement": "right", "showLegend": True},
            },
        ),
        "histogram": GenericPanel(
            type="histogram",
            title="Sizes",
            queries=[UP],
            options={"bucketCount": 20, "combine": False},
            field_config={"custom": {"fillOpacity": 80, "lineWidth": 1}},
        ),
        "logs": GenericPanel(
            type="logs",
            title="Logs",
            options={"showTime": True, "wrapLogMessage": True, "sortOrder": "Descending"},
        ),
        "status-history": GenericPanel(
            type="status-history",
            title="History",
            queries=[UP],
            thresholds=LIGHTS,
            options={"showValue": "auto", "rowHeight": 0.9, "colWidth": 0.9},
            field_config={"custom": {"fillOpacity": 70, "lineWidth": 1}},
        ),
    }


def overrides_dashboard() -> Dashboard:
    """Every override matcher and property, a custom unit, an explicit panel id and ``extra``."""
    return Dashboard(
        uid="overrides",
        title="Overrides",
        panels=[
            TimeSeries(
                title="CPU and memory",
                id=42,
                queries=[UP, RATE],
                unit=CustomUnit.suffix(" req"),
                overrides=[
                    Override(
                        matcher=ByName(name="memory"),
                        properties=[
                            SetUnit(unit=Unit.BYTES),
                            SetAxisPlacement(placement=AxisPlacement.RIGHT),
                            SetColor(color=Color.PURPLE),
                            SetDisplayName(name="Memory"),
                        ],
                    ),
                    Override(
                        matcher=ByRefId(ref_id="B"),
                        properties=[SetMin(value=0), SetMax(value=1), SetDecimals(decimals=3)],
                    ),
                    Override(
                        matcher=ByRegex(pattern="/err.*/"),
                        properties=[
                            SetThresholds(thresholds=LIGHTS),
                            SetMappings(mappings=MAPPINGS),
                        ],
                    ),
                    Override(
                        matcher=ByType(type=FieldType.NUMBER),
                        properties=[SetProperty(id="custom.lineWidth", value=3)],
                    ),
                    Override(
                        matcher=ByMatcher(id="byValue", options={"op": "gte", "value": 1}),
                        properties=[SetColor(mode=ColorMode.PALETTE_CLASSIC)],
                        extra={"__systemRef": "hideSeriesFrom"},
                    ),
                ],
                extra={"options": {"tooltip": {"sort": "desc"}}},
            ),
            Table(
                title="Widths",
                queries=[Query(expr="up", instant=True)],
                overrides=[
                    Override(matcher=ByName(name="instance"), properties=[SetWidth(width=200)])
                ],
            ),
        ],
    )


def panel_dashboard(kind: str, panel: Panel) -> Dashboard:
    return Dashboard(uid=f"kind-{kind}", title=f"Kind {kind}", panels=[panel])


def rows_dashboard() -> Dashboard:
    """Rows both ways: an expanded row owns the panels after it, a collapsed one holds its own."""
    return Dashboard(
        uid="rows",
        title="Rows",
        panels=[
            Stat(title="Before any row", queries=[UP], width=24, height=4),
            Row(title="Open", panels=[TimeSeries(title="A", queries=[UP]), Stat(title="B")]),
            Row(
                title="Closed",
                collapsed=True,
                panels=[TimeSeries(title="C", queries=[UP], width=24), Gauge(title="D")],
            ),
        ],
    )


def shell_dashboard() -> Dashboard:
    """Every dashboard-level option, and each kind of variable."""
    return Dashboard(
        uid="shell",
        title="Shell",
        folder=Folder(uid="team", title="Team", parent=Folder(uid="org", title="Org")),
        tags=["fixture", "shell"],
        description="Every dashboard option.",
        variables=[
            DatasourceVariable(regex="/prom.*/", default="Prometheus"),
            QueryVariable(
                name="instance",
                label="Instance",
                query='label_values(up{job="api"}, instance)',
                multi=True,
                include_all=True,
                all_value=".*",
                regex="/(.*):\\d+/",
                refresh=VariableRefresh.ON_LOAD,
                sort=VariableSort.NUMERICAL_DESC,
                default="a:9090",
            ),
            CustomVariable(name="env", options=["prod", "staging"], include_all=True, hide=True),
            IntervalVariable(name="window", intervals=["1m", "1h"], auto=True, default="1h"),
        ],
        links=[Link(title="Docs", url="https://docs.example")],
        time=TimeRange(start="now-24h", end="now-1h"),
        refresh=None,
        timezone="utc",
        graph_tooltip=GraphTooltip.SHARED_TOOLTIP,
        editable=False,
        panels=[TimeSeries(title="Requests", queries=[RATE])],
    )


def dashboards() -> dict[str, Dashboard]:
    """Every fixture dashboard, by uid."""
    boards = [
        *(panel_dashboard(kind, both[1]) for kind, both in panels_by_kind().items()),
        *(panel_dashboard(kind, panel) for kind, panel in generic_panels().items()),
        rows_dashboard(),
        shell_dashboard(),
        overrides_dashboard(),
    ]
    return {board.uid: board for board in boards}


OPS = Team(
    name="ops",
    receiver=Receiver(email_env="OPS_EMAIL", slack_url_file="/etc/am/slack", slack_channel="#ops"),
)
ONCALL = Team(
    name="oncall",
    receiver=Receiver(webhook_url="https://pager.example/hook", webhook_token_file="/etc/am/t"),
    group_wait="0s",
    repeat_interval="1h",
    on_call_for=Severity.CRITICAL,
)
QUIET = Team(name="quiet", description="Has no receiver.")


def rule_group() -> RuleGroup:
    """An alert with tests, a panel link and extra labels, and a recording rule."""
    board = Dashboard(uid="svc", title="Service", panels=[TimeSeries(title="Up", queries=[UP])])
    down = AlertRule(
        name="InstanceDown",
        expr="up == 0",
        for_="5m",
        keep_firing_for="2m",
        severity=Severity.CRITICAL,
        team=OPS,
        summary="An instance is down.",
        description="{{ $labels.instance }} is down.",
        runbook_url="https://runbooks.example/InstanceDown",
        labels={"service": "api"},
        annotations={"dashboard_hint": "see the Up panel"},
        panel=PanelLink(dashboard=board, panel=board.panels[0]),  # type: ignore[arg-type]
        tests=[
            AlertTest(
                name="down for 10 minutes",
                series=[Series(series='up{instance="a"}', values="0x15")],
                at="10m",
                expect=[
                    Expect(labels={"instance": "a"}, annotations={"description": "a is down."})
                ],
            ),
            AlertTest(
                name="up", series=[Series(series='up{instance="a"}', values="1x15")], at="10m"
            ),
        ],
    )
    record = RecordingRule(record="job:up:sum", expr="sum by (job) (up)", labels={"kind": "slo"})
    return RuleGroup(name="service", rules=[down, record], interval="1m")


# An application's routing policy (the library's defaults are generic): staging pages nobody.
ROUTING_POLICY = {
    "group_by": ["alertname", "service", "environment"],
    "environments": ["production", "staging"],
    "reduced_environments": ["staging"],
    "inhibit_equal": ["alertname", "service", "environment"],
}


def project(
    dashboards: Sequence[Dashboard] = (),
    groups: Sequence[RuleGroup] = (),
    teams: Sequence[Team] = (),
) -> Project:
    """A project held in memory: nothing is imported from or written to disk."""
    raw = {"grafana": {"url": "https://grafana.example"}, "alertmanager": ROUTING_POLICY}
    config = Config(root=Path("/fixture"), raw=raw)
    return Project(config, list(dashboards), list(groups), list(teams))
