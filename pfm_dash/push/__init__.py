"""Shipping compiled dashboards to Grafana without ever overwriting someone else's edit.

See docs/push.md for the conflict rule and the exit codes.
"""

from __future__ import annotations

from pfm_dash.push.run import PushOptions, run_push, validate
from pfm_dash.push.types import (
    EXIT_AUTH,
    EXIT_CONFLICT,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Action,
    DashboardSpec,
    FolderSpec,
    Outcome,
    PushAuthError,
    PushSummary,
)

__all__ = [
    "EXIT_AUTH",
    "EXIT_CONFLICT",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Action",
    "DashboardSpec",
    "FolderSpec",
    "Outcome",
    "PushAuthError",
    "PushOptions",
    "PushSummary",
    "run_push",
    "validate",
]
