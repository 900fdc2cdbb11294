"""The fake ruler's answers, byte for byte where Mimir's source fixes them (pkg/ruler/api.go,
pkg/api/api.go, dskit's tenant middleware, rulespb/compat.go), spoken to with plain requests."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys

import requests
import yaml

from pfm_dash.testing.fake_ruler import FakeRuler

RULES = "/prometheus/config/v1/rules"
GROUP = (
    "name: g\ninterval: 60s\nlimit: 3\nunknown_key: x\nrules:\n- alert: Down\n  expr: up == 0\n"
    "  labels: {team: a, severity: page}\n  annotations: {}\n"
)


def call(
    fake: FakeRuler,
    method: str,
    path: str,
    body: str = "",
    tenant: str | None = "t1",
    **headers: str,
) -> requests.Response:
    if tenant is not None:
        headers["X-Scope-OrgID"] = tenant
    return requests.request(method, fake.url + path, data=body.encode(), headers=headers, timeout=5)


def test_every_route_needs_a_tenant(ruler: FakeRuler) -> None:
    for method, path in [
        ("GET", RULES),
        ("GET", f"{RULES}/ns"),
        ("POST", f"{RULES}/ns"),
        ("GET", f"{RULES}/ns/g"),
        ("DELETE", f"{RULES}/ns/g"),
        ("DELETE", f"{RULES}/ns"),
        ("GET", "/api/v1/alerts"),
        ("POST", "/api/v1/alerts"),
    ]:
        answer = call(ruler, method, path, GROUP, tenant=None)
        assert (answer.status_code, answer.text) == (401, "no org id\n"), (method, path)
        assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert ruler.groups("t1", "ns") == {}


def test_tenant_rules_of_dskit_and_the_tenant_count(ruler: FakeRuler) -> None:
    answer = call(ruler, "GET", RULES, tenant="a|b")
    assert (answer.status_code, answer.text) == (
        422,
        "too many tenant IDs present in the request. max: 1 actual: 2\n",
    )
    answer = call(ruler, "GET", RULES, tenant="a b")
    assert (answer.status_code, answer.text) == (
        401,
        "tenant ID 'a b' contains unsupported character ' '\n",
    )
    assert call(ruler, "GET", RULES, tenant="x" * 151).text == (
        "tenant ID is too long: max 150 characters\n"
    )


def test_create_answers_202_with_mimirs_exact_body_and_stores_the_compat_shape(
    ruler: FakeRuler,
) -> None:
    answer = call(ruler, "POST", f"{RULES}/ns", GROUP)
    assert answer.status_code == 202
    assert answer.content == b'{"status":"success","data":null,"errorType":"","error":""}'
    assert answer.headers["Content-Type"] == "application/json"
    got = call(ruler, "GET", f"{RULES}/ns/g")
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/yaml"
    assert yaml.safe_load(got.text) == {
        "name": "g",
        "interval": "1m",
        "rules": [
            {"alert": "Down", "expr": "up == 0", "labels": {"severity": "page", "team": "a"}}
        ],
    }
    assert "\n    - " in got.text or "\n-   " in got.text  # 4-space indent, as yaml.v3


def test_an_identical_post_is_accepted_again(ruler: FakeRuler) -> None:
    assert call(ruler, "POST", f"{RULES}/ns", GROUP).status_code == 202
    assert call(ruler, "POST", f"{RULES}/ns", GROUP).status_code == 202
    assert list(ruler.groups("t1", "ns")) == ["g"]


def test_list_is_empty_map_then_namespaces_sorted(ruler: FakeRuler) -> None:
    assert (call(ruler, "GET", RULES).status_code, call(ruler, "GET", RULES).text) == (200, "{}\n")
    for ns in ("zeta", "alpha"):
        call(ruler, "POST", f"{RULES}/{ns}", GROUP)
    assert list(yaml.safe_load(call(ruler, "GET", RULES).text)) == ["alpha", "zeta"]
    assert list(yaml.safe_load(call(ruler, "GET", f"{RULES}/zeta").text)) == ["zeta"]


def test_missing_group_and_namespace_answers(ruler: FakeRuler) -> None:
    assert (
        call(ruler, "GET", f"{RULES}/ns/g").status_code,
        call(ruler, "GET", f"{RULES}/ns/g").text,
    ) == (
        404,
        "group does not exist\n",
    )
    answer = call(ruler, "DELETE", f"{RULES}/ns/g")
    assert (answer.status_code, answer.text) == (404, "group does not exist\n")
    answer = call(ruler, "DELETE", f"{RULES}/ns")
    assert (answer.status_code, answer.text) == (404, "group namespace does not exist\n")


def test_delete_group_and_namespace(ruler: FakeRuler) -> None:
    call(ruler, "POST", f"{RULES}/ns", GROUP)
    call(ruler, "POST", f"{RULES}/ns", GROUP.replace("name: g", "name: h"))
    assert call(ruler, "DELETE", f"{RULES}/ns/g").status_code == 202
    assert list(ruler.groups("t1", "ns")) == ["h"]
    assert call(ruler, "DELETE", f"{RULES}/ns").status_code == 202
    assert ruler.namespaces("t1") == []


def test_tenants_are_isolated(ruler: FakeRuler) -> None:
    call(ruler, "POST", f"{RULES}/ns", GROUP, tenant="t1")
    assert call(ruler, "GET", f"{RULES}/ns/g", tenant="t2").status_code == 404
    assert call(ruler, "GET", RULES, tenant="t2").text == "{}\n"


def test_names_are_escaped_segments_any_bytes(ruler: FakeRuler) -> None:
    odd = ")(_+?/|namespace1+/?"
    body = GROUP.replace("name: g", f"name: '{odd}'")
    escaped = requests.utils.quote(odd, safe="")
    assert call(ruler, "POST", f"{RULES}/{escaped}", body).status_code == 202
    assert ruler.namespaces("t1") == [odd]
    assert call(ruler, "GET", f"{RULES}/{escaped}/{escaped}").status_code == 200
    # requests would re-escape '%zz'; http.client sends the path as given.
    conn = http.client.HTTPConnection("127.0.0.1", ruler.port, timeout=5)
    conn.request("GET", f"{RULES}/%zz", headers={"X-Scope-OrgID": "t1"})
    bad = conn.getresponse()
    assert bad.status == 500
    assert json.loads(bad.read()) == {
        "status": "error",
        "data": None,
        "errorType": "server_error",
        "error": 'invalid URL escape "%zz"',
    }


def test_unknown_paths_and_methods(ruler: FakeRuler) -> None:
    assert call(ruler, "GET", "/nope").status_code == 404
    assert call(ruler, "PUT", f"{RULES}/ns").status_code == 405
    assert call(ruler, "POST", f"{RULES}/ns/g", GROUP).status_code == 405


def test_validation_messages(ruler: FakeRuler) -> None:
    cases = {
        "": "invalid rules configuration: rule group name must not be empty",
        "name: g\n": "invalid rules configuration: rule group 'g' has no rules",
        "- a\n- b\n": "unable to decode rule group",
        "name: g\ninterval: soon\nrules: [{alert: A, expr: up}]\n": "unable to decode rule group",
        "name: g\nrules: [{alert: A, record: r, expr: up}]\n": (
            "group \"g\", rule 0, \"A\": only one of 'record' and 'alert' must be set"
        ),
        "name: g\nrules: [{alert: A}]\n": (
            'group "g", rule 0, "A": field \'expr\' must be set in rule'
        ),
        "name: g\nrules: [{record: 'bad-name', expr: up}]\n": (
            'group "g", rule 0, "bad-name": invalid recording rule name: bad-name'
        ),
        "name: g\nrules: [{alert: A, expr: up, labels: {'a-b': x}}]\n": (
            'group "g", rule 0, "A": invalid label name: a-b'
        ),
        "name: g\nsource_tenants: [x]\nrules: [{alert: A, expr: up}]\n": (
            "invalid rules configuration: rule group 'g' is a federated rule group, but rules "
            "federation is disabled; please contact your service administrator to have it enabled"
        ),
    }
    for body, message in cases.items():
        answer = call(ruler, "POST", f"{RULES}/ns", body)
        assert (answer.status_code, answer.text) == (400, message + "\n"), body
    parse = call(ruler, "POST", f"{RULES}/ns", "name: g\nrules: [{alert: A, expr: 'sum(('}]\n")
    assert parse.status_code == 400
    assert parse.text.startswith('group "g", rule 0, "A": could not parse expression: ')
    both = call(ruler, "POST", f"{RULES}/ns", "name: g\nrules: [{alert: A}, {record: r}]\n")
    assert both.text.count("field 'expr' must be set in rule") == 2 and ", group" in both.text
    assert ruler.namespaces("t1") == []


def test_limits_with_mimirs_messages(ruler: FakeRuler) -> None:
    ruler.set_limits(max_rules_per_group=1, max_groups_per_tenant=1)
    two_rules = GROUP.replace("rules:\n", "rules:\n- record: r\n  expr: up\n")
    answer = call(ruler, "POST", f"{RULES}/ns", two_rules)
    assert answer.text == "per-user rules per rule group limit (limit: 1 actual: 2) exceeded\n"
    assert call(ruler, "POST", f"{RULES}/ns", GROUP).status_code == 202
    # At the limit, even an update is refused: existing + 1 (CreateRuleGroup).
    again = call(ruler, "POST", f"{RULES}/other", GROUP)
    assert (again.status_code, again.text) == (
        400,
        "per-user rule groups limit (limit: 1 actual: 2) exceeded\n",
    )
    ruler.set_limits("t2", max_groups_per_tenant=0)  # a tenant override: no limit
    for ns in ("a", "b", "c"):
        assert call(ruler, "POST", f"{RULES}/{ns}", GROUP, tenant="t2").status_code == 202


def test_protected_namespace(ruler: FakeRuler) -> None:
    ruler.set_limits(protected_namespaces=frozenset({"ns"}))
    answer = call(ruler, "POST", f"{RULES}/ns", GROUP)
    assert (answer.status_code, answer.text) == (
        403,
        "namespace is protected, no modification allowed\n",
    )
    override = {"X-Mimir-Ruler-Override-Namespace-Protection": "other,ns"}
    assert call(ruler, "POST", f"{RULES}/ns", GROUP, **override).status_code == 202
    got = call(ruler, "GET", f"{RULES}/ns/g")
    assert got.headers["X-Mimir-Ruler-Protected-Namespaces"] == "ns"


def test_alertmanager_config_api(ruler: FakeRuler) -> None:
    missing = call(ruler, "GET", "/api/v1/alerts")
    assert (missing.status_code, missing.text) == (404, "alertmanager storage object not found\n")
    config = "route:\n  receiver: r\nreceivers:\n- name: r\n"
    body = yaml.safe_dump({"template_files": {"t.tmpl": "x"}, "alertmanager_config": config})
    created = call(ruler, "POST", "/api/v1/alerts", body)
    assert (created.status_code, created.content) == (201, b"")
    got = yaml.safe_load(call(ruler, "GET", "/api/v1/alerts").text)
    assert got == {"template_files": {"t.tmpl": "x"}, "alertmanager_config": config}
    empty = call(ruler, "POST", "/api/v1/alerts", "template_files: {}\n")
    assert empty.text.startswith(
        "error validating Alertmanager config: configuration provided is empty"
    )
    path = yaml.safe_dump({"template_files": {"a/t.tmpl": "x"}, "alertmanager_config": config})
    assert call(ruler, "POST", "/api/v1/alerts", path).text == (
        'error validating Alertmanager config: invalid template name "a/t.tmpl": the template '
        "name cannot contain any path\n"
    )
    assert call(ruler, "DELETE", "/api/v1/alerts").status_code == 200
    assert call(ruler, "DELETE", "/api/v1/alerts").status_code == 200
    assert ruler.alertmanager_config("t1") is None


def test_fault_injection_and_the_request_log(ruler: FakeRuler) -> None:
    ruler.fail_next(2, 503, path=RULES)
    assert [call(ruler, "GET", RULES).status_code for _ in range(3)] == [503, 503, 200]
    assert [(r.caller, r.status) for r in ruler.requests] == [("t1", 503), ("t1", 503), ("t1", 200)]
    ruler.drop_next(1)
    try:
        call(ruler, "GET", RULES)
        raise AssertionError("the connection should have been dropped")
    except requests.ConnectionError:
        pass


def test_read_api_shows_stored_rules_not_yet_evaluated(ruler: FakeRuler) -> None:
    call(ruler, "POST", f"{RULES}/ns", GROUP)
    answer = call(ruler, "GET", "/prometheus/api/v1/rules")
    assert answer.status_code == 200
    (group,) = answer.json()["data"]["groups"]
    assert (group["name"], group["file"], group["interval"]) == ("g", "ns", 60.0)
    (rule,) = group["rules"]
    assert (rule["name"], rule["type"], rule["health"], rule["state"]) == (
        "Down",
        "alerting",
        "unknown",
        "inactive",
    )
    assert rule["lastError"] == "" and rule["alerts"] == []
    alerts = call(ruler, "GET", "/prometheus/api/v1/alerts")
    assert alerts.json() == {"status": "success", "data": {"alerts": []}}
    assert call(ruler, "GET", "/prometheus/api/v1/rules", tenant=None).status_code == 401


def test_runs_by_hand() -> None:
    """``python -m pfm_dash.testing.fake_ruler --port 0`` serves until stopped, control
    endpoints included."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfm_dash.testing.fake_ruler", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1].removesuffix("/prometheus")
        assert url.startswith("http://127.0.0.1:")
        assert f"control endpoints: {url}/_fake/" in proc.stdout.readline()
        listed = requests.get(url + "/prometheus/config/v1/rules", timeout=5)
        assert listed.status_code == 401 and listed.text == "no org id\n"
        log = requests.get(url + "/_fake/requests", timeout=5).json()
        assert [(e["path"], e["status"]) for e in log] == [("/prometheus/config/v1/rules", 401)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
