"""What can go wrong talking to Grafana, one class per thing a caller handles differently.

The status code decides the class, then Grafana's ``status`` field refines it (the client rule of
pkg/api/response/response.go bodies); ``message`` is what users see. No error ever holds a
credential: messages are built from the method, the path and Grafana's own message.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.errors import PfmDashError


class GrafanaError(PfmDashError):
    """Base of every failure of a Grafana call."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        status: int | None = None,
        status_field: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.status_field = status_field
        self.body = body
        self.attempts = 1  # how many times the request was sent (retries included)

    @property
    def outcome(self) -> str:
        """What a report line says of this failure: the status and the attempts it took."""
        code = f"{self.status} " if self.status is not None else ""
        tries = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{code}{self.message}{tries}"

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: " if self.method else ""
        code = f"{self.status} " if self.status is not None else ""
        return f"{where}{code}{self.message}"


class TransportError(GrafanaError):
    """No usable answer: connection refused or dropped, timeout, TLS failure (after retries)."""


class HTTPStatusError(GrafanaError):
    """Grafana answered with an error status."""


class BadRequest(HTTPStatusError):
    """400: the request was refused as invalid (empty title, bad uid, unknown folder...)."""


class AuthError(HTTPStatusError):
    """401: no valid credentials."""

    exit_code = 4


class Forbidden(HTTPStatusError):
    """403: valid credentials, missing permission."""

    exit_code = 4


class NotFound(HTTPStatusError):
    """404."""


class AlreadyExists(HTTPStatusError):
    """409, or 412 on create in Grafana 12 (pkg/api/apierrors/folder.go)."""


class VersionMismatch(HTTPStatusError):
    """412: someone saved in between; the caller's version is stale. Never retried blindly."""


class NameExists(HTTPStatusError):
    """412 ``name-exists`` (Grafana <= 11.2): another dashboard in the folder has this title.

    Not a :class:`VersionMismatch`: nobody edited anything, and ``overwrite`` would not settle it
    but take over the other dashboard (getExistingDashboardByTitleAndFolder in
    pkg/services/dashboards/database/database.go sets its id, uid and version on ours).
    """


class RateLimited(HTTPStatusError):
    """429 still answered after every retry."""


class ServerError(HTTPStatusError):
    """5xx still answered after every retry."""


_BY_STATUS: dict[int, type[HTTPStatusError]] = {
    400: BadRequest,
    401: AuthError,
    403: Forbidden,
    404: NotFound,
    409: AlreadyExists,
    412: VersionMismatch,
    429: RateLimited,
}


def error_for(method: str, path: str, status: int, body: Any) -> HTTPStatusError:
    """The exception for an error answer, with Grafana's message and ``status`` field."""
    message = ""
    status_field = ""
    if isinstance(body, dict):
        message = str(body.get("message") or "")
        status_field = str(body.get("status") or "")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else HTTPStatusError)
    if status == 412 and status_field == "name-exists":
        cls = NameExists
    return cls(
        message or f"HTTP {status}",
        method=method,
        path=path,
        status=status,
        status_field=status_field,
        body=body,
    )
