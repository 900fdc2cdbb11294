"""The shipped Alertmanager configuration, as ``amtool check-config`` judges it.

verify swaps every receiver for its recorder, so a file that Alertmanager would refuse (a
webhook URL that does not parse, a template error) could pass verify and still fail to
deploy. This check runs on the file build writes, byte for byte, and is shared by ``check``
and ``verify``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pfm_dash.checks import Finding, finding
from pfm_dash.errors import Location, ToolError
from pfm_dash.tools import run_tool

if TYPE_CHECKING:
    from pfm_dash.project import Project

AMTOOL_TIMEOUT = 30.0


def alertmanager_findings(project: Project) -> list[Finding]:
    """amtool's verdict on the compiled alertmanager.yml; nothing without teams or amtool."""
    exe = shutil.which("amtool")
    if exe is None or not project.teams:
        return []
    from pfm_dash.buildpaths import ALERTMANAGER_CONFIG
    from pfm_dash.formats.alertmanager import alertmanager_yml, settings_from

    where = Location(str(project.config.out_dir / ALERTMANAGER_CONFIG), 0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "alertmanager.yml"
        path.write_text(alertmanager_yml(project.teams, settings_from(project.config)), "utf-8")
        try:
            done = run_tool([exe, "check-config", str(path)], timeout=AMTOOL_TIMEOUT)
        except ToolError as exc:
            return [finding("tool-failed", where, "amtool", str(exc))]
    if done.returncode == 0:
        return []
    # amtool says "Checking '<file>'  FAILED: <reason>", then a generic "failed to validate".
    said = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    failed = [line.split("FAILED:", 1)[1].strip() for line in said if "FAILED:" in line]
    reason = failed[0] if failed else (said[-1] if said else "")
    return [
        finding(
            "alertmanager-config",
            where,
            "alertmanager.yml",
            f"amtool check-config refuses the file build writes: {reason or 'no reason given'}",
        )
    ]
