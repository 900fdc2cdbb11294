"""Questions a verify run asks the real Prometheus and Alertmanager, over their HTTP APIs."""

from __future__ import annotations

import re
from typing import Any

import requests

from pfm_dash.model.dashboard import CustomVariable, Dashboard, IntervalVariable, QueryVariable
from pfm_dash.model.query import RANGE_BUILTINS, VARIABLE
from pfm_dash.tools import run_tool
from pfm_dash.verify.report import PanelResult, RuleHealth

RATE_INTERVAL = "15s"  # what Grafana would pick for a 1s scrape and a short time range


class Prometheus:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, **params: str) -> Any:
        response = requests.get(self.base + path, params=params, timeout=5)
        body = response.json()
        if body.get("status") != "success":
            raise ValueError(body.get("error") or f"HTTP {response.status_code}")
        return body["data"]

    def alerts(self) -> list[dict[str, Any]]:
        alerts: list[dict[str, Any]] = self.get("/api/v1/alerts")["alerts"]
        return alerts

    def targets_up(self) -> bool:
        targets = self.get("/api/v1/targets")["activeTargets"]
        return bool(targets) and all(t["health"] == "up" for t in targets)

    def rule_health(self) -> list[RuleHealth]:
        return [
            RuleHealth(
                group=g["name"],
                rule=r["name"],
                health=r["health"],
                last_error=r.get("lastError", ""),
            )
            for g in self.get("/api/v1/rules")["groups"]
            for r in g["rules"]
        ]

    def series_count(self, expr: str) -> int:
        data = self.get("/api/v1/query", query=expr)
        if data["resultType"] in ("scalar", "string"):
            return 1
        return len(data["result"])


def variable_values(
    dashboard: Dashboard, environments: list[str], label: str = "environment"
) -> dict[str, str]:
    """What each dashboard variable stands for in the run: the one named like the environment
    label matches every environment the run serves."""
    values: dict[str, str] = {name: RATE_INTERVAL for name in RANGE_BUILTINS}
    values["__range"] = "1m"
    for variable in dashboard.variables:
        if variable.name == label and environments:
            values[variable.name] = "|".join(re.escape(e) for e in environments)
        elif isinstance(variable, CustomVariable):
            values[variable.name] = "|".join(re.escape(o) for o in variable.options)
        elif isinstance(variable, QueryVariable):
            values[variable.name] = variable.all_value or ".+"
        elif isinstance(variable, IntervalVariable):
            values[variable.name] = RATE_INTERVAL
    return values


def substitute(expr: str, values: dict[str, str]) -> str:
    """``expr`` with Grafana's variables replaced; KeyError names one that has no value."""

    def one(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return values[name]

    return VARIABLE.sub(one, expr)


def panel_queries(
    prom: Prometheus, dashboards: list[Dashboard], environments: list[str], label: str
) -> list[PanelResult]:
    """Every query of every panel, variables substituted, each run once through Prometheus."""
    results: list[PanelResult] = []
    for dashboard in dashboards:
        values = variable_values(dashboard, environments, label)
        for panel in dashboard.all_panels():
            for i, query in enumerate(panel.queries):
                ref = query.ref_id or chr(ord("A") + i)
                result = PanelResult(dashboard.uid, panel.title, ref, query.expr)
                try:
                    result.expr = substitute(query.expr, values)
                    result.series = prom.series_count(result.expr)
                except KeyError as exc:
                    result.error = f"variable ${exc.args[0]} has no value in the run"
                except (ValueError, requests.RequestException) as exc:
                    result.error = str(exc)
                results.append(result)
    return results


def routed_receivers(amtool: str, config_file: str, labels: dict[str, str]) -> list[str]:
    """The receivers Alertmanager's own routing code names for ``labels`` (amtool), in order."""
    args = [f'{k}="{_escape(v)}"' for k, v in sorted(labels.items())]
    done = run_tool(
        [amtool, "config", "routes", "test", f"--config.file={config_file}", *args], timeout=30
    )
    if done.returncode != 0:
        raise ValueError(f"amtool config routes test failed: {done.stdout}{done.stderr}".strip())
    return [r for r in done.stdout.strip().split(",") if r]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
