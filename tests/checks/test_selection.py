"""Rule selection like ruff: ids or prefixes, the most specific wins, refusals stay on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pfm_dash.checks import LOCKED, RULES
from pfm_dash.checks.selection import Selection, choose, codes, from_config
from pfm_dash.errors import ConfigError


def test_everything_is_on_by_default() -> None:
    assert all(Selection().enabled(rule) for rule in RULES)


def test_ignore_by_prefix_and_reselect_a_more_specific_one() -> None:
    chosen = Selection(select=("ALL", "alert-for"), ignore=("alert",))
    assert not chosen.enabled("alert-team") and not chosen.enabled("alert-runbook")
    assert chosen.enabled("alert-for") and chosen.enabled("template-label-missing")


def test_select_only_some() -> None:
    chosen = Selection(select=("template", "rate-"))
    assert chosen.enabled("template-label-missing") and chosen.enabled("rate-name-not-counter")
    assert not chosen.enabled("alert-team")


def test_what_prometheus_refuses_cannot_be_turned_off() -> None:
    chosen = Selection(select=("alert-team",), ignore=("promql", "rules", "tool-failed"))
    assert all(chosen.enabled(rule) for rule in LOCKED)
    assert not chosen.enabled("promql-parser-disagrees")
    notes = "\n".join(chosen.notes())
    assert "promql-parse" in notes and "rules-duration" in notes and "cannot be turned off" in notes


def test_unknown_codes_are_one_message_with_the_closest() -> None:
    with pytest.raises(ConfigError, match=r"'alert-tem' is no rule id.*did you mean 'alert-team'"):
        codes(["alert-tem"], "--ignore")
    assert codes(["alert-team, alert-runbook", "rate"], "--ignore") == (
        "alert-team",
        "alert-runbook",
        "rate",
    )


def test_config_table_and_the_command_line_over_it(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    config = from_config({"check": {"ignore": ["alert-team"]}}, pyproject)
    assert config.ignore == ("alert-team",) and config.select == ("ALL",)
    assert choose(config, (), ("alert-runbook",)).ignore == ("alert-runbook",)
    assert choose(config, ("alert",), ()).ignore == ("alert-team",)
    with pytest.raises(
        ConfigError, match=r"\[tool.pfm-dash.check\] select: must be a list of strings"
    ):
        from_config({"check": {"select": "alert-team"}}, pyproject)
    with pytest.raises(ConfigError, match="no rule id"):
        from_config({"check": {"ignore": ["nope"]}}, pyproject)
