"""Rendering: path:line:col text, GitHub workflow commands, JSON with the column."""

from __future__ import annotations

import json

from pfm_dash.checks import finding
from pfm_dash.checks.report import as_json, github, text
from pfm_dash.errors import Location

PARSE = finding(
    "promql-parse",
    Location("rules/a.yml", 12),
    "alert X",
    "unclosed left parenthesis",
    excerpt="    sum(up\n          ^",
    column=17,
)
TEAM = finding("alert-team", Location("rules/a.yml", 3), "alert X", "no team, really: 100%")


def test_text_is_path_line_col_then_excerpt_caret_fix() -> None:
    lines = text([PARSE, TEAM]).splitlines()
    assert lines[:4] == [
        "rules/a.yml:12:17: error [promql-parse] alert X: unclosed left parenthesis",
        "    sum(up",
        "          ^",
        "    fix: correct the PromQL at the caret",
    ]
    assert lines[4] == "rules/a.yml:3: error [alert-team] alert X: no team, really: 100%"
    assert lines[-1] == "2 error(s), 0 warning(s), 0 suppressed"


def test_github_annotations_escape_what_the_runner_parses() -> None:
    first, second, summary = github([PARSE, TEAM]).splitlines()
    assert first == (
        "::error file=rules/a.yml,line=12,col=17,title=[promql-parse] alert X::"
        "unclosed left parenthesis%0Afix: correct the PromQL at the caret"
    )
    assert second.startswith("::error file=rules/a.yml,line=3,title=[alert-team] alert X::")
    assert "really: 100%25%0Afix:" in second
    assert summary == "2 error(s), 0 warning(s), 0 suppressed"


def test_json_carries_the_column() -> None:
    found = json.loads(as_json([PARSE, TEAM]))["findings"]
    assert [f["column"] for f in found] == [17, None]
