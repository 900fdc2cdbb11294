"""The compiler's byte stream: parallel compilation gives the same files, in the same order,
a chunk of declarations at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from dashboards.pfm_overview import overview
from pfm_dash import compiler
from pfm_dash.compiler import PARALLEL_FROM, dashboard_files
from pfm_dash.model import Dashboard


def test_parallel_compile_is_byte_identical_and_ordered() -> None:
    boards = [replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(PARALLEL_FROM)]
    sequential = list(dashboard_files(boards, jobs=1))
    parallel = list(dashboard_files(iter(boards), jobs=2))
    assert [path for path, _ in parallel] == [f"grafana/dashboards/pfm-{i}.json" for i in range(64)]
    assert parallel == sequential


def test_a_stream_is_compiled_a_chunk_at_a_time_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked per chunk, so no process holds the whole stream; the files still
    come out in order, the same as compiled one by one."""
    monkeypatch.setattr(compiler, "CHUNK", PARALLEL_FROM + 6)
    taken: list[int] = []

    def stream() -> Iterator[Dashboard]:
        for i in range(2 * PARALLEL_FROM + 20):  # three chunks, the last a short one
            taken.append(i)
            yield replace(overview, uid=f"pfm-{i}", title=f"PFM {i}")

    files = dashboard_files(stream(), jobs=2)
    first = next(files)
    assert len(taken) == compiler.CHUNK  # one chunk read, not the whole stream
    rest = list(files)
    boards = [replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(len(taken))]
    assert [first, *rest] == list(dashboard_files(boards, jobs=1))


def test_a_worker_error_is_raised_where_its_file_was_due(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dashboard that fails to compile in a worker stops the stream at its place, with the
    worker's own error; a stream closed early leaves no worker behind."""
    from pfm_dash.errors import DeclarationError

    compile_one = compiler._dashboard_file

    def failing(board: Dashboard) -> tuple[str, bytes]:
        if board.uid == "pfm-70":
            raise DeclarationError("cannot compile", hint="mend it")
        return compile_one(board)

    monkeypatch.setattr(compiler, "_dashboard_file", failing)
    boards = [replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(100)]
    got: list[str] = []
    with pytest.raises(DeclarationError, match="cannot compile"):
        got.extend(path for path, _ in dashboard_files(boards, jobs=2))
    assert got == [f"grafana/dashboards/pfm-{i}.json" for i in range(70)]
    files = dashboard_files(boards, jobs=2)
    next(files)
    files.close()  # waits for both workers: none is left running


def test_workers_stage_files_as_sync_tree_would(tmp_path: Path) -> None:
    """With an output folder, workers compare and stage their own files: the folder ends up
    the same as when the parent writes every file, and only what changed is reported."""
    from pfm_dash.output import STAGED, sync_tree

    boards = [replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(PARALLEL_FROM)]
    expected = dict(dashboard_files(boards, jobs=1))
    out = tmp_path / "build"
    first = sync_tree(out, dashboard_files(boards, jobs=2, stage_in=out), check=False)
    assert [(c.path, c.kind) for c in first] == [(path, "missing") for path in expected]
    written = {f"grafana/dashboards/{p.name}": p.read_bytes() for p in out.rglob("*.json")}
    assert written == expected and not list(out.rglob(f"*{STAGED}"))
    boards[5] = replace(boards[5], title="PFM five")
    again = sync_tree(out, dashboard_files(boards, jobs=2, stage_in=out), check=False)
    assert [(c.path, c.kind) for c in again] == [("grafana/dashboards/pfm-5.json", "stale")]
    assert b"PFM five" in (out / "grafana/dashboards/pfm-5.json").read_bytes()
