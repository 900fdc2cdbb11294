"""The push summary for people (text) and for machines (``--output json``)."""

from __future__ import annotations

import json
from typing import Any

from pfm_dash.push.types import Action, Outcome, PushSummary

_DONE = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.DELETE: "deleted",
    Action.UNCHANGED: "unchanged",
    Action.CONFLICT: "conflict",
    Action.FAILED: "failed",
    Action.SKIPPED: "not pushed",
}
_PLANNED = {
    Action.CREATE: "would create",
    Action.UPDATE: "would update",
    Action.DELETE: "would delete",
}


def outcome_line(outcome: Outcome) -> str:
    """``created    dashboard shop-overview "Shop overview" (folder shop, version 1)``."""
    label = _DONE[outcome.action]
    if not outcome.applied and outcome.action in _PLANNED:
        label = _PLANNED[outcome.action]
    where = []
    if outcome.kind == "dashboard" and outcome.folder_uid:
        where.append(f"folder {outcome.folder_uid}")
    if outcome.applied and outcome.version is not None:
        where.append(f"version {outcome.version}")
    text = f"{label:<13} {outcome.kind:<9} {outcome.uid} {json.dumps(outcome.title)}"
    if where:
        text += f" ({', '.join(where)})"
    if outcome.detail:
        text += f": {outcome.detail}"
    if outcome.action is Action.CONFLICT and outcome.forceable:
        text += "; not overwritten (--force overwrites)"
    return text


def render_text(summary: PushSummary, *, with_diff: bool) -> str:
    """The outcomes worth reading, the diffs when asked, and one line of totals."""
    lines = [f"Grafana {summary.grafana_version} at {summary.url}"]
    for outcome in summary.outcomes:
        lines.append(outcome_line(outcome))
        if with_diff and outcome.diff:
            lines.append(outcome.diff.rstrip("\n"))
    lines.append(totals_line(summary))
    return "\n".join(lines)


def totals_line(summary: PushSummary) -> str:
    c = summary.counts
    prefix = "dry run, nothing written: would be " if summary.dry_run else ""
    if summary.interrupted:
        prefix = (
            f"interrupted: {c['skipped']} not pushed (run push again to finish); done: " + prefix
        )
    return (
        f"{prefix}{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
        f"{c['conflicts']} conflict(s), {c['failed']} failed, {c['deleted']} deleted; "
        f"{summary.requests} request(s), {summary.retries} retried, {summary.seconds:.1f}s"
    )


def render_json(summary: PushSummary, *, with_diff: bool) -> str:
    doc: dict[str, Any] = {
        "grafana": {"url": summary.url, "version": summary.grafana_version},
        "dry_run": summary.dry_run,
        **summary.counts,
        "requests": summary.requests,
        "retries": summary.retries,
        "seconds": round(summary.seconds, 3),
        "exit_code": summary.exit_code,
        "interrupted": summary.interrupted,
        "folders": [o.as_json(with_diff) for o in summary.folders],
        "dashboards": [o.as_json(with_diff) for o in summary.dashboards],
        "deletions": [o.as_json(with_diff) for o in summary.deletions],
    }
    return json.dumps(doc, indent=2)
