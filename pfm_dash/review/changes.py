"""The typed record of a review: what changed, grouped into sections a reviewer reads.

A :class:`Review` holds :class:`Section` s (one per dashboard, rule group, and one for the
routing); each holds :class:`Change` s. Values are plain JSON (strings, numbers, lists, dicts),
so every renderer, and the JSON schema in docs/review.md, shows the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

# Documented values (docs/review.md); plain strings so comparers can pass them through.
Op = str  # added, removed, changed, moved, resized, renamed
Status = str  # added, removed, changed, renamed
Kind = str  # dashboard, rule group, routing
KINDS: tuple[Kind, ...] = ("dashboard", "rule group", "routing")
SCHEMA_VERSION = 1
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """One difference: ``subject`` (``panel 'Errors'``) and its ``field`` went from/to a value.

    ``words`` is a word diff of two texts as (op, text) pairs: ``=`` kept, ``-`` gone, ``+``
    new. ``note`` is a sentence that says it in words (``no longer reaches critical``).
    """

    op: Op
    subject: str
    field: str = ""
    before: Any = None
    after: Any = None
    words: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "subject": self.subject,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "words": [list(w) for w in self.words],
            "note": self.note,
        }


@dataclass
class Section:
    """Everything that changed in one dashboard, one rule group, or in the routing."""

    kind: Kind
    key: str
    title: str
    status: Status
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "note": self.note,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass
class Review:
    """The whole comparison: ``base`` against ``target``, and what changed between them."""

    base: str
    base_commit: str
    target: str
    sections: list[Section] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.sections)

    def summary(self) -> dict[str, dict[str, int]]:
        """Per kind: how many sections were added, removed, changed (renamed counts as one)."""
        out: dict[str, dict[str, int]] = {
            k: {"added": 0, "removed": 0, "changed": 0, "changes": 0} for k in KINDS
        }
        for section in self.sections:
            row = out[section.kind]
            row["changed" if section.status == "renamed" else section.status] += 1
            row["changes"] += len(section.changes)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "base": {"rev": self.base, "commit": self.base_commit},
            "target": self.target,
            "changed": self.changed,
            "summary": self.summary(),
            "sections": [s.to_json() for s in self.sections],
        }

    @property
    def base_label(self) -> str:
        short = self.base_commit[:10]
        return f"{self.base} ({short})" if short and not short.startswith(self.base) else self.base


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """A word-by-word diff, like ``git diff --word-diff``; runs of one op are merged."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if text:
            if out and out[-1][0] == op:
                out[-1] = (op, out[-1][1] + text)
            else:
                out.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(old[i1:i2]))
        else:
            add("-", "".join(old[i1:i2]))
            add("+", "".join(new[j1:j2]))
    return tuple(out)
