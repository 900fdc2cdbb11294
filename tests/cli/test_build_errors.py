"""Every DSL mistake `pfm-dash build` promises to catch: file:line, what, how to mend, exit 2."""

from __future__ import annotations

import pytest
from conftest import MakeProject, run_cli
from fixtures_src import TEAMS, alert_module, dashboard_module


def build_fails(project_files: dict[str, str], make_project: MakeProject) -> str:
    root = make_project(project_files)
    result = run_cli("build", cwd=root)
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    assert not (root / "build").exists(), "a failed build must write nothing"
    return result.err


def test_valid_fixture_builds(make_project: MakeProject) -> None:
    root = make_project(
        {
            "alerts/teams.py": TEAMS,
            "alerts/ops.py": alert_module(),
            "dashboards/board.py": dashboard_module(),
        }
    )
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert (root / "build/grafana/dashboards/board.json").is_file()
    assert (root / "build/prometheus/rules/ops.rules.yml").is_file()
    assert (root / "build/prometheus/tests/ops.test.yml").is_file()


def test_duplicate_dashboard_uid(make_project: MakeProject) -> None:
    err = build_fails(
        {
            "dashboards/a.py": dashboard_module(uid="same"),
            "dashboards/b.py": dashboard_module(uid="same"),
        },
        make_project,
    )
    assert (
        "dashboards/b.py:5: error: dashboard uid 'same' is already used at dashboards/a.py:5" in err
    )
    assert "hint: give each dashboard its own uid" in err


@pytest.mark.parametrize("uid", ["has space", "x" * 41, "", "é"])
def test_invalid_uid(make_project: MakeProject, uid: str) -> None:
    err = build_fails({"dashboards/a.py": dashboard_module(uid=uid)}, make_project)
    assert "dashboards/a.py:5: error: invalid dashboard uid" in err
    assert "1 to 40 characters" in err


def test_empty_panel_title(make_project: MakeProject) -> None:
    err = build_fails({"dashboards/a.py": dashboard_module(title="  ")}, make_project)
    assert "dashboards/a.py:4: error: panel has an empty title" in err


def test_empty_dashboard_title(make_project: MakeProject) -> None:
    source = dashboard_module().replace('title="Board"', 'title=""')
    err = build_fails({"dashboards/a.py": source}, make_project)
    assert "dashboards/a.py:5: error: dashboard 'board' has an empty title" in err


def test_panel_wider_than_grid(make_project: MakeProject) -> None:
    err = build_fails({"dashboards/a.py": dashboard_module(width=30)}, make_project)
    assert "dashboards/a.py:4: error: panel 'Up' is 30 columns wide; the grid has 24" in err


def test_overlapping_explicit_positions(make_project: MakeProject) -> None:
    source = """
    from pfm_dash import Dashboard, GridPos, Query, Stat, Unit

    a = Stat(title="A", queries=[Query(expr="up")], unit=Unit.NONE,
             pos=GridPos(x=0, y=0, w=12, h=8))
    b = Stat(title="B", queries=[Query(expr="up")], unit=Unit.NONE,
             pos=GridPos(x=6, y=4, w=12, h=8))
    board = Dashboard(uid="board", title="Board", panels=[a, b])
    """
    err = build_fails({"dashboards/a.py": source}, make_project)
    assert "dashboards/a.py:6: error: panel 'B' at 6,4 (12x8) overlaps panel 'A'" in err


def test_duplicate_alert_in_group(make_project: MakeProject) -> None:
    source = alert_module().replace("rules=[up]", "rules=[up, again]")
    source = source.replace("group = ", "again = replace(up, summary='Copy.')\ngroup = ")
    source = "from dataclasses import replace\n" + source
    err = build_fails({"alerts/teams.py": TEAMS, "alerts/ops.py": source}, make_project)
    assert "alerts/ops.py:26: error: alert InstanceDown is declared twice in group 'ops'" in err
    assert "(first at alerts/ops.py:6)" in err


def test_duplicate_group_name(make_project: MakeProject) -> None:
    err = build_fails(
        {
            "alerts/teams.py": TEAMS,
            "alerts/a.py": alert_module(name="A"),
            "alerts/b.py": alert_module(name="B"),
        },
        make_project,
    )
    assert "alerts/b.py:25: error: rule group 'ops' is already declared at alerts/a.py:25" in err


@pytest.mark.parametrize("duration", ["5 minutes", "1.5m", "m", "-1m"])
def test_invalid_duration(make_project: MakeProject, duration: str) -> None:
    err = build_fails(
        {"alerts/teams.py": TEAMS, "alerts/ops.py": alert_module(for_=duration)}, make_project
    )
    assert (
        f"alerts/ops.py:5: error: invalid duration '{duration}' for alert InstanceDown for_" in err
    )
    assert "hint: write a Prometheus duration" in err


def test_unknown_team(make_project: MakeProject) -> None:
    err = build_fails(
        {
            "alerts/teams.py": TEAMS,
            "alerts/ops.py": alert_module(team='Team(name="ghosts")').replace(
                "from pfm_dash import", "from pfm_dash import Team,"
            ),
        },
        make_project,
    )
    assert (
        "alerts/ops.py:5: error: alert InstanceDown belongs to team 'ghosts', which is not" in err
    )
    assert "(declared: ops)" in err


def test_team_as_string_is_refused(make_project: MakeProject) -> None:
    err = build_fails(
        {"alerts/teams.py": TEAMS, "alerts/ops.py": alert_module(team='"ops"')}, make_project
    )
    assert "alerts/ops.py:5: error: AlertRule(team=...) must be a Team or None, not 'ops'" in err
    assert "hint: a declared Team object, not its name: import it from your teams module" in err


def test_alert_without_tests(make_project: MakeProject) -> None:
    err = build_fails(
        {"alerts/teams.py": TEAMS, "alerts/ops.py": alert_module(tests="[]")}, make_project
    )
    assert (
        "alerts/ops.py:5: error: alert InstanceDown has no unit test with a case where it "
        "fires and a case where it stays silent" in err
    )


def test_alert_without_silent_case(make_project: MakeProject) -> None:
    only_firing = alert_module().split('AlertTest(name="up"')[0]
    source = (
        only_firing.rstrip().rstrip(",")
        + '\n    ],\n)\ngroup = RuleGroup(name="ops", rules=[up])\n'
    )
    err = build_fails({"alerts/teams.py": TEAMS, "alerts/ops.py": source}, make_project)
    assert "has no unit test with a case where it stays silent" in err


def test_import_failure_names_file_and_line(make_project: MakeProject) -> None:
    source = "from pfm_dash import Dashboard\n\nx = 1\ny = undefined_name + 1\n"
    err = build_fails({"dashboards/broken.py": source}, make_project)
    assert "dashboards/broken.py:4: error: broken.py failed to import: NameError" in err
    assert "undefined_name" in err


def test_wrong_type_is_refused_at_its_line(make_project: MakeProject) -> None:
    source = dashboard_module().replace("unit=Unit.NONE", 'unit="seconds"')
    err = build_fails({"dashboards/a.py": source}, make_project)
    assert (
        "dashboards/a.py:4: error: TimeSeries(unit=...) must be a Unit (Unit.NONE, Unit.SHORT, "
        "...) or a CustomUnit or None, not 'seconds'" in err
    )


def test_a_broken_module_is_reported_once_where_it_broke(make_project: MakeProject) -> None:
    importer = "from dashboards.a import board\n\ncopy = board\n"
    err = build_fails(
        {
            "dashboards/a.py": dashboard_module().replace("unit=Unit.NONE", "unit=Unit.SECOND"),
            "dashboards/b.py": importer,
            "dashboards/c.py": importer,
        },
        make_project,
    )
    assert err.count("error:") == 1, err
    assert "dashboards/a.py:4: error: a.py failed to import: AttributeError" in err


def test_syntax_error_names_file_and_line(make_project: MakeProject) -> None:
    err = build_fails({"dashboards/broken.py": "x = (\n\ny = 2\n"}, make_project)
    assert "dashboards/broken.py:1: error: broken.py failed to import: SyntaxError" in err


def test_all_errors_reported_in_one_run(make_project: MakeProject) -> None:
    err = build_fails(
        {
            "dashboards/a.py": dashboard_module(uid="bad uid"),
            "dashboards/b.py": dashboard_module(width=25),
        },
        make_project,
    )
    assert "dashboards/a.py:5" in err and "dashboards/b.py:4" in err
    assert "2 error(s); nothing was written." in err


def test_a_panel_built_by_a_helper_is_reported_where_the_helper_is_called(
    make_project: MakeProject,
) -> None:
    source = """\
from pfm_dash import Dashboard, Stat, Unit


def tile(title: str, width: int) -> Stat:
    return Stat(title=title, unit=Unit.NONE, width=width)


board = Dashboard(
    uid="tiles",
    title="Tiles",
    panels=[
        tile("Fine", 6),
        tile("Too wide", 30),
    ],
)
"""
    err = build_fails({"dashboards/tiles.py": source}, make_project)
    assert "dashboards/tiles.py:13: error: panel 'Too wide' is 30 columns wide" in err, err


def test_two_panels_with_one_title_and_one_panel_placed_twice_are_refused(
    make_project: MakeProject,
) -> None:
    source = """\
from pfm_dash import Dashboard, Stat, Unit

up = Stat(title="Up", unit=Unit.NONE)
board = Dashboard(
    uid="dups",
    title="Dups",
    panels=[
        up,
        Stat(title="Load", unit=Unit.NONE),
        Stat(title="Load", unit=Unit.NONE),
        Stat(title="Pinned", unit=Unit.NONE, id=7),
        Stat(title="Pinned", unit=Unit.NONE, id=8),
        up,
    ],
)
"""
    err = build_fails({"dashboards/dups.py": source}, make_project)
    assert "dashboards/dups.py:3: error: panel 'Up' is placed 2 times in dashboard 'dups'" in err
    assert "dashboards/dups.py:10: error: panel title 'Load' is used twice" in err
    assert "(also at dashboards/dups.py:9)" in err
    assert "'Pinned'" not in err  # pinned ids may share a title (imported dashboards do)


def test_a_rule_whose_expression_does_not_parse_is_refused(make_project: MakeProject) -> None:
    broken = alert_module().replace("expr='up == 0'", "expr='sum by (job) (up == 0'", 1)
    err = build_fails({"alerts/teams.py": TEAMS, "alerts/ops.py": broken}, make_project)
    assert "alerts/ops.py:5: error: alert InstanceDown: the expression does not parse" in err


def test_every_mistake_of_a_module_is_reported_at_once(make_project: MakeProject) -> None:
    source = """\
from pfm_dash import Dashboard, Stat, Unit

wide = Stat(title="Wide", unit=Unit.NONE, width=30)
wider = Stat(title="Wider", unit=Unit.NONE, width=40)
board = Dashboard(uid="two", title="Two", panels=[wide, wider])
"""
    err = build_fails({"dashboards/two.py": source}, make_project)
    assert "dashboards/two.py:3: error: panel 'Wide' is 30 columns wide" in err
    assert "dashboards/two.py:4: error: panel 'Wider' is 40 columns wide" in err
    assert "2 error(s); nothing was written." in err
