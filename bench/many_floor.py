"""Child of bench/many_bench.py: the floor, N dashboards as ready-made dicts serialised with
orjson and written, one file each.

    .venv/bin/python bench/many_floor.py N OUT SHAPE

No declaring and no compiling: SHAPE (pfm-overview as pfm-dash compiles it) with a new uid and
title each, in the build's byte format (sorted keys, 2-space indent, trailing newline).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson
from many_child import measure


def main() -> None:
    n, out, shape = int(sys.argv[1]), Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())
    out.mkdir(parents=True, exist_ok=True)
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS

    def work() -> None:
        for i in range(n):
            model = shape | {"uid": f"pfm-{i}", "title": f"PFM {i}"}
            (out / f"pfm-{i}.json").write_bytes(orjson.dumps(model, option=option) + b"\n")

    measure(work)


if __name__ == "__main__":
    main()
