"""A PromQL query that a panel and an alert rule can share.

The same signal (say, the 5xx ratio) should be written once: a dashboard shows it with
Grafana's variables (``$__rate_interval``, ``$environment``), an alert rule evaluates it with
fixed values. :meth:`Query.for_rules` turns the first into the second, and refuses to leave a
Grafana variable behind, since Prometheus would reject it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pfm_dash.errors import Location, capture_location
from pfm_dash.model.base import LOCATION, check_duration, declaration, fail
from pfm_dash.records import field, replace

Comparison = Literal[">", ">=", "<", "<=", "==", "!="]

# $name, ${name}, ${name:format} and the deprecated [[name]]. A name starts with a letter or
# '_', so label_replace's "$1" is not a variable (Grafana leaves it alone too).
_NAME = r"[A-Za-z_]\w*"
VARIABLE = re.compile(rf"\$\{{({_NAME})(?::\w+)?\}}|\$({_NAME})|\[\[({_NAME})(?::\w+)?\]\]")
# Grafana's range built-ins, which become the rule's window.
RANGE_BUILTINS = frozenset({"__rate_interval", "__interval", "__range"})


def variables_in(expr: str) -> list[str]:
    """Names of the Grafana variables an expression uses, in order of appearance."""
    return [next(g for g in m.groups() if g) for m in VARIABLE.finditer(expr)]


@declaration
class Query:
    """One PromQL expression with how a panel should show it.

    ``ref_id`` is assigned per panel (A, B, ...) when left empty. ``extra`` is raw JSON merged
    last into the panel target (and ignored by rules).
    """

    expr: str
    legend: str = ""
    instant: bool = False
    ref_id: str = ""
    interval: str = ""
    hide: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not isinstance(self.expr, str) or not self.expr.strip():
            raise fail(self.location, "query has an empty expr", "give the PromQL expression")
        if self.ref_id and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", self.ref_id):
            raise fail(
                self.location,
                f"invalid ref_id {self.ref_id!r}",
                "use letters (A, B, ...) or leave it empty to number queries automatically",
            )

    def for_rules(self, window: str = "5m", **variables: str) -> Query:
        """This query as a rule would evaluate it.

        Grafana's range built-ins become ``window``; every other ``$variable`` takes the value
        given by keyword (for example ``environment=".+"``). A variable left without a value is
        an error, since Prometheus does not know Grafana's variables.
        """
        location = capture_location()
        check_duration(window, "the rule window", location)

        def substitute(match: re.Match[str]) -> str:
            name = next(g for g in match.groups() if g)
            if name in RANGE_BUILTINS:
                return window
            if name in variables:
                return variables[name]
            given = ", ".join(f"${v}" for v in variables) or "none"
            import difflib  # only for this mistake: every build imports the model

            close = difflib.get_close_matches(name, list(variables), n=1)
            hint = (
                f"${name} looks like a typo for ${close[0]} in the query at {self.location}: "
                "fix the query (and the dashboard variable it means)"
                if close
                else f"pass a value for it: .for_rules({name}=...)"
            )
            raise fail(
                location,
                f"the query declared at {self.location} uses the Grafana variable ${name}, which "
                f"a rule cannot evaluate (values given: {given})",
                hint,
            )

        return replace(self, expr=VARIABLE.sub(substitute, self.expr))

    def compare(self, op: Comparison, threshold: float) -> Query:
        """The expression filtered by a threshold, the usual shape of an alert condition."""
        value = repr(threshold) if isinstance(threshold, float) else str(threshold)
        return replace(self, expr=f"({self.expr.strip()}) {op} {value}")
