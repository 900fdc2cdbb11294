"""The fake's stored objects and Grafana's validation rules shared by dashboards and folders."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# pkg/services/dashboards/models.go and pkg/api/apierrors/dashboard.go: the uid rule.
UID_CHARS = re.compile(r"^[a-zA-Z0-9\-_]*$")
MAX_UID = 40
# pkg/services/folder/model.go: MaxNestedFolderDepth is 4 in the newest code.
MAX_FOLDER_DEPTH = 4


class ApiError(Exception):
    """An answer other than success: an HTTP status and the exact JSON body Grafana sends."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


def error(status: int, message: str, status_field: str = "") -> ApiError:
    """``response.Error`` / ``response.JSON`` bodies (pkg/api/response/response.go)."""
    body: dict[str, Any] = {"message": message}
    if status_field:
        body["status"] = status_field
    return ApiError(status, body)


def now() -> str:
    """RFC 3339 timestamps, as Grafana's DTOs render ``time.Time``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def generate_uid() -> str:
    """Like util.GenerateShortUID (pkg/util/shortid_generator.go): starts with a letter."""
    alphabet = string.ascii_lowercase + string.digits
    return secrets.choice(string.ascii_lowercase) + "".join(
        secrets.choice(alphabet) for _ in range(13)
    )


def check_uid(uid: str) -> None:
    """ValidateDashboardBeforeSave / folder create (pkg/api/apierrors/dashboard.go, folder.go)."""
    if not UID_CHARS.match(uid):
        raise error(400, "uid contains illegal characters")
    if len(uid) > MAX_UID:
        raise error(400, "uid too long, max 40 characters")


def slugify(title: str) -> str:
    """Close to pkg/infra/slugify: lower-case words joined by '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "-"


@dataclass
class Identity:
    """Who is calling: a service account (token) or a user (basic auth)."""

    login: str
    read_only: bool = False
    orgs: frozenset[int] = frozenset({1})


@dataclass
class Version:
    """A dashboard_version row (pkg/services/dashboardversion/model.go)."""

    id: int
    version: int
    parent_version: int
    created: str
    created_by: str
    message: str
    data: dict[str, Any]
    restored_from: int = 0


@dataclass
class StoredDashboard:
    """A dashboard row (pkg/services/dashboards/models.go), its JSON and its history."""

    id: int
    uid: str
    title: str
    folder_uid: str
    data: dict[str, Any]
    version: int
    created: str
    created_by: str
    updated: str
    updated_by: str
    provisioned: bool = False
    plugin_id: str = ""
    history: list[Version] = field(default_factory=list)

    @property
    def url(self) -> str:
        # GetDashboardURL in pkg/services/dashboards/models.go.
        return f"/d/{self.uid}/{slugify(self.title)}"

    @property
    def tags(self) -> list[str]:
        tags = self.data.get("tags")
        return [str(t) for t in tags] if isinstance(tags, list) else []


@dataclass
class StoredFolder:
    """A folder (pkg/services/folder/model.go) with its legacy optimistic-lock version."""

    id: int
    uid: str
    title: str
    parent_uid: str
    description: str
    version: int
    created: str
    created_by: str
    updated: str
    updated_by: str

    @property
    def url(self) -> str:
        return f"/dashboards/f/{self.uid}/{slugify(self.title)}"

    def dto(self) -> dict[str, Any]:
        """The folder DTO of pkg/api/dtos/folder.go; parentUid only when nested."""
        out: dict[str, Any] = {
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "url": self.url,
            "hasAcl": False,
            "canSave": True,
            "canEdit": True,
            "canAdmin": True,
            "canDelete": True,
            "createdBy": self.created_by,
            "created": self.created,
            "updatedBy": self.updated_by,
            "updated": self.updated,
            "version": self.version,
        }
        if self.parent_uid:
            out["parentUid"] = self.parent_uid
        return out
