"""``pfm-dash diff`` in a real git repository: every kind of change, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.review.conftest import Repo, copy_project, make_repo


def _changes(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(s["kind"], s["key"], c) for s in data["sections"] for c in s["changes"]]


def _find(data: dict[str, Any], subject: str, field: str) -> dict[str, Any]:
    for _, _, change in _changes(data):
        if change["subject"] == subject and change["field"] == field:
            return change
    raise AssertionError(f"no change of {subject} {field} in {json.dumps(data, indent=1)}")


def test_unchanged_project_prints_one_line(repo: Repo) -> None:
    for fmt in ("text", "markdown"):
        done = repo.diff("--format", fmt, "--exit-code")
        assert done.returncode == 0, done.stderr
        assert "No monitoring changes between HEAD" in done.stdout
        assert len(done.stdout.strip().splitlines()) == (1 if fmt == "text" else 3)
    data = json.loads(repo.diff("--format", "json").stdout)
    assert data["changed"] is False and data["sections"] == []


def assert_every_change_in_json(data: dict[str, Any]) -> None:
    assert data["schema_version"] == 1 and data["changed"] is True
    unit = _find(data, "panel 'Error Rate'", "unit")
    assert (unit["before"], unit["after"]) == ("percentunit", "percent")
    threshold = _find(data, "panel 'Response Time (p95)'", "thresholds")
    assert threshold["before"]["steps"][-1]["value"] == 1
    assert threshold["after"]["steps"][-1]["value"] == 2
    query = _find(data, "panel 'Request Rate' query A", "expression")
    assert ["-", "rate"] in query["words"] and ["+", "irate"] in query["words"]
    for_ = _find(data, "alert HighErrorRate", "for")
    assert (for_["before"], for_["after"]) == ("5m", "10m")
    team = _find(data, "alert HighErrorRate", "team")
    assert (team["before"], team["after"]) == ("platform", "development")
    assert _find(data, "panel 'Queue Depth'", "TimeSeries")["op"] == "added"
    moved = _find(data, "panel 'Redis Memory Usage'", "position")
    assert moved["op"] == "moved" and moved["before"]["x"] != moved["after"]["x"]
    removed = [s for s in data["sections"] if s["key"] == "scratch"]
    assert removed[0]["status"] == "removed"
    routing = _find(data, "alert HighErrorRate in production, staging", "receivers")
    assert "no longer reaches platform" in routing["note"]
    assert "now reaches development" in routing["note"]
    assert data["summary"]["dashboard"]["removed"] == 1


def assert_every_change_in_text(text: str) -> None:
    lines = text.splitlines()

    def line(*words: str) -> str:
        found = [x for x in lines if all(w in x for w in words)]
        assert found, (words, text)
        return found[0]

    assert "percentunit -> percent" in line("panel 'Error Rate' unit")
    assert "green, yellow from 0.5, red from 2" in line("panel 'Response Time (p95)' thresholds")
    assert "[-rate-]{+irate+}" in line("panel 'Request Rate' query A expression")
    assert "5m -> 10m" in line("alert HighErrorRate for")
    assert "platform -> development" in line("alert HighErrorRate team")
    assert line("added", "panel 'Queue Depth'")
    assert line("moved", "panel 'Redis Memory Usage' position")
    assert line("dashboard scratch", "removed")
    assert "no longer reaches platform; now reaches development" in line(
        "alert HighErrorRate in production, staging receivers"
    )


def assert_every_change_in_markdown(text: str) -> None:
    assert text.startswith("### pfm-dash diff")
    assert "| what | name | status | changes |" in text
    assert "| dashboard | `scratch` | removed |" in text
    assert text.count("<details>") == text.count("</details>") >= 4
    assert "<summary><b>routing</b>" in text
    assert "**changed** panel 'Error Rate' unit: `percentunit` → `percent`" in text
    assert "~~`rate`~~ **`irate`**" in text
    assert "**changed** alert HighErrorRate for: `5m` → `10m`" in text
    assert "**changed** alert HighErrorRate team: `platform` → `development`" in text
    assert "**added** panel 'Queue Depth'" in text
    assert "**moved** panel 'Redis Memory Usage' position" in text
    assert "no longer reaches platform; now reaches development" in text


def check_all_formats(repo: Repo, *base: str) -> None:
    done = repo.diff(*base, "--format", "json", "--exit-code")
    assert done.returncode == 1, done.stderr
    assert_every_change_in_json(json.loads(done.stdout))
    text = repo.diff(*base)
    assert text.returncode == 0, text.stderr
    assert "\x1b[" not in text.stdout  # piped: plain
    assert_every_change_in_text(text.stdout)
    assert_every_change_in_markdown(repo.diff(*base, "--format", "markdown").stdout)


def test_uncommitted_changes_in_every_format(repo: Repo) -> None:
    repo.edit()
    check_all_formats(repo)


def test_committed_changes_against_a_named_base(repo: Repo) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.edit()
    repo.commit("the change")
    check_all_formats(repo, base)
    assert "No monitoring changes" in repo.diff().stdout  # HEAD is the change itself


def test_default_base_is_the_merge_base_with_upstream(tmp_path: Path, repo: Repo) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "feature", "--track", "main")
    repo.edit()
    repo.commit("the change")
    data = json.loads(repo.diff("--format", "json").stdout)
    assert data["base"]["commit"] == base
    assert_every_change_in_json(data)


def test_a_base_before_the_project_existed_shows_everything_added(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "young", with_project=False)
    first = repo.commit("nothing yet")
    copy_project(repo.path)
    repo.commit("the project")
    data = json.loads(repo.diff(first, "--format", "json").stdout)
    assert {s["status"] for s in data["sections"]} == {"added", "changed"}
    assert {s["key"] for s in data["sections"] if s["kind"] == "dashboard"} >= {
        "pfm-overview",
        "scratch",
    }
    assert data["summary"]["rule group"]["added"] >= 6
    routing = [c for s in data["sections"] if s["kind"] == "routing" for c in s["changes"]]
    assert any(c["note"].startswith("new alert, reaches") for c in routing)


def test_an_error_at_base_names_the_revision(repo: Repo) -> None:
    path = repo.path / "dashboards" / "scratch.py"
    path.write_text(path.read_text().replace("width=6", "width=30"))
    bad = repo.commit("a broken panel")
    path.write_text(path.read_text().replace("width=30", "width=6"))
    done = repo.diff(bad[:12])
    assert done.returncode == 2
    assert f"revision {bad[:12]}" in done.stderr
    assert (
        f"{bad[:12]}:dashboards/scratch.py:5: error: panel 'Scratch' is 30 columns" in done.stderr
    )
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2(repo: Repo) -> None:
    assert repo.diff("no-such-rev").returncode == 2
    assert "not a revision" in repo.diff("no-such-rev").stderr
    both = repo.diff("HEAD", "--grafana-url", "http://127.0.0.1:9")
    assert both.returncode == 2 and "not both" in both.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_the_users_tree_is_untouched(repo: Repo, fmt: str) -> None:
    repo.edit()
    before = repo.git("status", "--porcelain")
    repo.diff("--format", fmt)
    assert repo.git("status", "--porcelain") == before
    assert repo.git("worktree", "list").count("\n") == 0  # the temporary worktree is gone
    assert not (repo.path / "build").exists()


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    outer = make_repo(tmp_path / "mono", with_project=False)
    copy_project(outer.path / "monitoring")
    outer.commit("monitoring in a subfolder")
    inner = Repo(outer.path / "monitoring")
    inner.edit()
    data = json.loads(inner.diff("--format", "json").stdout)
    assert_every_change_in_json(data)
