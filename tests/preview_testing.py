"""Shared by the preview tests: a dashboard with every panel kind and rows, and just enough
PNG decoding (zlib, no Pillow) to tell a blank screenshot from a drawn one."""

from __future__ import annotations

import struct
import zlib

DASHBOARD = """
from pfm_dash import (
    AlertList, BarGauge, Color, Dashboard, Gauge, Row, Stat, StateTimeline, Step, Table,
    Thresholds, TimeSeries, Unit, Query, QueryVariable, ValueMap,
)
from pfm_dash.model.dashboard import TimeRange

RED_AT_1 = Thresholds(steps=[Step(color=Color.GREEN), Step(color=Color.RED, value=1)])
TRAFFIC = Thresholds(
    steps=[Step(color=Color.GREEN), Step(color=Color.YELLOW, value=0.7),
           Step(color=Color.RED, value=0.9)]
)
up = Stat(
    title='Targets <up> & "ready"',
    queries=[Query(expr='up{job=~"$job"}', legend="{{job}}")],
    mappings=[ValueMap(value=1, text="UP", color=Color.GREEN)],
    width=6,
)
requests_ = TimeSeries(
    title="HTTP requests",
    queries=[
        Query(expr="sum by (code) (rate(prometheus_http_requests_total[$__rate_interval]))",
              legend="{{code}}")
    ],
    unit=Unit.REQUESTS_PER_SECOND, thresholds=RED_AT_1, width=18,
)
memory = Gauge(
    title="Heap used",
    queries=[Query(expr="go_memstats_heap_inuse_bytes / go_memstats_heap_sys_bytes")],
    unit=Unit.PERCENT_UNIT, min=0, max=1, thresholds=TRAFFIC, width=6,
)
goroutines = BarGauge(title="Goroutines", queries=[Query(expr="go_goroutines")], width=6)
scrapes = Table(
    title="Scrape samples", queries=[Query(expr="scrape_samples_scraped", instant=True)], width=6
)
health = StateTimeline(
    title="Up over time", queries=[Query(expr="up")], thresholds=RED_AT_1, width=6
)
alerts = AlertList(title="Firing now", width=6)
hidden = TimeSeries(title="Inside a collapsed row", queries=[Query(expr="up")], width=12)
board = Dashboard(
    uid="preview-test",
    title="Preview test",
    time=TimeRange(start="now-5m"),
    variables=[
        QueryVariable(name="job", query="label_values(up, job)", include_all=True, all_value=".*")
    ],
    panels=[up, requests_, memory, goroutines, scrapes, health,
            Row(title="Open row", panels=[alerts]),
            Row(title="Closed row", panels=[hidden], collapsed=True)],
)
"""
TITLES = [
    'Targets <up> & "ready"',
    "HTTP requests",
    "Heap used",
    "Goroutines",
    "Scrape samples",
    "Up over time",
    "Firing now",
    "Inside a collapsed row",
]


def pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB or RGBA non-interlaced PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(
            bytes(line[j] for j in range(stride) if j % bpp < 3) if bpp == 4 else bytes(line)
        )
        previous = line
    return width, height, rows


def colours(rows: list[bytes], step: int = 4) -> dict[bytes, int]:
    """How often each RGB colour occurs, sampling every ``step``-th pixel of every 4th row."""
    counts: dict[bytes, int] = {}
    for row in rows[::4]:
        for x in range(0, len(row) - 2, 3 * step):
            key = row[x : x + 3]
            counts[key] = counts.get(key, 0) + 1
    return counts
