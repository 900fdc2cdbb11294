"""Writing a preview folder: one SVG per dashboard and the ``index.html`` that shows them."""

from __future__ import annotations

import time
from pathlib import Path

from pfm_dash.model.dashboard import Dashboard
from pfm_dash.preview import data as data_mod
from pfm_dash.preview.changes import DashboardChanges, Mark, compare
from pfm_dash.preview.page import Entry, index_html
from pfm_dash.preview.render import dashboard_svg


def _clock(t: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(t))


def write_previews(
    out: Path,
    dashboards: list[Dashboard],
    base: list[Dashboard] | None = None,
    base_name: str = "",
    prometheus: data_mod.Prometheus | None = None,
    window: data_mod.Window | None = None,
    title: str = "Dashboard preview",
) -> list[Path]:
    """Write the pictures into ``out``; returns the files written, index.html last.

    With ``base`` panels are marked against it; with ``prometheus`` they show its data over
    ``window``, or over each dashboard's default time range ending now.
    """
    out.mkdir(parents=True, exist_ok=True)
    by_uid = {d.uid: d for d in base or []}
    head_uids = {d.uid for d in dashboards}
    plan: list[tuple[Dashboard, DashboardChanges | None, Dashboard | None]] = []
    for dashboard in dashboards:
        old = by_uid.get(dashboard.uid)
        plan.append((dashboard, compare(old, dashboard) if base is not None else None, old))
    for old in base or []:
        if old.uid not in head_uids:
            plan.append((old, compare(old, None), old))
    now = data_mod.now()
    entries: list[Entry] = []
    written: list[Path] = []
    for dashboard, changes, old in sorted(plan, key=lambda p: p[0].uid):
        fill = None
        note = f"against {base_name}" if changes is not None and base_name else ""
        removed = changes is not None and changes.whole is Mark.REMOVED
        if prometheus is not None and not removed:
            span = window or data_mod.default_window(dashboard, now)
            fill = data_mod.DashboardData(prometheus, dashboard, span)
            shown = f" over {_clock(span.start)} to {_clock(span.end)} UTC" if window else ""
            note = ", ".join(filter(None, [note, f"data from {prometheus.base}{shown}"]))
        svg = dashboard_svg(dashboard, fill, changes, note, base=old)
        path = out / f"{dashboard.uid}.svg"
        path.write_text(svg, "utf-8")
        written.append(path)
        status = changes.whole.value if changes is not None and changes.whole else ""
        entries.append(Entry(dashboard.uid, dashboard.title, path.name, svg, status))
    subtitle = f"{len(entries)} dashboard(s)" + (
        f", marked against {base_name}" if base_name else ""
    )
    index = out / "index.html"
    index.write_text(index_html(title, subtitle, entries, marked=base is not None), "utf-8")
    written.append(index)
    return written
