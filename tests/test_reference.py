"""docs/reference.md is what the model says today (make reference regenerates it)."""

from __future__ import annotations

from pathlib import Path

from pfm_dash.reference import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


def test_the_committed_reference_is_fresh() -> None:
    assert DOC.read_text("utf-8") == render(), "docs/reference.md is stale: run make reference"


def test_every_declaration_and_vocabulary_is_described() -> None:
    import pfm_dash.model as model

    text = render()
    for name in model.__all__:
        assert f"`{name}`" in text, name
    assert "| `unit` | Unit \\| CustomUnit \\| None | `None` |" in text
    assert "`SECONDS` ('s')" in text
