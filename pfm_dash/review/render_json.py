"""The review as JSON, in the stable schema documented in docs/review.md."""

from __future__ import annotations

import json

from pfm_dash.review.changes import Review


def render_json(review: Review) -> str:
    return json.dumps(review.to_json(), indent=2, sort_keys=False, default=str)
