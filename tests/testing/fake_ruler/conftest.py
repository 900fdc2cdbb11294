"""Every test here runs against its own fake ruler on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pfm_dash.testing.fake_ruler import FakeRuler


@pytest.fixture
def ruler() -> Iterator[FakeRuler]:
    with FakeRuler() as fake:
        yield fake
