"""Rendering findings: ``path:line:col:`` text, GitHub workflow annotations, JSON for tools.

The text form is the one editors, CI logs and grep understand (as compilers and ruff print):
``path:line:col: severity [rule] object: message``, then the excerpt with its caret and the fix.
"""

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


def where(f: Finding) -> str:
    """``path:line:col`` (``path:line`` when the column is unknown)."""
    place = f"{display_path(f.location.file)}:{f.location.line}"
    return place if f.column is None else f"{place}:{f.column}"


def text(findings: Sequence[Finding], extra: str = "") -> str:
    lines: list[str] = []
    for f in findings:
        if f.suppressed is not None:
            lines.append(
                f"{where(f)}: suppressed [{f.rule}] {f.object}: {f.message}"
                f" (ignored: {f.suppressed})"
            )
            continue
        lines.append(f"{where(f)}: {f.level.value} [{f.rule}] {f.object}: {f.message}")
        if f.excerpt:
            lines.extend(line for line in f.excerpt.splitlines())
        lines.append(f"    fix: {f.how_to_fix}")
    c = counts(findings)
    if lines:
        lines.append("")
    lines.append(
        f"{c['errors']} error(s), {c['warnings']} warning(s), {c['suppressed']} suppressed"
        + (f"; {extra}" if extra else "")
    )
    return "\n".join(lines)


def _data(value: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit: %, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    """Escape a workflow command's property value (also : and ,)."""
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    """One ``::error``/``::warning`` workflow command per active finding, for GitHub Actions.

    GitHub shows each on the file's line in the pull request's diff.
    """
    lines: list[str] = []
    for f in findings:
        if f.suppressed is not None:
            continue
        props = [f"file={_property(display_path(f.location.file))}"]
        if f.location.line > 0:
            props.append(f"line={f.location.line}")
            if f.column is not None:
                props.append(f"col={f.column}")
        props.append(f"title={_property(f'[{f.rule}] {f.object}')}")
        message = f"{f.message}\nfix: {f.how_to_fix}"
        lines.append(f"::{f.level.value} {','.join(props)}::{_data(message)}")
    c = counts(findings)
    lines.append(
        f"{c['errors']} error(s), {c['warnings']} warning(s), {c['suppressed']} suppressed"
    )
    return "\n".join(lines)


def as_json(findings: Sequence[Finding], **summary: object) -> str:
    return json.dumps(
        {"findings": [f.json() for f in findings], "summary": {**counts(findings), **summary}},
        indent=2,
    )


def render(fmt: str, findings: Sequence[Finding], extra: str = "", **summary: object) -> str:
    """The report in ``fmt`` (text, github or json)."""
    if fmt == "json":
        return as_json(findings, **summary)
    if fmt == "github":
        return github(findings)
    return text(findings, extra)
