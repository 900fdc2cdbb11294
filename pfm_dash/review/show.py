"""A change's values and words as short text, shared by the text and markdown renderers."""

from __future__ import annotations

import json
import re
from typing import Any

from pfm_dash.review.changes import Change, Review

_BOX = {"x", "y", "w", "h"}
_BREAK = re.compile(r"[ \t]*\n\s*")


def one_line(text: str) -> str:
    """Line breaks (a multi-line PromQL) as single spaces: every change stays one line."""
    return _BREAK.sub(" ", text)


def show(value: Any) -> str:
    """``value`` on one line, as a reviewer reads it (a grid box, thresholds, a list)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, dict) and set(value) == _BOX:
        return f"x={value['x']} y={value['y']} {value['w']}x{value['h']}"
    if isinstance(value, dict) and isinstance(value.get("steps"), list):
        steps = [
            f"{s.get('color')} from {s['value']}"
            if s.get("value") is not None
            else str(s.get("color"))
            for s in value["steps"]
            if isinstance(s, dict)
        ]
        mode = f" ({value['mode']})" if "mode" in value else ""
        return ", ".join(steps) + mode
    if isinstance(value, dict) and isinstance(value.get("expr"), str):
        return _rule(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value) if value else "none"
    return json.dumps(value, sort_keys=True, default=str)


def _rule(rule: dict[str, Any]) -> str:
    """A rule or query on one line: its expression, then what a reviewer weighs most."""
    keys = (("severity", "severity"), ("team", "team"), ("for_", "for"), ("legend", "legend"))
    extras = [f"{label} {rule[key]}" for key, label in keys if rule.get(key)]
    return one_line(str(rule["expr"])) + (f" ({', '.join(extras)})" if extras else "")


def _step(step: dict[str, Any]) -> str:
    colour = str(step.get("color"))
    return colour if step.get("value") is None else f"{colour} from {step['value']}"


def what(change: Change) -> str:
    """``panel 'Errors' unit`` : the subject and the field, without repeating the op."""
    return " ".join(p for p in (change.subject, change.field) if p)


def counts_line(review: Review) -> str:
    """``3 changes: 1 dashboard, 2 rule groups, routing``."""
    total = sum(len(s.changes) for s in review.sections)
    parts = []
    for kind, row in review.summary().items():
        n = row["added"] + row["removed"] + row["changed"]
        if n:
            parts.append(kind if kind == "routing" else f"{n} {kind}{'s' if n > 1 else ''}")
    return f"{total} change{'s' if total != 1 else ''} in {', '.join(parts)}"


def nothing_line(review: Review) -> str:
    return f"No monitoring changes between {review.base_label} and {review.target}."
