"""The review as a pull-request comment: a summary table, then a collapsible part per section."""

from __future__ import annotations

from pfm_dash.review.changes import Change, Review, Section
from pfm_dash.review.show import counts_line, nothing_line, one_line, show, what

HEADING = "### pfm-dash diff"


def _code(text: str) -> str:
    """Inline code that survives backticks and pipes inside it (table cells)."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _words(change: Change) -> str:
    out = []
    for op, words in change.words:
        text = one_line(words)
        if op == "-":
            out.append(f"~~{_code(text)}~~")
        elif op == "+":
            out.append(f"**{_code(text)}**")
        elif text.strip():
            out.append(_code(text))
    return " ".join(out)


def change_item(change: Change) -> str:
    body = f"**{change.op}** {_esc(what(change))}"
    if change.note and change.field == "receivers":
        return f"- {body}: {_esc(change.note)}"
    if change.op == "added":
        detail = _code(show(change.after))
    elif change.op == "removed":
        detail = _code(show(change.before))
    elif change.words:
        detail = _words(change)
    else:
        detail = f"{_code(show(change.before))} → {_code(show(change.after))}"
    return f"- {body}: {detail}" + (f" ({_esc(change.note)})" if change.note else "")


def _esc(text: str) -> str:
    for ch in "\\*_<>[]|`":
        text = text.replace(ch, "\\" + ch)
    return text


def _section(section: Section) -> list[str]:
    # Inside <summary> GitHub reads HTML, not markdown: escape for HTML only.
    title = f" {section.title}" if section.title != section.key else ""
    note = f" ({section.note})" if section.note else ""
    return [
        "<details>",
        f"<summary><b>{section.kind}</b> <code>{_html(section.key)}</code>{_html(title)}: "
        f"{section.status}{_html(note)}, {len(section.changes)} change(s)</summary>",
        "",
        *(change_item(c) for c in section.changes),
        "",
        "</details>",
    ]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(review: Review) -> str:
    if not review.changed:
        return f"{HEADING}\n\n{nothing_line(review)}\n"
    lines = [
        HEADING,
        "",
        f"From {_code(review.base_label)} to {review.target}: {counts_line(review)}.",
        "",
        "| what | name | status | changes |",
        "| --- | --- | --- | ---: |",
    ]
    for s in review.sections:
        lines.append(f"| {s.kind} | {_code(s.key)} | {s.status} | {len(s.changes)} |")
    lines.append("")
    for s in review.sections:
        lines.extend(_section(s))
        lines.append("")
    return "\n".join(lines)
