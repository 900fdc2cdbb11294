"""RulerClient against the fake ruler: paths, escaping, headers, Mimir's two error styles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pfm_dash.client import BadRequest, NotFound, RetryPolicy, ServerError
from pfm_dash.client.ruler import RulerClient, RulerError, error_for
from pfm_dash.testing.fake_ruler import FakeRuler

GROUP = "name: g\nrules:\n- alert: Down\n  expr: up == 0\n"


@pytest.fixture
def ruler() -> Iterator[FakeRuler]:
    with FakeRuler() as fake:
        yield fake


@pytest.fixture
def client(ruler: FakeRuler) -> Iterator[RulerClient]:
    made = RulerClient(ruler.url, "t1", retry=RetryPolicy(retries=1, backoff=0.01))
    yield made
    made.close()


def test_group_round_trip_with_odd_names(ruler: FakeRuler, client: RulerClient) -> None:
    odd = "team a/rules?#%"
    client.set_group(odd, GROUP.replace("name: g", f"name: '{odd}'"))
    assert client.list_rules(odd) == {odd: [client.get_group(odd, odd)]}
    assert [r.path for r in ruler.writes()] == [
        "/prometheus/config/v1/rules/team%20a%2Frules%3F%23%25"
    ]
    assert client.delete_group(odd, odd) is True
    assert client.delete_group(odd, odd) is False  # 404: already gone
    assert client.get_group(odd, odd) is None


def test_every_request_names_the_tenant(ruler: FakeRuler, client: RulerClient) -> None:
    client.list_rules()
    client.get_alertmanager_config()
    assert {r.caller for r in ruler.requests} == {"t1"}


def test_an_older_ruler_answering_404_for_no_groups_is_empty(
    ruler: FakeRuler, client: RulerClient
) -> None:
    ruler.empty_list_404 = True
    assert client.list_rules("ns") == {}
    assert ruler.requests[-1].status == 404


def test_plain_text_errors_keep_mimirs_message(client: RulerClient) -> None:
    with pytest.raises(BadRequest) as info:
        client.set_group("ns", "name: g\n")
    assert info.value.message == "invalid rules configuration: rule group 'g' has no rules"
    assert str(info.value).startswith("POST /prometheus/config/v1/rules/ns: 400 ")


def test_json_envelope_errors_are_unwrapped() -> None:
    body = '{"status":"error","data":null,"errorType":"server_error","error":"store down"}'
    exc = error_for("GET", "/p", 500, body)
    assert isinstance(exc, ServerError)
    assert (exc.message, exc.status_field) == ("store down", "server_error")
    assert isinstance(error_for("GET", "/p", 404, "group does not exist\n"), NotFound)


def test_alertmanager_config_round_trip(client: RulerClient) -> None:
    assert client.get_alertmanager_config() is None
    config = "route:\n  receiver: r\nreceivers:\n- name: r\n"
    client.set_alertmanager_config(config, {"t.tmpl": '{{ define "x" }}y{{ end }}'})
    assert client.get_alertmanager_config() == {
        "template_files": {"t.tmpl": '{{ define "x" }}y{{ end }}'},
        "alertmanager_config": config,
    }
    client.delete_alertmanager_config()
    assert client.get_alertmanager_config() is None


def test_bad_urls_and_tenants_are_refused_without_a_request() -> None:
    with pytest.raises(RulerError, match="must start with https://"):
        RulerClient("ruler.example", "t1")
    with pytest.raises(RulerError, match="must not hold credentials"):
        RulerClient("https://u:p@ruler.example", "t1")
    with pytest.raises(RulerError, match="must not be empty"):
        RulerClient("https://ruler.example", "")
    with pytest.raises(RulerError, match=r"'\.' or '\.\.'"):
        RulerClient("https://ruler.example", "..")
