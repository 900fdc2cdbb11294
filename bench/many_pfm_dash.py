"""Child of bench/many_bench.py: N copies of pfm-overview compiled and written by pfm-dash.

    .venv/bin/python bench/many_pfm_dash.py N OUT SHAPE [direct]

The declarations in dashboards/pfm_overview.py, with a new uid and title each, through the
build's own streaming path (``dashboard_files`` into ``sync_tree``, the workers staging
the files). SHAPE is unused: the
shape is the declaration itself. With ``direct``, each file is written as it comes instead of
through ``sync_tree``, which keeps a record per file: the compiler's stream alone.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from many_child import measure

from dashboards.pfm_overview import overview
from pfm_dash.compiler import dashboard_files
from pfm_dash.formats.grafana import compile_dashboard  # noqa: F401  (imported before timing)
from pfm_dash.output import sync_tree


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])

    direct = sys.argv[4:] == ["direct"]

    def work() -> None:
        boards = (replace(overview, uid=f"pfm-{i}", title=f"PFM {i}") for i in range(n))
        if not direct:  # as `pfm-dash build` does: the workers stage the files
            sync_tree(out, dashboard_files(boards, stage_in=out), check=False)
            return
        for rel, data in dashboard_files(boards):
            assert isinstance(data, bytes)
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    measure(work)


if __name__ == "__main__":
    main()
