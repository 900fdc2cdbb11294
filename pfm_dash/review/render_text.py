"""The review for a terminal: one line per change, coloured when stdout is a terminal."""

from __future__ import annotations

import click

from pfm_dash.review.changes import Change, Review, Section
from pfm_dash.review.show import counts_line, nothing_line, one_line, show, what

_COLOURS = {"added": "green", "removed": "red", "renamed": "cyan", "moved": "cyan"}


def _style(text: str, colour: bool, **kwargs: object) -> str:
    return click.style(text, **kwargs) if colour else text  # type: ignore[arg-type]


def _words(change: Change, colour: bool) -> str:
    """``[-old-]{+new+}`` like git's plain word diff; red and green on a terminal."""
    out = []
    for op, words in change.words:
        text = one_line(words)
        if op == "-":
            out.append(
                _style(text, colour, fg="red", strikethrough=True) if colour else f"[-{text}-]"
            )
        elif op == "+":
            out.append(click.style(text, fg="green", bold=True) if colour else f"{{+{text}+}}")
        else:
            out.append(text)
    return "".join(out)


def change_line(change: Change, colour: bool) -> str:
    head = _style(f"{change.op:8}", colour, fg=_COLOURS.get(change.op, "yellow"))
    body = what(change)
    if change.note and change.field == "receivers":
        detail = change.note  # the lists of receivers say it less clearly than the sentence
    elif change.op == "added":
        detail = show(change.after) if change.field not in ("",) else ""
    elif change.op == "removed":
        detail = show(change.before)
    elif change.words:
        detail = _words(change, colour)
    else:
        detail = f"{show(change.before)} -> {show(change.after)}"
    if change.note and change.field != "receivers":
        detail = f"{detail} ({change.note})"
    return f"    {head}{body}: {detail}" if detail else f"    {head}{body}"


def section_lines(section: Section, colour: bool) -> list[str]:
    status = _style(section.status, colour, fg=_COLOURS.get(section.status, "yellow"), bold=True)
    title = f" {section.title!r}" if section.title != section.key else ""
    head = _style(f"{section.kind} {section.key}", colour, bold=True)
    lines = [f"{head}{title}: {status}" + (f" ({section.note})" if section.note else "")]
    lines.extend(change_line(c, colour) for c in section.changes)
    return lines


def render_text(review: Review, colour: bool = False) -> str:
    if not review.changed:
        return nothing_line(review)
    lines = [f"Changes from {review.base_label} to {review.target}:", ""]
    for section in review.sections:
        lines.extend(section_lines(section, colour))
        lines.append("")
    lines.append(counts_line(review) + ".")
    return "\n".join(lines)
