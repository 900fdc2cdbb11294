"""The library knows no application: PFM's names live in dashboards/ and alerts/ only.

A name of the bundled application in the package (a metric prefix, a fault, a team, a
domain word) means the library would need editing for another project; this reads every
source file of the package and names each line that has one.
"""

from __future__ import annotations

import re

from conftest import ROOT

# The product is pfm-dash (pfm_dash, PFM_DASH_...); any other "pfm" is the application's.
APPLICATION = re.compile(
    r"pfm_(?!dash)|\bpfm\b(?![-_]dash)|solana|wallet|votes|voting|\bvote\b|communit(?:y|ies)",
    re.IGNORECASE,
)


def test_the_package_names_no_application() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "pfm_dash").rglob("*"))
        if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1)
        if APPLICATION.search(line)
    ]
    assert not found, "application names inside the library:\n" + "\n".join(found)


def test_the_pattern_finds_what_it_must() -> None:
    for line in ('"pfm_votes_total"', "Fault.VOTES_STOPPED", "the PFM backend", "solana-rpc"):
        assert APPLICATION.search(line), line
    for line in ("pfm-dash build", "import pfm_dash", "PFM_DASH_CORPUS", "[tool.pfm-dash]"):
        assert not APPLICATION.search(line), line
