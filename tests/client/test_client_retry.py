"""Transient faults are retried (bounded, backed off, Retry-After honoured); the rest are not."""

from __future__ import annotations

import time

import pytest
from grafana_testing import FAST, TOKEN

from pfm_dash.client import (
    BadRequest,
    BearerToken,
    GrafanaClient,
    RateLimited,
    RetryPolicy,
    ServerError,
    TransportError,
)
from pfm_dash.testing.fake_grafana import FakeGrafana


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(
    grafana: FakeGrafana, client: GrafanaClient, status: int
) -> None:
    grafana.fail_next(2, status, path="/api/org")
    assert client.org()["id"] == 1
    assert [r.status for r in grafana.requests] == [status, status, 200]
    assert (client.counter.attempts, client.counter.retries) == (3, 2)


def test_post_is_retried_too(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.fail_next(1, 503, method="POST")
    assert client.create_folder("f", "F")["uid"] == "f"


def test_retry_after_is_honoured(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.fail_next(1, 429, path="/api/org", retry_after="1")
    started = time.monotonic()
    client.org()
    assert 1.0 <= time.monotonic() - started < 2.5  # the backoff alone is milliseconds


def test_retry_after_is_capped(grafana: FakeGrafana) -> None:
    policy = RetryPolicy(retries=2, backoff=0.01, retry_after_max=0.2)
    client = GrafanaClient(grafana.url, BearerToken(TOKEN), retry=policy)
    grafana.fail_next(1, 429, retry_after="3600")
    started = time.monotonic()
    client.org()
    assert time.monotonic() - started < 1.5


def test_retries_are_bounded(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.fail_next(10, 503)
    with pytest.raises(ServerError) as failed:
        client.org()
    assert failed.value.status == 503
    assert len(grafana.requests) == 1 + FAST.retries
    # The counts in the push summary are what was really sent, also when retries run out.
    assert client.counter.attempts == len(grafana.requests)
    assert client.counter.retries == FAST.retries
    grafana.clear()
    grafana.fail_next(10, 429)
    with pytest.raises(RateLimited):
        client.org()


def test_other_4xx_are_not_retried(grafana: FakeGrafana, client: GrafanaClient) -> None:
    with pytest.raises(BadRequest):
        client.save_dashboard({"uid": "d", "title": ""}, "", overwrite=False, message="")
    assert len(grafana.requests) == 1


def test_dropped_connections_are_retried(grafana: FakeGrafana, client: GrafanaClient) -> None:
    grafana.drop_next(2, path="/api/org")
    assert client.org()["id"] == 1
    grafana.drop_next(10, path="/api/org")
    with pytest.raises(TransportError):
        client.org()


def test_read_timeouts_are_retried(grafana: FakeGrafana) -> None:
    client = GrafanaClient(grafana.url, BearerToken(TOKEN), retry=FAST, timeout=0.3)
    grafana.delay_next(1, 0.6, path="/api/org")
    assert client.org()["id"] == 1
    grafana.delay_next(10, 0.6, path="/api/org")
    with pytest.raises(TransportError, match="timed out"):
        client.org()


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_that_is_not_a_number_falls_back_to_the_backoff(
    grafana: FakeGrafana, client: GrafanaClient, status: int
) -> None:
    """Issue 13 item 9: ``Retry-After: soon`` once ended the call as "no answer"."""
    grafana.fail_next(1, status, path="/api/org", retry_after="soon")
    started = time.monotonic()
    assert client.org()["id"] == 1
    assert time.monotonic() - started < 1.0  # FAST's backoff, not a guess at "soon"
    assert [r.status for r in grafana.requests] == [status, 200]
    assert client.counter.retries == 1


def test_a_post_that_must_not_repeat_is_sent_once(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    """A forced save (repeat=False) is not re-sent after it may have reached Grafana."""
    grafana.fail_next(1, 503, path="/api/dashboards/db")
    with pytest.raises(ServerError):
        client.save_dashboard(
            {"uid": "d", "title": "D"}, "", overwrite=True, message="", repeat=False
        )
    grafana.drop_next(1, path="/api/dashboards/db")
    with pytest.raises(TransportError):
        client.save_dashboard(
            {"uid": "d", "title": "D"}, "", overwrite=True, message="", repeat=False
        )
    assert [r.status for r in grafana.requests] == [503, 0]
    # GETs through the same client are still retried.
    grafana.fail_next(1, 503, path="/api/org")
    assert client.org()["id"] == 1


def test_nothing_is_retried_once_stopped(grafana: FakeGrafana, client: GrafanaClient) -> None:
    """After Ctrl-C a request in flight ends with its attempt: the wait stays bounded."""
    client.counter.stopped.set()
    grafana.fail_next(3, 503, path="/api/org")
    with pytest.raises(ServerError):
        client.org()
    grafana.drop_next(3, path="/api/org")
    with pytest.raises(TransportError):
        client.org()
    assert [r.status for r in grafana.requests] == [503, 0]
    assert client.counter.retries == 0
