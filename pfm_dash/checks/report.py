"""Rendering findings: text grouped by file for people, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pfm_dash.checks import Finding, Level
from pfm_dash.errors import display_path


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    active = [f for f in findings if f.suppressed is None]
    return {
        "errors": sum(f.level is Level.ERROR for f in active),
        "warnings": sum(f.level is Level.WARNING for f in active),
        "suppressed": len(findings) - len(active),
    }


def text(findings: Sequence[Finding], extra: str = "") -> str:
    lines: list[str] = []
    current = None
    for f in findings:
        path = display_path(f.location.file)
        if path != current:
            if current is not None:
                lines.append("")
            lines.append(path)
            current = path
        if f.suppressed is not None:
            lines.append(
                f"  {f.location.line}: suppressed {f.rule} on {f.object}: {f.message}"
                f" (ignored: {f.suppressed})"
            )
            continue
        lines.append(f"  {f.location.line}: {f.level.value} [{f.rule}] {f.object}: {f.message}")
        if f.excerpt:
            lines.extend("    " + line for line in f.excerpt.splitlines())
        lines.append(f"      fix: {f.how_to_fix}")
    c = counts(findings)
    if lines:
        lines.append("")
    lines.append(
        f"{c['errors']} error(s), {c['warnings']} warning(s), {c['suppressed']} suppressed"
        + (f"; {extra}" if extra else "")
    )
    return "\n".join(lines)


def as_json(findings: Sequence[Finding], **summary: object) -> str:
    return json.dumps(
        {"findings": [f.json() for f in findings], "summary": {**counts(findings), **summary}},
        indent=2,
    )
