"""The proof over real dashboards: JSON -> Python -> ``pfm-dash build`` -> the same JSON.

Every kube-prometheus dashboard of the corpus is imported by the CLI into a fresh project
(``pfm-dash init``), built, and compared with its original by the parser's comparison
(tests/dashboard_roundtrip.py: every key and value of the original is in the output, panels
by id, targets by refId; docs/import.md lists the normalisations). The generated modules
pass the project's ruff and mypy --strict.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from corpus_testing import corpus_dir

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

parse = pytest.importorskip("pfm_dash.formats.grafana.parse", reason="no Grafana JSON parser")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus dashboards imported into a new project and built: (project, corpus)."""
    corpus = corpus_dir("kube-prometheus", "dashboards")
    root = tmp_path_factory.mktemp("corpus") / "mon"
    assert run_cli("init", str(root), cwd=root.parent).code == 0
    result = run_cli("import", str(corpus), cwd=root)
    assert result.code == 0, result.text
    built = run_cli("build", cwd=root)
    assert built.code == 0, built.text
    return root, corpus


def test_every_corpus_dashboard_comes_back_equal(imported: tuple[Path, Path]) -> None:
    from dashboard_roundtrip import compare_dashboards

    root, corpus = imported
    files = sorted(corpus.glob("*.json"))
    assert len(files) >= 30
    problems: dict[str, list[str]] = {}
    for path in files:
        original = json.loads(path.read_text("utf-8"))
        parsed = parse.parse_dashboard(original, source=str(path))
        board = parsed.dashboard
        out = root / "build/grafana/dashboards" / f"{board.uid}.json"
        found = compare_dashboards(
            original,
            json.loads(out.read_text("utf-8")),
            datasource_variable=board.datasource_variable,
        )
        if found:
            problems[path.name] = found[:5]
    assert problems == {}


def test_imported_modules_pass_ruff_and_mypy_strict(imported: tuple[Path, Path]) -> None:
    root, _ = imported
    config = str(ROOT / "pyproject.toml")
    for command in (
        [str(BIN / "ruff"), "check", "--no-cache", "--config", config, "dashboards"],
        [str(BIN / "ruff"), "format", "--check", "--no-cache", "--config", config, "dashboards"],
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "dashboards"],
    ):
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def test_modules_are_written_as_a_person_would(imported: tuple[Path, Path]) -> None:
    root, corpus = imported
    modules = sorted((root / "dashboards").glob("*.py"))
    assert len(modules) == len(list(corpus.glob("*.json"))) + 2  # __init__, catalog
    text = "\n".join(m.read_text("utf-8") for m in modules)
    assert "Query(" in text and "unit=Unit." in text
    assert '"type": "timeseries"' not in text  # panel kinds are classes, not raw JSON
    # Flow layout where the grid allows it: most panels carry width=, not pos=.
    assert text.count("width=") > text.count("pos=GridPos(")
