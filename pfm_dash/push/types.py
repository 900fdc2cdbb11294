"""What push takes in (anything shaped like a compiled dashboard) and what it reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from pfm_dash.errors import Location, PfmDashError

# Exit codes of ``pfm-dash push`` (docs/push.md). The worst outcome wins (the highest code).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3
EXIT_AUTH = 4
EXIT_INTERRUPTED = 130  # Ctrl-C: what was done is reported; the next run finishes the job


class FolderSpec(Protocol):
    """A declared folder (``pfm_dash.model.dashboard.Folder`` fits)."""

    @property
    def uid(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def parent(self) -> FolderSpec | None: ...


class DashboardSpec(Protocol):
    """A compiled dashboard (``pfm_dash.formats.grafana.CompiledDashboard`` fits)."""

    @property
    def uid(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def folder(self) -> FolderSpec | None: ...
    @property
    def model(self) -> Mapping[str, Any]: ...
    @property
    def location(self) -> Location: ...


class PushAuthError(PfmDashError):
    """Grafana refused the credentials (401) or a permission (403): one sentence, exit 4."""

    exit_code = EXIT_AUTH


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DELETE = "delete"
    FAILED = "failed"
    SKIPPED = "skipped"  # not attempted: the run was interrupted first


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one folder or dashboard."""

    kind: str  # "folder" or "dashboard"
    uid: str
    title: str
    action: Action
    applied: bool = False
    folder_uid: str = ""
    version: int | None = None
    detail: str = ""
    diff: str = ""
    auth_failure: bool = False
    location: str = ""
    # Whether ``--force`` would settle this conflict (not a title clash, not a folder's parent).
    forceable: bool = True

    def as_json(self, with_diff: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "uid": self.uid,
            "title": self.title,
            "action": str(self.action),
            "applied": self.applied,
        }
        if self.kind == "dashboard":
            out["folderUid"] = self.folder_uid
            out["version"] = self.version
        if self.detail:
            out["detail"] = self.detail
        if self.location:
            out["source"] = self.location
        if with_diff and self.diff:
            out["diff"] = self.diff
        return out


@dataclass
class PushSummary:
    """The whole run: per-object outcomes, request counts, and the exit code they imply."""

    url: str
    grafana_version: str
    dry_run: bool
    folders: list[Outcome] = field(default_factory=list)
    dashboards: list[Outcome] = field(default_factory=list)
    deletions: list[Outcome] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    interrupted: bool = False  # Ctrl-C: new requests stopped, the rest is SKIPPED

    @property
    def outcomes(self) -> list[Outcome]:
        return [*self.folders, *self.dashboards, *self.deletions]

    def count(self, action: Action, kind: str = "dashboard") -> int:
        pool = self.deletions if action is Action.DELETE else self.dashboards
        if kind == "folder":
            pool = self.folders
        return sum(1 for o in pool if o.action is action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.count(Action.CREATE),
            "updated": self.count(Action.UPDATE),
            "unchanged": self.count(Action.UNCHANGED),
            "conflicts": sum(1 for o in self.outcomes if o.action is Action.CONFLICT),
            "failed": sum(1 for o in self.outcomes if o.action is Action.FAILED),
            "deleted": self.count(Action.DELETE),
            "folders_created": self.count(Action.CREATE, "folder"),
            # Dashboards not saved or not deleted: a folder or prune as a whole is not counted.
            "skipped": sum(
                1
                for o in (*self.dashboards, *self.deletions)
                if o.action is Action.SKIPPED and o.uid != "*"
            ),
        }

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        code = EXIT_OK
        for o in self.outcomes:
            if o.auth_failure:
                code = max(code, EXIT_AUTH)
            elif o.action is Action.CONFLICT:
                code = max(code, EXIT_CONFLICT)
            elif o.action is Action.FAILED:
                code = max(code, EXIT_FAILED)
        return code
