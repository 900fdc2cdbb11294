"""Running a push against the fake and reading what it wrote."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pfm_dash.client import GrafanaClient
from pfm_dash.formats.grafana import CompiledDashboard
from pfm_dash.push import Action, PushOptions, PushSummary, run_push
from pfm_dash.testing.fake_grafana import FakeGrafana


def push(
    client: GrafanaClient,
    specs: Sequence[CompiledDashboard],
    grafana: FakeGrafana,
    **options: object,
) -> PushSummary:
    """One push with a fresh request log, so tests can count exactly this run's requests."""
    grafana.clear_log()
    client.counter.attempts = client.counter.retries = 0
    settings: dict[str, Any] = {"concurrency": 4, **options}
    return run_push(client, specs, PushOptions(**settings))


def actions(summary: PushSummary) -> dict[str, Action]:
    return {o.uid: o.action for o in summary.dashboards}


def write_paths(grafana: FakeGrafana) -> list[str]:
    return [f"{r.method} {r.path}" for r in grafana.writes()]
