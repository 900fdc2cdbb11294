"""Retrying transient faults with urllib3's ``Retry``: bounded, backed off, jittered, counted.

Every write pfm-dash sends is safe to repeat (saves carry the version they replace, folder
creates name their uid, deletes of a missing dashboard are 404), so POST is retried too: a repeat
of a save that did land comes back 412 and the caller checks whether the live dashboard is its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from urllib3.exceptions import InvalidHeader
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "POST", "OPTIONS"})
# A forced save (``overwrite: true``) must not be repeated blindly: a late copy could erase an
# edit made after it. Without POST here it is retried only when it never left (connect errors).
NO_POST_METHODS = RETRY_METHODS - {"POST"}


@dataclass
class RetryPolicy:
    """How hard to try: ``retries`` after the first attempt, backoff ``backoff * 2**n`` + jitter."""

    retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 10.0
    jitter: float = 0.25
    retry_after_max: float = 60.0


@dataclass
class Counter:
    """HTTP attempts made, retries included; shared by the pool's threads."""

    attempts: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Set on Ctrl-C: a request in flight ends with its current attempt, never retried.
    stopped: threading.Event = field(default_factory=threading.Event)
    # ``--verbose``: told of each retry (method, path, why, the attempt about to be made).
    on_retry: Callable[[str, str, str, int], None] | None = None

    def add(self, *, attempts: int = 0, retries: int = 0) -> None:
        with self.lock:
            self.attempts += attempts
            self.retries += retries


class CountingRetry(Retry):
    """``Retry`` that caps ``Retry-After`` and counts retries."""

    retry_after_cap: float = 60.0
    counter: Counter | None = None

    def new(self, **kw: Any) -> Self:
        fresh = super().new(**kw)
        fresh.retry_after_cap = self.retry_after_cap
        fresh.counter = self.counter
        return fresh

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Honour Grafana's (or a proxy's) ``Retry-After``, but never wait for hours.

        A value that is neither seconds nor an HTTP date (``soon``) falls back to the backoff:
        urllib3 would raise InvalidHeader and end the call with no answer.
        """
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None
        return None if seconds is None else min(seconds, self.retry_after_cap)

    def increment(self, *args: Any, **kw: Any) -> Self:
        # Count only a retry that will happen: when retries run out, super() raises and no
        # further request is sent.
        if self.counter is not None and self.counter.stopped.is_set():
            exhausted = self.new(total=0, connect=0, read=0, status=0)
            return Retry.increment(exhausted, *args, **kw)  # raises MaxRetryError: none left
        fresh = super().increment(*args, **kw)
        if self.counter is not None:
            self.counter.add(attempts=1, retries=1)
            if self.counter.on_retry is not None:
                method = args[0] if args else kw.get("method")
                url = args[1] if len(args) > 1 else kw.get("url")
                response, error = kw.get("response"), kw.get("error")
                why = str(response.status) if response is not None else type(error).__name__
                attempt = len(fresh.history) + 1
                self.counter.on_retry(str(method or ""), str(url or ""), why, attempt)
        return fresh


def build_retry(
    policy: RetryPolicy, counter: Counter, *, methods: frozenset[str] = RETRY_METHODS
) -> CountingRetry:
    retry = CountingRetry(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        other=0,
        redirect=0,
        allowed_methods=methods,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=policy.backoff,
        backoff_max=policy.backoff_max,
        backoff_jitter=policy.jitter,
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    retry.retry_after_cap = policy.retry_after_max
    retry.counter = counter
    return retry
