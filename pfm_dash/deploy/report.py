"""A deploy's summary for people and machines, in the Grafana push's words and shape."""

from __future__ import annotations

from typing import Any

from pfm_dash.push.report import outcome_line, totals_line
from pfm_dash.push.types import PushSummary


def header(target: str, summary: PushSummary) -> str:
    version = f" {summary.grafana_version}" if summary.grafana_version else ""
    return f"{target}{version} at {summary.url}"


def render_text(target: str, summary: PushSummary) -> str:
    lines = [header(target, summary)]
    lines += [outcome_line(o) for o in summary.outcomes]
    lines.append(totals_line(summary))
    return "\n".join(lines)


def as_json(summary: PushSummary) -> dict[str, Any]:
    """One target's part of ``--output json``: counts, outcomes and its own exit code."""
    counts = summary.counts
    return {
        "url": summary.url,
        "version": summary.grafana_version,
        "dry_run": summary.dry_run,
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "failed": counts["failed"],
        "deleted": counts["deleted"],
        "requests": summary.requests,
        "seconds": round(summary.seconds, 3),
        "exit_code": summary.exit_code,
        "files": [o.as_json(False) for o in summary.dashboards],
        "deletions": [o.as_json(False) for o in summary.deletions],
    }
