"""The shared corpus (real dashboards and rule files nobody here wrote), or a skip saying why.

CI sets ``PFM_DASH_CORPUS`` to ``../shared/corpus``; a clone on its own has no corpus, and its
``make test`` must still pass, with these tests skipped and the reason printed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def corpus_dir(*parts: str) -> Path:
    """``$PFM_DASH_CORPUS/parts...``; skips the calling test when it is not there."""
    root = os.environ.get("PFM_DASH_CORPUS")
    if not root:
        pytest.skip("PFM_DASH_CORPUS is not set (.ci/run sets it to ../shared/corpus)")
    path = Path(root, *parts)
    if not path.exists():
        pytest.skip(f"the corpus is not here ({path} does not exist); CI provides it")
    return path
