"""``pfm-dash diff --grafana-url``: what push would change in Grafana, and who edited it there.

Push's own pieces decide it: its settings (flags, environment, ``[tool.pfm-dash.push]``), its
client with retries, its preflight (exit 4 for refused credentials) and its classification
(create, update, unchanged, or a conflict naming who saved the dashboard in Grafana and when).
Nothing is written to Grafana.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pfm_dash.client import GrafanaClient, NotFound
from pfm_dash.config import Config
from pfm_dash.formats.grafana import compile_dashboards
from pfm_dash.project import Project
from pfm_dash.push.plan import classify, who_when
from pfm_dash.push.prune import prune
from pfm_dash.push.run import PushOptions, preflight, validate
from pfm_dash.push.settings import client_for, resolve
from pfm_dash.push.types import Action
from pfm_dash.review.changes import Review, Section
from pfm_dash.review.jsondiff import dashboard_changes


def grafana_review(
    config: Config, project: Project, flags: Mapping[str, Any], env: Mapping[str, str]
) -> Review:
    """Live Grafana as the base, the build's dashboards as the target."""
    settings = resolve(flags, env, config.settings.push)
    specs: list[Any] = list(compile_dashboards(project.dashboards))
    validate(specs)
    client = client_for(settings, pool_size=1)
    try:
        version = preflight(client, PushOptions(credential_source=settings.credential_source))
        base = f"Grafana {version} at {settings.url}"
        review = Review(base=base, base_commit="", target="what pfm-dash build would push")
        for spec in specs:
            try:
                live: dict[str, Any] | None = client.get_dashboard(spec.uid)
            except NotFound:
                live = None
            decision = classify(spec, live, force=False, project=config.project)
            if decision.action is Action.UNCHANGED:
                continue
            meta = dict((live or {}).get("meta") or {})
            if decision.action is Action.CREATE:
                status, note = "added", "not in Grafana yet"
            elif decision.action is Action.CONFLICT:
                status, note = "changed", f"edited outside pfm-dash: {decision.reason}"
            elif decision.action is Action.FAILED:
                status, note = "changed", f"push would fail: {decision.reason}"
            else:
                status, note = "changed", f"push would update it (live: {who_when(meta)})"
            changes = dashboard_changes(decision.live or {}, decision.desired)
            review.sections.append(
                Section("dashboard", spec.uid, spec.title, status, changes, note)
            )
        review.sections.extend(_undeclared(client, specs, config.project))
    finally:
        client.close()
    return review


def _undeclared(client: GrafanaClient, specs: list[Any], project: str) -> list[Section]:
    """Dashboards this project pushed that the source no longer declares (push --prune's list)."""
    out: list[Section] = []
    for outcome in prune(client, specs, dry_run=True, force=False, concurrency=1, project=project):
        if outcome.action is Action.DELETE:
            note = "pushed by pfm-dash, no longer declared: push --prune deletes it"
        elif outcome.action is Action.CONFLICT:
            note = outcome.detail
        else:
            note = f"cannot tell: {outcome.detail}"
        out.append(Section("dashboard", outcome.uid, outcome.title, "removed", [], note))
    return out
