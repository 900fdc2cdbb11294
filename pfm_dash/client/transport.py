"""One request through a pooled session, as both clients send it: counted, timed, logged for
``--verbose``, and any failure to get an answer a :class:`TransportError` naming the server.

What the answer means (JSON or YAML, which error a status is) stays with each client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from pfm_dash.client.errors import TransportError
from pfm_dash.client.retry import Counter

log = logging.getLogger("pfm_dash.client")

# (method, path, status or None, seconds): what ``--verbose`` prints; never a header.
RequestHook = Callable[[str, str, int | None, float], None]


def send(
    session: requests.Session,
    counter: Counter,
    on_request: RequestHook | None,
    base_url: str,
    method: str,
    path: str,
    **kwargs: Any,
) -> requests.Response:
    """``session.request`` to ``base_url + path``, retried by the session's adapter."""
    counter.add(attempts=1)
    started = time.monotonic()
    status: int | None = None
    try:
        response = session.request(method, base_url + path, **kwargs)
        status = response.status_code
        return response
    except requests.exceptions.SSLError as exc:
        raise TransportError(
            f"TLS failed ({reason(exc)}); use --ca-cert for a private CA",
            method=method,
            path=path,
        ) from None
    except requests.exceptions.RequestException as exc:
        raise TransportError(
            f"no answer from {base_url} ({reason(exc)})", method=method, path=path
        ) from None
    finally:
        elapsed = time.monotonic() - started
        log.debug("%s %s -> %s in %.3fs", method, path, status, elapsed)
        if on_request is not None:
            on_request(method, path, status, elapsed)


def reason(exc: BaseException) -> str:
    """The innermost cause, short: 'Connection refused', 'Read timed out'..."""
    text = str(exc)
    for marker in ("Read timed out", "Connection refused", "Connection aborted", "timed out"):
        if marker in text:
            return marker
    cause = exc.__context__ or exc.__cause__
    while cause is not None and (cause.__context__ or cause.__cause__) is not None:
        cause = cause.__context__ or cause.__cause__
    return type(cause or exc).__name__
