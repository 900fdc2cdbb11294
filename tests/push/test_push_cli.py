"""``pfm-dash push`` as users run it: a real process, the real project, the fake over sockets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MakeProject, Result, run_cli
from fixtures_src import dashboard_module
from grafana_testing import READ_ONLY_TOKEN, TOKEN

from pfm_dash.testing.fake_grafana import FakeGrafana


@pytest.fixture(autouse=True)
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subprocess inherits the environment, as in CI."""
    for name in ("GRAFANA_URL", "GRAFANA_USER", "GRAFANA_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN)


def push(root: Path, grafana: FakeGrafana, *args: str) -> Result:
    run_cli("build", cwd=root)  # push ships what was reviewed: a fresh build/
    result = run_cli("push", "--grafana-url", grafana.url, "--backoff", "0.01", *args, cwd=root)
    assert TOKEN not in result.text and READ_ONLY_TOKEN not in result.text
    assert "Traceback" not in result.text, result.text
    return result


def test_pushes_the_real_project_then_nothing(pfm_copy: Path, grafana: FakeGrafana) -> None:
    first = push(pfm_copy, grafana, "--message", "release 7")
    assert first.code == 0, first.text
    assert "created       dashboard pfm-overview" in first.out
    assert grafana.folder("pfm") is not None
    stored = grafana.dashboard("pfm-overview")
    assert stored is not None and stored.folder_uid == "pfm" and stored.history[0].message
    grafana.clear()
    again = push(pfm_copy, grafana)
    assert again.code == 0, again.text
    assert grafana.writes() == []
    assert ": 0 created, 0 updated, " in again.out and " 0 conflict(s), 0 failed" in again.out


def test_json_summary_and_verbose_dump(make_project: MakeProject, grafana: FakeGrafana) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    result = push(root, grafana, "--output", "json", "--verbose")
    assert result.code == 0, result.text
    doc = json.loads(result.out)
    assert (doc["created"], doc["updated"], doc["unchanged"], doc["conflicts"]) == (1, 0, 0, 0)
    assert (doc["failed"], doc["deleted"], doc["exit_code"]) == (0, 0, 0)
    assert doc["requests"] == len(grafana.requests)
    assert doc["dashboards"][0]["uid"] == "board"
    assert "push: credentials: GRAFANA_TOKEN" in result.err
    assert "http: POST /api/dashboards/db -> 200" in result.err


def test_dry_run_with_diff_writes_nothing(make_project: MakeProject, grafana: FakeGrafana) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    assert push(root, grafana).code == 0
    (root / "dashboards/board.py").write_text(dashboard_module(title="Up now"))
    grafana.clear()
    result = push(root, grafana, "--dry-run", "--diff")
    assert result.code == 0, result.text
    assert "would update  dashboard board" in result.out
    assert '+      "title": "Up now"' in result.out
    assert grafana.writes() == []


def test_conflict_exits_3_then_force(make_project: MakeProject, grafana: FakeGrafana) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    assert push(root, grafana).code == 0
    grafana.ui_edit("board", user="alice")
    (root / "dashboards/board.py").write_text(dashboard_module(title="Mine"))
    result = push(root, grafana)
    assert result.code == 3, result.text
    assert "conflict" in result.out and "alice" in result.out and "--force" in result.out
    assert push(root, grafana, "--force").code == 0


def test_401_and_403_are_one_sentence_exit_4(
    make_project: MakeProject, grafana: FakeGrafana, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN + "x")
    result = push(root, grafana, "--verbose")
    assert result.code == 4
    assert "rejected the credentials from GRAFANA_TOKEN (401)" in result.err
    assert [r.path for r in grafana.writes()] == []
    monkeypatch.setenv("GRAFANA_TOKEN", READ_ONLY_TOKEN)
    result = push(root, grafana)
    assert result.code == 4, result.text
    assert "Permissions needed: dashboards:write" in result.out


def test_an_organisation_the_token_is_not_in_is_named_not_a_missing_role(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    result = push(root, grafana, "--org-id", "99")
    assert result.code == 4, result.text
    assert "refused organisation 99" in result.err and "--org-id" in result.err
    assert "Editor" not in result.err
    assert [r.path for r in grafana.writes()] == []


def test_no_credentials_names_what_is_missing(
    make_project: MakeProject, grafana: FakeGrafana, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRAFANA_TOKEN")
    root = make_project({"dashboards/board.py": dashboard_module()})
    result = push(root, grafana)
    assert result.code == 4 and "needs credentials: set GRAFANA_TOKEN" in result.err


def test_plain_http_to_a_remote_host_is_refused(make_project: MakeProject) -> None:
    root = make_project({})
    result = run_cli("push", "--grafana-url", "http://grafana.example.org", cwd=root)
    assert result.code == 2
    assert "refusing to send credentials over plain http to grafana.example.org" in result.err
    assert TOKEN not in result.text


def test_invalid_uid_is_caught_before_any_request(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module(uid="bad uid!")})
    result = push(root, grafana)
    assert result.code == 2 and "invalid dashboard uid 'bad uid!'" in result.err
    assert grafana.requests == []


def test_prune_without_a_declared_project_exits_2(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    """Issue 13 item 3: the fixture's pyproject names [project] only; prune refuses to guess."""
    root = make_project({"dashboards/board.py": dashboard_module()})
    result = push(root, grafana, "--prune")
    assert result.code == 2, result.text
    (line,) = result.err.strip().splitlines()
    assert "set project = " in line and "[tool.pfm-dash]" in line
    assert grafana.requests == []


def test_a_stale_build_is_refused_naming_the_files(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    assert run_cli("build", cwd=root).code == 0
    board = root / "dashboards" / "board.py"
    board.write_text(board.read_text().replace('title="Board"', 'title="Board, edited"'))
    args = ("push", "--grafana-url", grafana.url, "--backoff", "0.01")
    result = run_cli(*args, cwd=root)
    assert result.code == 2, result.text
    assert "build/grafana/dashboards/board.json (stale)" in result.err
    assert "what would ship is not what was reviewed" in result.err
    assert grafana.writes() == []
    assert run_cli(*args, "--allow-stale-build", cwd=root).code == 0


def test_json_output_is_json_when_the_preflight_fails(
    make_project: MakeProject, grafana: FakeGrafana, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    monkeypatch.setenv("GRAFANA_TOKEN", TOKEN + "x")
    result = push(root, grafana, "--output", "json")
    assert result.code == 4
    doc = json.loads(result.out)
    assert doc["exit_code"] == 4 and doc["error"]["kind"] == "PushAuthError"
    assert "rejected the credentials from GRAFANA_TOKEN (401)" in doc["error"]["message"]
    assert "rejected the credentials" in result.err  # people still read stderr


def test_verbose_shows_each_retried_attempt(
    make_project: MakeProject, grafana: FakeGrafana
) -> None:
    root = make_project({"dashboards/board.py": dashboard_module()})
    grafana.fail_next(2, 503, path="/api/dashboards/db")
    result = push(root, grafana, "--verbose")
    assert result.code == 0, result.text
    assert "http: POST /api/dashboards/db -> 503; retrying (attempt 2)" in result.err
    assert "http: POST /api/dashboards/db -> 503; retrying (attempt 3)" in result.err
