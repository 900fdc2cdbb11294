"""The declared alert tests, run by ``promtool test rules`` as ``make test`` would run them.

A failing ``AlertTest`` used to be caught only by the project's own test suite; ``check``
(the CI gate and the pre-commit hook) runs them too, whenever promtool is on PATH, on the
files the build writes (compiled in memory, so a stale build/ does not hide a failure).
Each failure is reported at the ``AlertTest`` declaration with promtool's expected and got.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pfm_dash.checks import Finding, finding
from pfm_dash.checks.promql import TOOL_TIMEOUT
from pfm_dash.errors import Location, ToolError
from pfm_dash.tools import run_tool

if TYPE_CHECKING:
    from pfm_dash.project import Project

# promtool's report of one failed case: "name: <rule>: <test>," then its lines until the next.
_CASE = re.compile(r"^\s*name: (?P<name>.*),\s*$")


def alert_test_findings(project: Project) -> list[Finding]:
    """One finding per failing test case; nothing without promtool or without tests."""
    exe = shutil.which("promtool")
    cases = {
        f"{rule.name}: {test.name}": (rule.name, test)
        for rule in project.alerts
        for test in rule.tests
    }
    if exe is None or not cases:
        return []
    from pfm_dash.buildpaths import TESTS_DIR
    from pfm_dash.formats.prometheus import rule_files

    grafana_url = project.config.settings.grafana.url
    with tempfile.TemporaryDirectory() as tmp:
        tests = []
        for rel, text in rule_files(project.groups, grafana_url).items():
            path = Path(tmp, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            if rel.startswith(TESTS_DIR):
                tests.append(str(path))
        try:
            done = run_tool([exe, "test", "rules", *tests], timeout=TOOL_TIMEOUT)
        except ToolError as exc:
            return [finding("tool-failed", Location("<promtool>", 0), "promtool", str(exc))]
    if done.returncode == 0:
        return []
    failures = _failed_cases(done.stdout + done.stderr)
    out = [
        finding(
            "alert-test-failed",
            test.location,
            f"alert {alert}",
            f"test {test.name!r} fails under promtool test rules:\n{detail}",
        )
        for name, detail in failures.items()
        if name in cases
        for alert, test in [cases[name]]
    ]
    if not out:  # promtool failed but named no case of ours: never a silent pass
        said = (done.stdout + done.stderr).strip().splitlines()
        out.append(
            finding(
                "tool-failed",
                Location("<promtool>", 0),
                "promtool",
                f"promtool test rules exited {done.returncode}: {said[-1] if said else ''}",
            )
        )
    return out


def _failed_cases(output: str) -> dict[str, str]:
    """Test case name -> the lines promtool printed about it (expected and got)."""
    cases: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        match = _CASE.match(line)
        if match:
            current = cases.setdefault(match["name"], [])
        elif current is not None and line.strip():
            current.append(line.rstrip())
    return {name: "\n".join(lines) for name, lines in cases.items()}
