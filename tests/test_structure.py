"""The package's shape: formats take declarations and settings, never the loader."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pfm_dash"


def test_formats_and_the_model_never_import_the_project_loader() -> None:
    # project.py imports validate.py, which uses the formats: a format that reached back for
    # Project would close an import loop (and couple emitters to how sources are loaded).
    offenders = [
        str(path.relative_to(PACKAGE))
        for folder in ("formats", "model")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        if "pfm_dash.project" in path.read_text("utf-8")
    ]
    assert offenders == []
