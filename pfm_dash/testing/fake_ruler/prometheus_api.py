"""The ruler's read-only Prometheus API: ``<P>/api/v1/rules`` and ``<P>/api/v1/alerts``
(PrometheusRules and PrometheusAlerts in grafana/mimir pkg/ruler/api.go).

The fake evaluates nothing, so every stored rule reads as not yet evaluated: ``health``
``unknown``, ``state`` ``inactive``, no alerts, the zero time. Query filters are not reproduced.
"""

from __future__ import annotations

import json
from typing import Any

from pfm_dash.testing.fake_ruler.answer import Answer
from pfm_dash.testing.fake_ruler.rules import duration_ms
from pfm_dash.testing.fake_ruler.store import Store

ZERO_TIME = "0001-01-01T00:00:00Z"
DEFAULT_INTERVAL_S = 60.0  # -ruler.evaluation-interval, used when a group sets none


def rules(store: Store, tenant: str) -> Answer:
    owner = store.tenant(tenant)
    groups = []
    for namespace in sorted(owner.rules):
        for group in owner.listing(namespace):
            interval = duration_ms(group.get("interval")) / 1000 or DEFAULT_INTERVAL_S
            groups.append(
                {
                    "name": group["name"],
                    "file": namespace,  # the namespace, not a path
                    "rules": [_rule(r) for r in group["rules"]],
                    "interval": interval,
                    "lastEvaluation": ZERO_TIME,
                    "evaluationTime": 0,
                    "sourceTenants": group.get("source_tenants"),
                }
            )
    return _success({"groups": groups})


def alerts(store: Store, tenant: str) -> Answer:
    return _success({"alerts": []})


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    common = {
        "health": "unknown",
        "lastError": "",
        "evaluationTime": 0,
        "lastEvaluation": ZERO_TIME,
    }
    if "record" in rule:
        return {
            "name": rule["record"],
            "query": rule["expr"],
            "labels": rule.get("labels", {}),
            **common,
            "type": "recording",
        }
    return {
        "state": "inactive",
        "name": rule["alert"],
        "query": rule["expr"],
        "duration": duration_ms(rule.get("for")) / 1000,
        "keepFiringFor": duration_ms(rule.get("keep_firing_for")) / 1000,
        "labels": rule.get("labels", {}),
        "annotations": rule.get("annotations", {}),
        "alerts": [],
        **common,
        "type": "alerting",
    }


def _success(data: dict[str, Any]) -> Answer:
    body = json.dumps({"status": "success", "data": data}, separators=(",", ":"))
    return Answer(200, body.encode(), "application/json")
