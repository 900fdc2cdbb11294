"""A build that fails writes nothing, and one that was killed or raced is mended by the next
(issue 13, items 11 and 12). Real processes, a real file-size limit, real locks."""

from __future__ import annotations

import fcntl
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, MakeProject, Result, run_cli

from pfm_dash.output import LOCK_FILE, STAGED

BOARD = "build/grafana/dashboards/board.json"
LIMIT = 8192  # bytes: RLIMIT_FSIZE, a disk that is full after 8 KiB per file


def big_board(panels: int, title: str = "Up") -> str:
    """A dashboard module whose JSON is well over :data:`LIMIT` bytes."""
    return f"""
from pfm_dash import Dashboard, Query, TimeSeries, Unit

board = Dashboard(
    uid="board",
    title="Board",
    panels=[
        TimeSeries(title=f"{title} {{i}}", queries=[Query(expr="up")], unit=Unit.NONE)
        for i in range({panels})
    ],
)
"""


def cli_process(*args: str, cwd: Path, fsize: int | None = None) -> subprocess.Popen[str]:
    def limit() -> None:
        if fsize is not None:
            # Python ignores SIGXFSZ, so an over-long write fails with EFBIG, as on a full disk.
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.Popen(
        [sys.executable, "-m", "pfm_dash", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,
    )


def limited_build(root: Path) -> Result:
    proc = cli_process("build", "--no-cache", cwd=root, fsize=LIMIT)
    out, err = proc.communicate(timeout=120)
    return Result(proc.returncode, out, err)


def tree(root: Path) -> dict[str, bytes]:
    build = root / "build"
    return {
        p.relative_to(build).as_posix(): p.read_bytes() for p in build.rglob("*") if p.is_file()
    }


def staged(root: Path) -> list[Path]:
    return sorted((root / "build").rglob(f"*{STAGED}"))


def test_a_full_disk_leaves_no_cut_off_file_and_no_traceback(make_project: MakeProject) -> None:
    """Item 11: the new file was left cut off at 8,192 bytes, with a traceback."""
    root = make_project({"dashboards/board.py": big_board(40)})
    result = limited_build(root)
    assert result.code == 1, result.text
    assert "Traceback" not in result.text
    (line,) = result.err.strip().splitlines()
    assert f"cannot write {BOARD}: File too large" in line and "(nothing was changed)" in line
    assert not (root / "build").exists() or tree(root) == {}  # not one file, not one folder
    assert run_cli("build", "--no-cache", cwd=root).code == 0
    assert len((root / BOARD).read_bytes()) > LIMIT


def test_a_full_disk_keeps_every_previous_file(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": big_board(3)})
    assert run_cli("build", "--no-cache", cwd=root).code == 0
    before = tree(root)
    (root / "dashboards/board.py").write_text(big_board(40, title="Down"))
    result = limited_build(root)
    assert result.code == 1 and "Traceback" not in result.text, result.text
    assert tree(root) == before and staged(root) == []


def test_an_unwritable_build_folder_is_one_message(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": big_board(1)})
    (root / "build/grafana").mkdir(parents=True)
    (root / "build/grafana/dashboards").write_text("a file where a folder must go\n")
    result = run_cli("build", "--no-cache", cwd=root)
    assert result.code == 1 and "Traceback" not in result.text, result.text
    (line,) = result.err.strip().splitlines()
    assert "cannot write build/grafana/dashboards" in line and "(nothing was changed)" in line
    assert staged(root) == [] and not (root / "build/grafana/provisioning").exists()


def test_stale_staged_files_from_a_killed_build_are_cleaned(make_project: MakeProject) -> None:
    """Item 12: left-over staged files made the next build fail with FileNotFoundError."""
    root = make_project({"dashboards/board.py": big_board(1)})
    assert run_cli("build", "--no-cache", cwd=root).code == 0
    (root / "dashboards/board.py").write_text(big_board(2))
    (root / (BOARD + STAGED)).write_text('{"cut off')
    (root / ("build/grafana/dashboards/gone.json" + STAGED)).write_text("{")
    result = run_cli("build", "--no-cache", cwd=root)
    assert result.code == 0 and "Traceback" not in result.text, result.text
    assert staged(root) == []
    assert "Up 1" in (root / BOARD).read_text()
    assert STAGED not in result.out


def test_a_build_killed_at_any_moment_is_mended_by_the_next(make_project: MakeProject) -> None:
    root = make_project(
        {f"dashboards/b{i}.py": big_board(3).replace('"board"', f'"b{i}"') for i in range(8)}
    )
    for delay in (0.3, 0.6, 0.9):
        (root / "dashboards/b0.py").write_text(
            big_board(3, title=f"t{delay}").replace('"board"', '"b0"')
        )
        proc = cli_process("build", "--no-cache", cwd=root)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        result = run_cli("build", "--no-cache", cwd=root)
        assert result.code == 0 and "Traceback" not in result.text, result.text
        assert staged(root) == []
        assert run_cli("build", "--check", "--no-cache", cwd=root).code == 0


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_second_build_waits_for_the_first(make_project: MakeProject) -> None:
    """Item 12: two builds at once crashed the loser; now the second waits, then builds."""
    root = make_project({"dashboards/board.py": big_board(2)})
    (root / LOCK_FILE).parent.mkdir()
    with (root / LOCK_FILE).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a build in progress
        proc = cli_process("build", "--no-cache", cwd=root)
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the waiting message (bounded below)
        assert "another pfm-dash build" in line and "waiting" in line
        time.sleep(0.3)
        assert proc.poll() is None and not (root / BOARD).exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert (root / BOARD).exists() and staged(root) == []


def test_concurrent_builds_both_succeed(make_project: MakeProject) -> None:
    root = make_project({"dashboards/board.py": big_board(2)})
    procs = [cli_process("build", "--no-cache", cwd=root) for _ in range(3)]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert [code for _, code in results] == [0, 0, 0], results
    assert staged(root) == []
    assert run_cli("build", "--check", "--no-cache", cwd=root).code == 0


def test_sync_tree_reports_changes_in_order_and_keeps_them_compact(tmp_path: Path) -> None:
    """New and changed files in stream order, then removals sorted; the report reads like a
    list of Change while only a name and a byte per file are stored."""
    from pfm_dash.output import Change, sync_tree

    out = tmp_path / "build"
    (out / "grafana/dashboards").mkdir(parents=True)
    (out / "grafana/dashboards/old.json").write_bytes(b"{}\n")
    (out / "grafana/dashboards/same.json").write_bytes(b"{}\n")
    (out / "grafana/dashboards/edit.json").write_bytes(b"{}\n")
    stream = [
        ("grafana/dashboards/new.json", b"[]\n"),
        ("grafana/dashboards/same.json", b"{}\n"),
        ("grafana/dashboards/edit.json", b"[1]\n"),
    ]
    changes = sync_tree(out, iter(stream), check=False)
    expected = [
        Change("grafana/dashboards/new.json", "missing"),
        Change("grafana/dashboards/edit.json", "stale"),
        Change("grafana/dashboards/old.json", "extra"),
    ]
    assert list(changes) == expected and changes == expected and len(changes) == 3
    assert changes[1] == expected[1] and changes[:2] == expected[:2]
    assert sorted(p.name for p in (out / "grafana/dashboards").iterdir()) == [
        "edit.json",
        "new.json",
        "same.json",
    ]
    assert (out / "grafana/dashboards/edit.json").read_bytes() == b"[1]\n"
    assert not sync_tree(out, iter(stream), check=True)
