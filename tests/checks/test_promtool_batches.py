"""promtool in the background: few calls, split by size between cores, each answer matched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pfm_dash.checks import promtool_batches
from pfm_dash.checks.promtool_batches import SPLIT_BYTES, _batches, _shares, rule_paths, start

GOOD = "groups:\n- name: ok\n  rules:\n  - record: a:b\n    expr: sum(up)\n"
BAD = "groups:\n- name: bad\n  rules:\n  - alert: X\n    expr: sum(up\n"


def test_large_sets_are_dealt_between_cores_by_size(tmp_path: Path) -> None:
    sizes = [SPLIT_BYTES // 2, SPLIT_BYTES // 4, SPLIT_BYTES // 4, 10]
    paths = []
    for n, size in enumerate(sizes):
        path = tmp_path / f"f{n}.yml"
        path.write_text("#" * size)
        paths.append(path)
    shares = _shares(paths, 2)
    assert shares == [[paths[0], paths[3]], [paths[1], paths[2]]]  # largest first, to the least
    assert _shares(paths[3:], 2) == [paths[3:]]  # small: one call, no split
    assert _shares(paths, 1) == [paths]


def test_batches_keep_within_the_argument_limit() -> None:
    paths = [Path("x" * 999) for _ in range(250)]
    batches = list(_batches(paths))
    assert [len(b) for b in batches] == [100, 100, 50]
    assert sum(len(str(p)) + 1 for p in batches[0]) <= promtool_batches.BATCH_BYTES


def test_no_promtool_asked_none_started(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(GOOD)
    assert start(rule_paths([tmp_path]), False) is None
    assert start([], None) is None


def test_the_verdicts_name_each_file(tmp_path: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not on PATH (make test installs it)")
    (tmp_path / "good.yml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text(BAD)
    (tmp_path / "notes.txt").write_text("not a rule file")
    paths = rule_paths([tmp_path])
    assert [p.name for p in paths] == ["bad.yaml", "good.yml"]
    background = start(paths, None)
    assert background is not None
    verdicts = background.join()
    assert str(tmp_path / "good.yml") not in verdicts  # promtool says nothing on stderr
    bad = verdicts[str(tmp_path / "bad.yaml")]
    assert bad.checked and list(bad.rule_errors) == [("bad", 1)]
    assert "could not parse expression" in bad.rule_errors[("bad", 1)][0]
