"""The no-op build cache's key: what changes it, and what it reads of pfm-dash itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pfm_dash import cache


def key(root: Path) -> bytes:
    cache._last_inputs = None  # each call computes afresh, as a new process would
    return cache._inputs_digest(root, root / "build", ("dashboards",))


def test_the_library_source_counts_by_size_and_time_the_project_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    module = library / "mod.py"
    module.write_text("A = 1\n")
    monkeypatch.setattr(cache, "_PACKAGE", library)
    project = tmp_path / "project"
    (project / "dashboards").mkdir(parents=True)
    source = project / "dashboards" / "d.py"
    source.write_text("B = 1\n")
    first = key(project)
    assert key(project) == first

    stat = module.stat()
    module.write_text("A = 2\n")  # same size: an edit keeping the time goes unnoticed...
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert key(project) == first
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # ...a new time does not
    second = key(project)
    assert second != first

    stat = source.stat()
    source.write_text("B = 2\n")  # the project's own files: by content, whatever the time
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert key(project) != second
