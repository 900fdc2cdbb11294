"""The comparers on declarations built in the test: matching, grid, kinds, new model fields."""

from __future__ import annotations

from pfm_dash import Dashboard, Stat, TimeSeries, Unit
from pfm_dash.model.base import declaration
from pfm_dash.model.dashboard import CustomVariable, Row, TimeRange
from pfm_dash.model.panels import Legend, Step, Thresholds
from pfm_dash.model.query import Query
from pfm_dash.model.vocab import Color, LegendMode
from pfm_dash.review.changes import word_diff
from pfm_dash.review.dashboards import REFLOW, compare_dashboards
from pfm_dash.review.fields import compare_fields, fields_json, plain


@declaration
class FuturePanel(TimeSeries):
    """A panel kind with a field the diff has never heard of."""

    sparkle: int = 0


def board(*panels: object, title: str = "B", **kw: object) -> Dashboard:
    return Dashboard(uid="b", title=title, panels=list(panels), **kw)  # type: ignore[arg-type]


def changes(before: Dashboard, after: Dashboard) -> list[tuple[str, str, str]]:
    sections = compare_dashboards([before], [after])
    return [(c.op, c.subject, c.field) for s in sections for c in s.changes]


def test_a_field_added_to_the_model_is_diffed_without_code_changes() -> None:
    old = FuturePanel(title="P", sparkle=1)
    new = FuturePanel(title="P", sparkle=3)
    [change] = compare_fields("panel 'P'", old, new)
    assert (change.field, change.before, change.after) == ("sparkle", 1, 3)


def test_panel_kind_width_and_query_changes() -> None:
    q = Query(expr="sum(rate(x[5m]))", legend="x")
    before = board(TimeSeries(title="A", queries=[q], width=12), Stat(title="B", width=12))
    after = board(
        Stat(title="A", queries=[Query(expr="sum(rate(x[1m]))", legend="x")], width=24),
        Stat(title="B", width=12),
    )
    got = changes(before, after)
    assert ("changed", "panel 'A'", "kind") in got
    assert ("resized", "panel 'A'", "size") in got
    assert ("changed", "panel 'A' query A", "expression") in got
    assert ("moved", "panel 'B'", "position") in got  # pushed onto the next line


def test_rows_and_membership() -> None:
    p = TimeSeries(title="P")
    before = board(Row(title="R", panels=[p]))
    after = board(Row(title="R", panels=[p], collapsed=True))
    assert ("changed", "row 'R'", "collapsed") in changes(before, after)


def test_a_declared_id_matches_a_renamed_panel() -> None:
    got = changes(board(TimeSeries(title="Old", id=7)), board(TimeSeries(title="New", id=7)))
    assert ("renamed", "panel 'New'", "title") in got


def test_without_declared_ids_a_rename_is_a_removal_and_an_addition() -> None:
    # Ids derive from titles, so a renamed panel is a new panel to Grafana too.
    got = changes(board(TimeSeries(title="Old")), board(TimeSeries(title="New")))
    assert ("removed", "panel 'Old'", "TimeSeries") in got
    assert ("added", "panel 'New'", "TimeSeries") in got


def test_dashboard_rename_and_variables() -> None:
    p = TimeSeries(title="P", unit=Unit.SECONDS)
    before = board(p, variables=[CustomVariable(name="env", options=["a"])])
    after = board(p, title="C", variables=[CustomVariable(name="env", options=["a", "b"])])
    [section] = compare_dashboards([before], [after])
    assert section.status == "renamed"
    got = [(c.op, c.subject, c.field) for c in section.changes]
    assert ("renamed", "dashboard", "title") in got
    assert ("changed", "variable $env", "options") in got


def test_plain_names_references_and_kinds() -> None:
    assert plain(Unit.SECONDS) == "s"
    variables = fields_json(
        board(TimeSeries(title="P"), variables=[CustomVariable(name="e", options=["a"])])
    )
    assert variables["variables"][0]["kind"] == "CustomVariable"  # one of several kinds
    assert (
        "kind" not in plain(TimeSeries(title="P", legend=Legend(mode=LegendMode.TABLE)))["legend"]
    )


def test_word_diff_keeps_the_common_words() -> None:
    assert word_diff("a > 1", "a > 2") == (("=", "a > "), ("-", "1"), ("+", "2"))


def test_a_panel_the_author_moved_is_told_from_panels_that_reflowed() -> None:
    a, b, c, d = (TimeSeries(title=t, width=12) for t in "ABCD")
    inserted = compare_dashboards(
        [board(a, b, c)], [board(TimeSeries(title="N", width=24), a, b, c)]
    )
    moves = {x.subject: x.note for x in inserted[0].changes if x.op == "moved"}
    assert moves == {f"panel '{t}'": REFLOW for t in "ABC"}
    swapped = compare_dashboards([board(a, b, c, d)], [board(a, c, b, d)])
    notes = {x.subject: x.note for x in swapped[0].changes if x.op == "moved"}
    assert sorted(notes.values()) == ["", REFLOW]  # one was moved, the other made room


def test_nested_declarations_compare_part_by_part_thresholds_whole() -> None:
    before = board(TimeSeries(title="P"))
    steps = Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=5)])
    after = board(
        TimeSeries(title="P", legend=Legend(mode=LegendMode.TABLE), thresholds=steps),
        time=TimeRange(start="now-24h"),
    )
    [section] = compare_dashboards([before], [after])
    got = {(c.subject, c.field): (c.before, c.after) for c in section.changes}
    assert got[("dashboard", "time start")] == ("now-6h", "now-24h")
    assert got[("panel 'P'", "legend mode")] == ("list", "table")
    assert got[("panel 'P'", "thresholds")][1]["steps"][1] == {"color": "red", "value": 5}


def test_a_list_of_several_kinds_names_each_kind_when_it_changes() -> None:
    from pfm_dash.model import Fault, ScaleRate, ShiftLatency
    from pfm_dash.review.fields import compare_fields

    before = Fault(name="f", changes=[ScaleRate(metric="m", factor=2)])
    after = Fault(name="f", changes=[ShiftLatency(metric="m", factor=2)])
    (change,) = compare_fields("fault f", before, after)
    assert change.before == [{"kind": "ScaleRate", "metric": "m", "factor": 2}]
    assert change.after == [{"kind": "ShiftLatency", "metric": "m", "factor": 2}]
