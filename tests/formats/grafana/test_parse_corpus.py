"""The proof: every kube-prometheus dashboard goes JSON -> model -> JSON and comes back equal.

Equal as tests/dashboard_roundtrip.py defines it (the normalisations are listed in
docs/import.md). Skipped, with the reason, when the corpus is not on this machine.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from corpus_testing import corpus_dir
from dashboard_roundtrip import compare_dashboards

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import load_dashboard_file


@pytest.fixture(scope="module")
def dashboards() -> list[Path]:
    folder = corpus_dir("kube-prometheus", "dashboards")
    files = sorted(folder.glob("*.json"))
    assert files, f"no dashboards in {folder}"
    return files


def test_every_corpus_dashboard_round_trips_unchanged(dashboards: list[Path]) -> None:
    failures: dict[str, list[str]] = {}
    for path in dashboards:
        parsed = load_dashboard_file(path)  # a crash fails the test: 0 crashes is the bar
        output = compile_dashboard(parsed.dashboard).model
        problems = compare_dashboards(json.loads(path.read_text()), output)
        if problems:
            failures[path.name] = problems[:5]
    assert not failures, json.dumps(failures, indent=2)


def test_corpus_panels_come_back_typed(dashboards: list[Path]) -> None:
    """The round trip is not all ``extra``: panels, queries and variables are typed."""
    kinds: set[str] = set()
    queries = variables = 0
    for path in dashboards:
        board = load_dashboard_file(path).dashboard
        for panel in board.all_panels():
            kinds.add(type(panel).__name__)
            queries += len(panel.queries)
            assert "targets" not in panel.extra, (path.name, panel.title)
        variables += len(board.variables)
    assert {"TimeSeries", "Stat", "Table", "Gauge", "BarGauge", "GenericPanel"} <= kinds
    assert queries > 500
    assert variables >= 100


def test_the_comparison_sees_a_changed_value(dashboards: list[Path]) -> None:
    """The helper can fail: a changed unit, a lost target or an added non-default key shows."""
    path = next(p for p in dashboards if p.name == "k8s-resources-pod.json")
    original = json.loads(path.read_text())
    output = compile_dashboard(load_dashboard_file(path).dashboard).model
    assert compare_dashboards(original, output) == []

    changed = copy.deepcopy(output)
    changed["panels"][0]["fieldConfig"]["defaults"]["unit"] = "bytes"
    changed["panels"][1]["targets"].pop()
    changed["panels"][2]["fieldConfig"]["defaults"].setdefault("custom", {})["fillOpacity"] = 55
    changed["title"] = "Other"
    problems = "\n".join(compare_dashboards(original, changed))
    assert "$.panels[id=1].fieldConfig.defaults.unit" in problems
    assert "$.panels[id=2].targets[" in problems
    assert "fillOpacity" in problems
    assert "$.title: 'Kubernetes / Compute Resources / Pod' became 'Other'" in problems
