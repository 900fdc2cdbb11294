"""sync_ruler when the network or the server misbehaves: retries, lost answers, credentials,
protected namespaces, Ctrl-C; all against the fake ruler on a real socket."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pfm_dash.client import BasicAuth, BearerToken, RetryPolicy, ServerError, TransportError
from pfm_dash.client.ruler import RulerError
from pfm_dash.deploy.ruler import RulerOptions, RulerSettings, sync_ruler
from pfm_dash.errors import ConfigError
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.push.types import EXIT_AUTH, EXIT_INTERRUPTED, Action, PushAuthError, PushSummary
from pfm_dash.testing.fake_ruler import FakeRuler

TENANT = "team-a"
NS = "app"
POSTS = f"/prometheus/config/v1/rules/{NS}"


@pytest.fixture
def ruler() -> Iterator[FakeRuler]:
    with FakeRuler() as fake:
        yield fake


def rule_files(*names: str) -> dict[str, str]:
    out = {}
    for name in names:
        body = {"name": name, "rules": [{"alert": "Down", "expr": "up == 0"}]}
        out[f"{name}.rules.yml"] = dump_yaml({"groups": [body]})
    return out


def sync(fake: FakeRuler, *names: str, **kw: Any) -> PushSummary:
    stop = kw.pop("stop", None)
    base: dict[str, Any] = {
        "tenant": TENANT,
        "namespace": NS,
        "retry": RetryPolicy(retries=3, backoff=0.01, jitter=0.0),
    }
    return sync_ruler(
        RulerSettings(fake.url, **{**base, **kw}),
        RulerOptions(),
        rule_files=rule_files(*names),
        stop=stop,
    )


def actions(summary: PushSummary) -> dict[str, Action]:
    return {o.title: o.action for o in summary.outcomes}


def test_503_twice_then_success_is_retried(ruler: FakeRuler) -> None:
    ruler.fail_next(2, 503, path=POSTS, method="POST")
    summary = sync(ruler, "a")
    assert actions(summary) == {"a": Action.CREATE} and summary.exit_code == 0
    assert summary.retries == 2
    assert [r.status for r in ruler.writes()] == [503, 503, 202]


def test_429_with_retry_after_is_honoured(ruler: FakeRuler) -> None:
    ruler.fail_next(1, 429, path=POSTS, method="POST", retry_after="1")
    started = time.monotonic()
    summary = sync(ruler, "a")
    assert time.monotonic() - started >= 1.0
    assert actions(summary) == {"a": Action.CREATE} and summary.retries == 1


def test_a_lost_answer_is_retried_and_the_upsert_lands_once(ruler: FakeRuler) -> None:
    ruler.drop_next(1, path=POSTS, method="POST", after_apply=True)
    summary = sync(ruler, "a")
    assert actions(summary) == {"a": Action.CREATE} and summary.exit_code == 0
    assert [r.fault for r in ruler.writes()] == ["drop-after", ""]
    assert list(ruler.groups(TENANT, NS)) == ["a"]


def test_faults_past_the_retry_budget_fail_one_group_and_a_rerun_converges(
    ruler: FakeRuler,
) -> None:
    ruler.fail_next(4, 503, path=POSTS, method="POST")
    summary = sync(ruler, "a", concurrency=1)
    assert actions(summary) == {"a": Action.FAILED} and summary.exit_code == 1
    assert "503 injected fault" in summary.dashboards[0].detail
    assert actions(sync(ruler, "a")) == {"a": Action.CREATE}


def test_a_server_error_on_the_first_read_stops_before_any_write(ruler: FakeRuler) -> None:
    ruler.fail_next(1, 500, method="GET")
    with pytest.raises(ServerError) as info:
        sync(ruler, "a")
    assert info.value.exit_code == 1 and "500 injected fault" in str(info.value)
    assert ruler.writes() == []


def test_an_unreachable_ruler_is_one_message(ruler: FakeRuler) -> None:
    url = ruler.url
    ruler.stop()
    settings = RulerSettings(url, tenant=TENANT, retry=RetryPolicy(retries=0))
    with pytest.raises(TransportError, match="no answer from"):
        sync_ruler(settings, rule_files=rule_files("a"))


def test_missing_credentials_exit_4_with_one_sentence(ruler: FakeRuler) -> None:
    ruler.add_token("s3cret-token")
    with pytest.raises(PushAuthError) as info:
        sync(ruler, "a")
    assert info.value.exit_code == EXIT_AUTH
    assert "needs credentials" in str(info.value) and ruler.writes() == []


def test_wrong_token_names_its_source_never_its_value(ruler: FakeRuler) -> None:
    ruler.add_token("s3cret-token")
    with pytest.raises(PushAuthError) as info:
        sync(ruler, "a", auth=BearerToken("wrong-value"), credential_source="RULER_TOKEN")
    assert "rejected the credentials from RULER_TOKEN (401" in str(info.value)
    assert "wrong-value" not in str(info.value)


def test_bearer_and_basic_credentials_are_sent(ruler: FakeRuler) -> None:
    ruler.add_token("s3cret-token")
    ruler.add_user("deployer", "pw")
    assert actions(sync(ruler, "a", auth=BearerToken("s3cret-token"))) == {"a": Action.CREATE}
    assert actions(sync(ruler, "a", auth=BasicAuth("deployer", "pw"))) == {"a": Action.UNCHANGED}


def test_a_protected_namespace_refuses_the_write_as_an_auth_failure(ruler: FakeRuler) -> None:
    ruler.set_limits(protected_namespaces=frozenset({NS}))
    summary = sync(ruler, "a")
    assert actions(summary) == {"a": Action.FAILED}
    assert summary.exit_code == EXIT_AUTH
    assert "403 namespace is protected, no modification allowed" in summary.dashboards[0].detail


def test_an_invalid_tenant_is_refused_before_any_request(ruler: FakeRuler) -> None:
    with pytest.raises(RulerError, match="unsupported character '/'") as info:
        sync(ruler, "a", tenant="a/b")
    assert info.value.exit_code == 2
    with pytest.raises(ConfigError, match="namespace must not be empty"):
        sync(ruler, "a", namespace="")
    assert ruler.requests == []


def test_stop_sends_no_new_write_and_exits_130(ruler: FakeRuler) -> None:
    stop = threading.Event()
    stop.set()
    summary = sync(ruler, "a", "b", stop=stop)
    assert actions(summary) == {"a": Action.SKIPPED, "b": Action.SKIPPED}
    assert summary.exit_code == EXIT_INTERRUPTED and ruler.writes() == []


def test_writes_run_in_parallel_up_to_the_concurrency(ruler: FakeRuler) -> None:
    ruler.set_latency(0.2)
    started = time.monotonic()
    summary = sync(ruler, *[f"g{i}" for i in range(8)], concurrency=8)
    elapsed = time.monotonic() - started
    assert summary.count(Action.CREATE) == 8
    # One read plus 8 writes one at a time would take 1.8 s.
    assert elapsed < 1.2, elapsed


def test_ctrl_c_finishes_the_write_in_flight_and_skips_the_rest(ruler: FakeRuler) -> None:
    # A real SIGINT to this process while the first of five writes is on the wire.
    ruler.delay_next(1, 0.5, method="POST")
    timer = threading.Timer(0.25, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        summary = sync(ruler, "a", "b", "c", "d", "e", concurrency=1)
    finally:
        timer.cancel()
    assert summary.exit_code == EXIT_INTERRUPTED and summary.interrupted
    assert actions(summary) == {
        "a": Action.CREATE,
        **{name: Action.SKIPPED for name in "bcde"},
    }
    assert [r.method for r in ruler.writes()] == ["POST"]
