"""Parse errors and their positions: our own scan measured against promtool, the authority."""

from __future__ import annotations

import shutil

import pytest

from pfm_dash.checks.promql import Site, caret, locate, parse, promtool_errors, substitute
from pfm_dash.errors import Location

needs_promtool = pytest.mark.skipif(shutil.which("promtool") is None, reason="no promtool")

BROKEN = [
    'sum(rate(http_requests_total{status=~"5.."}[5m]) / sum(rate(http_requests_total[5m]))',
    "rate(http_requests_total[5x])",
    'http_requests_total{status=~"5.."',
    "foo_bar(up)",
    "rate(up)",
    "up == ",
    "sum by (job (up)",
    "sum(up)\n  + foo_bar(up)",
    'up{a="x}',
    "up)",
]


def test_substitution_maps_positions_back() -> None:
    site = Site('rate(x{e=~"$env"}[$__rate_interval]) + $n', Location("f", 1), "q")
    assert site.text == 'rate(x{e=~"$env"}[5m]) + 1'
    assert site.expr[site.original_offset(site.text.index("+"))] == "+"
    assert site.original_offset(site.text.index("5m")) == site.expr.index("$__rate")
    assert substitute("up")[0] == "up"


@pytest.mark.parametrize(
    ("expr", "parsed"),
    [
        ("rate(x[5m] offset $__interval)", "rate(x[5m] offset 5m)"),
        ("x offset ${shift}", "x offset 5m"),
        ("x[$__range:$__interval]", "x[5m:5m]"),
        ("sum by (job, $group) (x) > $threshold", "sum by (job, __grafana_variable__) (x) > 1"),
        ("a / on($key) b", "a / on(__grafana_variable__) b"),
    ],
)
def test_variables_become_what_their_place_needs(expr: str, parsed: str) -> None:
    """A duration after offset, a label in a grouping: valid Grafana queries must parse."""
    assert substitute(expr)[0] == parsed
    site = Site(expr, Location("f", 1), "q")
    parse(site)
    assert site.ast is not None, site.error


@pytest.mark.parametrize("expr", BROKEN)
def test_every_broken_expression_gets_a_position_from_our_scan(expr: str) -> None:
    site = Site(expr, Location("f", 1), "q")
    parse(site)
    assert site.error and site.ast is None
    offset = locate(site.text, site.error)
    assert offset is not None and 0 <= offset <= len(expr)
    assert "^" in caret(expr, offset)


@needs_promtool
def test_our_positions_against_promtool() -> None:
    """Where both know, we agree with promtool or point at a better spot (the opener).

    Measured here: promtool reports unclosed brackets at the end of the input; we point at
    the bracket left open, which is where the fix goes. Every other case agrees exactly.
    """
    tool = promtool_errors(BROKEN)
    assert tool is not None and set(tool) == set(range(len(BROKEN)))
    agree, differ = 0, []
    for i, expr in enumerate(BROKEN):
        site = Site(expr, Location("f", 1), "q")
        parse(site)
        ours, theirs = locate(site.text, site.error), tool[i][0]
        if ours == theirs:
            agree += 1
        else:
            differ.append((expr, ours, theirs))
    print(f"positions: {agree} agree with promtool, {len(differ)} differ: {differ}")
    assert agree >= 6
    for expr, ours, theirs in differ:
        assert ours is not None and theirs is not None
        assert expr[ours] in "([{)", (expr, ours, theirs)  # we blame the bracket itself


@needs_promtool
def test_grammar_disagreements_are_reported_both_ways() -> None:
    from pfm_dash.checks.promql import check

    sites = [
        Site("holt_winters(up[5m], 0.5, 0.5)", Location("f", 1), "old"),
        Site("double_exponential_smoothing(up[5m], 0.5, 0.5)", Location("f", 2), "new"),
    ]
    found = {f.object: f for f in check(sites, promtool=True)}
    assert found["old"].rule == "promql-parser-disagrees"
    assert found["new"].rule == "promql-promtool"
    assert "unknown function" in found["new"].message and "^" in found["new"].excerpt


def test_without_promtool_prometheus_3_functions_are_still_caught() -> None:
    from pfm_dash.checks.promql import check

    (hit,) = check([Site("limitk(2, up)", Location("f", 3), "q")], promtool=False)
    assert hit.rule == "promql-prom3-only" and hit.location.line == 3
