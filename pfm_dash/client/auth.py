"""Credentials that put themselves on requests and never show themselves anywhere else."""

from __future__ import annotations

import base64

from requests import PreparedRequest
from requests.auth import AuthBase


class Auth(AuthBase):
    """Base: ``repr``/``str`` say what kind of credential, never its value."""

    kind = "credentials"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.kind}, redacted>"

    __str__ = __repr__


class BearerToken(Auth):
    """A Grafana service-account token, sent as ``Authorization: Bearer``."""

    kind = "service-account token"

    def __init__(self, token: str) -> None:
        self.__token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.__token}"
        return request

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BearerToken) and other.__token == self.__token

    def __hash__(self) -> int:
        return hash(self.__token)


class BasicAuth(Auth):
    """A Grafana user and password (basic auth, on by default in self-hosted Grafana)."""

    kind = "basic auth"

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.__password = password

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        raw = f"{self.user}:{self.__password}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        return request

    def __repr__(self) -> str:
        return f"<BasicAuth: user {self.user!r}, password redacted>"

    __str__ = __repr__
