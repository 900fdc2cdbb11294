"""Dashboard variables: every ``$var`` a query uses is declared; declared ones are used.

An undeclared variable reaches Prometheus as literal text and the panel shows nothing, which
nobody notices until an incident; an unused one is a dropdown that changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pfm_dash.checks import Finding, finding
from pfm_dash.model.dashboard import DatasourceVariable, QueryVariable
from pfm_dash.model.query import variables_in

if TYPE_CHECKING:
    from pfm_dash.project import Project

# Grafana's global variables (docs: "Global variables").
BUILTINS = frozenset(
    {
        "__rate_interval",
        "__interval",
        "__interval_ms",
        "__range",
        "__range_s",
        "__range_ms",
        "__from",
        "__to",
        "__dashboard",
        "__name",
        "__org",
        "__user",
        "__timeFilter",
        "timeFilter",
        "__all",
    }
)


def check(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for dashboard in project.dashboards:
        declared = {v.name: v for v in dashboard.variables}
        used: set[str] = set()
        for variable in dashboard.variables:
            if isinstance(variable, QueryVariable):
                names = variables_in(variable.query)
                used.update(names)
                for name in names:
                    if name not in declared and name not in BUILTINS:
                        out.append(
                            finding(
                                "variable-undeclared",
                                variable.location,
                                f"variable ${variable.name}",
                                f"its query uses ${name}, which is not declared",
                            )
                        )
        for panel in dashboard.all_panels():
            used.update(variables_in(panel.title))
            used.update(variables_in(panel.description))
            for n, query in enumerate(panel.queries):
                names = variables_in(query.expr)
                used.update(names)
                used.update(variables_in(query.legend))
                for name in dict.fromkeys(names):
                    if name not in declared and name not in BUILTINS:
                        out.append(
                            finding(
                                "variable-undeclared",
                                query.location,
                                f"panel {panel.title!r} query {query.ref_id or chr(65 + n)}",
                                f"${name} is not declared on dashboard {dashboard.uid!r}",
                                ignores=panel.ignore,
                            )
                        )
        for name, variable in declared.items():
            if isinstance(variable, DatasourceVariable):
                continue  # every panel's datasource references it
            if name not in used:
                out.append(
                    finding(
                        "variable-unused",
                        variable.location,
                        f"variable ${name}",
                        f"${name} is declared on {dashboard.uid!r} but no query uses it",
                    )
                )
    return out
