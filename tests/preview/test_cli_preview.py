"""``pfm-dash preview`` run as a user runs it, on a temporary git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import MakeProject, run_cli
from preview_testing import DASHBOARD, TITLES


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def test_writes_one_svg_per_dashboard_and_an_index(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": DASHBOARD})
    result = run_cli("preview", "--out", "pics", cwd=root)
    assert result.code == 0, result.text
    svg = (root / "pics" / "preview-test.svg").read_text()
    index = (root / "pics" / "index.html").read_text()
    for title in TITLES:
        escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = escaped.replace('"', "&quot;")
        assert escaped in svg and escaped in index
    assert 'href="preview-test.svg"' in index
    again = run_cli("preview", "--out", "pics", cwd=root)
    assert again.code == 0 and (root / "pics" / "preview-test.svg").read_text() == svg


def test_base_marks_added_changed_and_removed(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": DASHBOARD})
    git(root, "init", "-q")
    commit_all(root, "base")
    board = root / "dashboards" / "board.py"
    text = board.read_text()
    text = text.replace("unit=Unit.REQUESTS_PER_SECOND", "unit=Unit.OPS_PER_SECOND")  # changed
    text = text.replace('BarGauge(title="Goroutines"', 'BarGauge(title="Threads"')  # renamed
    board.write_text(text)
    uncommitted = run_cli("preview", "--out", "pics", "--base", "HEAD", cwd=root)
    assert uncommitted.code == 0, uncommitted.text
    svg = (root / "pics" / "preview-test.svg").read_text()
    assert "changed (1)" in svg and "added (1)" in svg and "removed (1)" in svg
    assert "Removed panels, where they were" in svg and "Goroutines" in svg
    assert "marked against HEAD" in (root / "pics" / "index.html").read_text()
    commit_all(root, "head")
    committed = run_cli("preview", "--out", "pics", "--base", "HEAD~1", cwd=root)
    assert committed.code == 0, committed.text
    assert (root / "pics" / "preview-test.svg").read_text() == svg.replace(
        "against HEAD", "against HEAD~1"
    )


def test_removed_dashboard_and_a_base_before_the_project(make_project: MakeProject) -> None:
    root = make_project({})
    (root / "README").write_text("nothing yet\n")
    pyproject = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").unlink()
    git(root, "init", "-q")
    commit_all(root, "before the project")
    (root / "pyproject.toml").write_text(pyproject)
    (root / "dashboards" / "board.py").write_text(DASHBOARD)
    commit_all(root, "project")
    result = run_cli("preview", "--out", "pics", "--base", "HEAD~1", cwd=root)
    assert result.code == 0, result.text
    svg = (root / "pics" / "preview-test.svg").read_text()
    assert "whole dashboard added" in svg and f"added ({len(TITLES)})" in svg
    (root / "dashboards" / "board.py").unlink()
    gone = run_cli("preview", "--out", "gone", "--base", "HEAD", cwd=root)
    assert gone.code == 0, gone.text
    assert "whole dashboard removed" in (root / "gone" / "preview-test.svg").read_text()


def test_unknown_revision_and_broken_base_are_one_message(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": "from pfm_dash import Stat\nx = Stat(title='')\n"})
    git(root, "init", "-q")
    commit_all(root, "broken")
    (root / "dashboards" / "board.py").write_text(DASHBOARD)
    missing = run_cli("preview", "--base", "nope", cwd=root)
    assert missing.code == 2 and "nope" in missing.err and "Traceback" not in missing.text
    broken = run_cli("preview", "--out", "pics", "--base", "HEAD", cwd=root)
    assert broken.code == 2, broken.text
    assert "HEAD" in broken.err and "board.py" in broken.err and "empty title" in broken.err
    assert "Traceback" not in broken.text
