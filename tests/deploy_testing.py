"""What tests/deploy share: a running server's URL and the folder it loads from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Running:
    url: str
    folder: Path
