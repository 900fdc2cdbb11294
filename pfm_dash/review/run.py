"""``pfm-dash diff`` behind its flags: load both sides, compare, render, pick the exit code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pfm_dash.config import load_config
from pfm_dash.project import load_project
from pfm_dash.review.changes import Review
from pfm_dash.review.compare import compare_projects
from pfm_dash.review.revision import default_base, load_at

FORMATS = ("text", "markdown", "json")


def review_against(root: Path, base: str | None) -> Review:
    """The working tree at ``root`` against git revision ``base`` (default: see default_base)."""
    config = load_config(root)
    after = load_project(config)
    rev = base or default_base(config.root)
    with load_at(config.root, rev) as at:
        return compare_projects(
            at.project, after, base=rev, base_commit=at.commit, target="the working tree"
        )


def review_grafana(root: Path, flags: Mapping[str, Any], env: Mapping[str, str]) -> Review:
    from pfm_dash.review.grafana import grafana_review

    config = load_config(root)
    return grafana_review(config, load_project(config), flags, env)


def render(review: Review, fmt: str, colour: bool) -> str:
    if fmt == "json":
        from pfm_dash.review.render_json import render_json

        return render_json(review)
    if fmt == "markdown":
        from pfm_dash.review.render_markdown import render_markdown

        return render_markdown(review)
    from pfm_dash.review.render_text import render_text

    return render_text(review, colour)


def execute(
    base: str | None,
    flags: Mapping[str, Any],
    *,
    root: Path | None = None,
    env: Mapping[str, str] | None = None,
    colour: bool = False,
) -> tuple[str, int]:
    """The rendered review and the exit code (1 only with ``exit_code`` and a change)."""
    root = root or Path.cwd()
    if flags.get("grafana_url"):
        review = review_grafana(root, flags, os.environ if env is None else env)
    else:
        review = review_against(root, base)
    code = 1 if flags.get("exit_code") and review.changed else 0
    return render(review, str(flags.get("format") or "text"), colour), code
