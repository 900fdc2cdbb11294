"""A small Grafana HTTP API client: pooled, retrying transient faults, credentials kept secret."""

from __future__ import annotations

from pfm_dash.client.auth import Auth, BasicAuth, BearerToken
from pfm_dash.client.errors import (
    AlreadyExists,
    AuthError,
    BadRequest,
    Forbidden,
    GrafanaError,
    HTTPStatusError,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    VersionMismatch,
)
from pfm_dash.client.http import GrafanaClient, RequestHook
from pfm_dash.client.retry import RetryPolicy

__all__ = [
    "AlreadyExists",
    "Auth",
    "AuthError",
    "BadRequest",
    "BasicAuth",
    "BearerToken",
    "Forbidden",
    "GrafanaClient",
    "GrafanaError",
    "HTTPStatusError",
    "NotFound",
    "RateLimited",
    "RequestHook",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "VersionMismatch",
]
