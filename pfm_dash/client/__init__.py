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
    NameExists,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    VersionMismatch,
)
from pfm_dash.client.http import GrafanaClient, SearchHits
from pfm_dash.client.retry import RetryPolicy
from pfm_dash.client.transport import RequestHook

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
    "NameExists",
    "NotFound",
    "RateLimited",
    "RequestHook",
    "RetryPolicy",
    "SearchHits",
    "ServerError",
    "TransportError",
    "VersionMismatch",
]
