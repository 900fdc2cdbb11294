"""Query: one expression for a panel and a rule; Grafana variables never reach Prometheus."""

from __future__ import annotations

import pytest

from pfm_dash import Query
from pfm_dash.errors import DeclarationError
from pfm_dash.model.query import variables_in

PANEL = Query(
    expr='sum by (service) (rate(x_total{env=~"$env", job="${job}"}[$__rate_interval]))',
    legend="{{service}}",
)


def test_variables_in_every_spelling() -> None:
    assert variables_in("$a ${b} ${c:csv} [[d]] $__range") == ["a", "b", "c", "d", "__range"]


def test_regex_group_references_are_not_variables() -> None:
    expr = (
        'label_replace(up, "svc", "$1", "job", "(.*)-(.*)")'
        ' or label_replace(up, "x", "${2}", "job", "(.*)")'
    )
    assert variables_in(expr) == []
    assert Query(expr=expr).for_rules().expr == expr


def test_for_rules_substitutes_ranges_and_named_values() -> None:
    rule = PANEL.for_rules(window="10m", env=".+", job="api")
    assert rule.expr == 'sum by (service) (rate(x_total{env=~".+", job="api"}[10m]))'
    assert rule.legend == PANEL.legend


def test_for_rules_refuses_to_leave_a_variable_behind() -> None:
    with pytest.raises(DeclarationError, match=r"Grafana variable \$job") as info:
        PANEL.for_rules(env=".+")
    assert info.value.location.file == __file__


def test_compare_wraps_the_expression() -> None:
    assert Query(expr="a / b").compare(">", 0.05).expr == "(a / b) > 0.05"
    assert Query(expr="up").compare("==", 0).expr == "(up) == 0"


def test_empty_expression_is_an_error() -> None:
    with pytest.raises(DeclarationError, match="empty expr"):
        Query(expr="  ")


def test_a_variable_typo_in_a_shared_query_names_the_query_and_the_likely_name() -> None:
    typo = Query(expr='sum(rate(x_total{environment=~"$enviroment"}[5m]))')
    with pytest.raises(DeclarationError) as info:
        typo.for_rules(environment=".+")
    error = info.value
    assert f"the query declared at {typo.location} uses the Grafana variable $enviroment" in (
        error.message
    )
    assert "values given: $environment" in error.message
    assert "looks like a typo for $environment" in error.hint
    assert ".for_rules(enviroment=" not in error.hint
