"""index.html in a real browser: Debian's headless Chromium renders it, not blank, every title.

``make test`` installs ``chromium`` when it is missing (the ``tools`` target).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MakeProject, run_cli
from preview_testing import DASHBOARD, TITLES, colours, pixels

from pfm_dash.preview import theme

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make tools)")
# Root in a container has no user namespaces for Chromium's sandbox; the page is our own file.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_index_renders_with_every_panel_title(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project({"dashboards/board.py": DASHBOARD})
    assert run_cli("preview", "--out", "pics", cwd=root).code == 0
    page = (root / "pics" / "index.html").as_uri()
    shot = tmp_path / "shot.png"
    done = chromium(
        f"--screenshot={shot}", "--window-size=1280,1600", "--force-device-scale-factor=0.5", page
    )
    assert shot.is_file(), done.stderr
    width, height, rows = pixels(shot.read_bytes())
    assert (width, height) == (640, 800)
    seen = colours(rows)
    canvas = bytes.fromhex(theme.CANVAS[1:])
    assert len(seen) > 20, "the screenshot has almost no colours: blank page?"
    assert seen.get(canvas, 0) < 0.9 * sum(seen.values()), "mostly background"
    assert any(abs(c[0] - 0x73) < 12 and abs(c[1] - 0xBF) < 12 for c in seen), "no green"
    dom = chromium("--dump-dom", page)
    assert dom.returncode == 0, dom.stderr
    for title in TITLES:
        escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in dom.stdout, title
