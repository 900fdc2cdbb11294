"""The ``/_fake/`` control endpoints every fake shares: arm faults and read the log over HTTP,
as a person with curl would, with the same effect as the Python hooks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from pfm_dash.testing.fake_grafana import FakeGrafana
from pfm_dash.testing.fake_ruler import FakeRuler
from pfm_dash.testing.loopback import LoopbackFake


@pytest.fixture(params=["grafana", "ruler"])
def fake(request: pytest.FixtureRequest) -> Iterator[LoopbackFake]:
    made: LoopbackFake = FakeGrafana() if request.param == "grafana" else FakeRuler()
    with made:
        yield made


def test_an_armed_status_answers_the_next_n_matching_requests(fake: LoopbackFake) -> None:
    armed = requests.post(
        fake.url + "/_fake/faults",
        json={"status": 503, "count": 2, "path": "/api/", "method": "get", "retry_after": 4},
        timeout=5,
    )
    assert armed.status_code == 200
    assert armed.json() == {
        "kind": "status",
        "remaining": 2,
        "path": "/api/",
        "method": "GET",
        "status": 503,
        "retry_after": "4",
    }
    assert requests.post(fake.url + "/api/x", timeout=5).status_code != 503  # another method
    for _ in range(2):
        hit = requests.get(fake.url + "/api/x", timeout=5)
        assert (hit.status_code, hit.headers["Retry-After"]) == (503, "4")
    assert requests.get(fake.url + "/api/x", timeout=5).status_code != 503  # used up
    assert requests.get(fake.url + "/_fake/faults", timeout=5).json() == []


def test_the_log_reads_as_json_and_leaves_control_requests_out(fake: LoopbackFake) -> None:
    requests.post(fake.url + "/_fake/faults", json={"status": 500}, timeout=5)
    requests.put(fake.url + "/api/thing?x=1", data=b"hello", timeout=5)
    log = requests.get(fake.url + "/_fake/requests", timeout=5).json()
    assert [(e["method"], e["path"], e["status"], e["fault"]) for e in log] == [
        ("PUT", "/api/thing", 500, "status")
    ]
    assert log[0]["query"] == {"x": ["1"]} and log[0]["body"] == "hello"
    assert fake.requests[0].status == 500  # the same log the Python API reads
    forgotten = requests.delete(fake.url + "/_fake/requests", timeout=5)
    assert forgotten.json() == {"forgotten": 1}
    assert requests.get(fake.url + "/_fake/requests", timeout=5).json() == []


def test_delay_and_drop_and_disarm(fake: LoopbackFake) -> None:
    requests.post(fake.url + "/_fake/faults", json={"kind": "drop"}, timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(fake.url + "/api/x", timeout=5)
    requests.post(fake.url + "/_fake/faults", json={"kind": "delay", "seconds": 5}, timeout=5)
    requests.post(fake.url + "/_fake/faults", json={"status": 502, "count": 9}, timeout=5)
    armed = requests.get(fake.url + "/_fake/faults", timeout=5).json()
    assert [(f["kind"], f["remaining"]) for f in armed] == [("delay", 1), ("status", 9)]
    assert requests.delete(fake.url + "/_fake/faults", timeout=5).json() == {"disarmed": 2}
    assert requests.get(fake.url + "/api/x", timeout=1).status_code not in (502, 503)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": 99}, '"status" must be a whole number from 100 to 599'),
        ({"count": 0}, '"count" must be a whole number from 1 to 1000000'),
        ({"path": "api"}, '"path" must be a path prefix starting with "/"'),
        ({"kind": "delay"}, 'a delay needs "seconds", a number >= 0'),
        ({"kind": "melt"}, '"kind" must be "status", "delay" or "drop", not \'melt\''),
        ({"stauts": 500}, "unknown key(s) ['stauts']"),
        ([1], "the body must be a JSON object"),
    ],
)
def test_a_bad_fault_is_a_400_that_says_what_to_mend(
    fake: LoopbackFake, body: object, message: str
) -> None:
    answer = requests.post(fake.url + "/_fake/faults", json=body, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(message)
    assert fake.faults.armed == []


def test_unknown_endpoints_and_methods(fake: LoopbackFake) -> None:
    missing = requests.get(fake.url + "/_fake/nope", timeout=5)
    assert missing.status_code == 404
    assert "GET /_fake/requests" in missing.json()["endpoints"]
    assert requests.put(fake.url + "/_fake/faults", timeout=5).status_code == 405
