"""The proof: every kube-prometheus dashboard goes JSON -> model -> JSON and comes back equal.

Equal as tests/dashboard_roundtrip.py defines it (the normalisations are listed in
docs/import.md). Skipped, with the reason, when the corpus is not on this machine.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_testing import corpus_dir
from dashboard_roundtrip import compare_dashboards

from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.parse import DashboardJsonError, load_dashboard_file, parse_dashboard


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


_ODD_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x", "$ds", [], [1], {}, {"a": 1}]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _paths(item, (*path, key))


def test_damaged_corpus_dashboards_never_crash(dashboards: list[Path]) -> None:
    """Any JSON is parsed or refused with one DashboardJsonError, never a traceback."""
    rng = random.Random(8)
    originals = [json.loads(p.read_text()) for p in dashboards]
    refused = 0
    for _ in range(200):
        data = copy.deepcopy(rng.choice(originals))
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice([p for p in _paths(data) if p])
            holder = data
            for key in parents:
                holder = holder[key]
            if isinstance(holder, dict) and rng.random() < 0.2:
                del holder[last]
            else:
                holder[last] = copy.deepcopy(rng.choice(_ODD_VALUES))
        try:
            parsed = parse_dashboard(data, source="damaged.json")
        except DashboardJsonError:
            refused += 1
            continue
        json.dumps(compile_dashboard(parsed.dashboard).model)
    assert 0 < refused < 100
