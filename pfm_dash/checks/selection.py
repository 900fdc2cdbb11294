"""Choosing rules like ruff: ``--select``/``--ignore`` ids or prefixes, and the config table.

Everything is on by default. The most specific code wins (``--ignore alert --select
alert-for`` keeps alert-for); on a tie the ignore wins. What Prometheus itself would refuse
(:data:`pfm_dash.checks.LOCKED`) stays on whatever is chosen: a file it refuses never passes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pfm_dash.checks import LOCKED, RULES, Finding
from pfm_dash.config import CheckSettings
from pfm_dash.errors import ConfigError
from pfm_dash.settings import load_table

ALL = "ALL"
TABLE = "check"


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()

    def enabled(self, rule: str) -> bool:
        if rule in LOCKED:
            return True
        chosen = _best(rule, self.select)
        dropped = _best(rule, self.ignore)
        return chosen is not None and (dropped is None or chosen > dropped)

    def notes(self) -> list[str]:
        """One line per locked rule an ignore names, saying it stays on and why."""
        out: list[str] = []
        for code in self.ignore:
            locked = sorted(r for r in LOCKED if _matches(code, r))
            if locked:
                out.append(
                    f"note: --ignore {code}: {', '.join(locked)} cannot be turned off "
                    "(Prometheus itself refuses such files, or a tool could not check them)"
                )
        return out

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if self.enabled(f.rule)]


def _matches(code: str, rule: str) -> bool:
    return code == ALL or rule.startswith(code)


def _best(rule: str, codes: Sequence[str]) -> int | None:
    """Length of the most specific code matching ``rule`` (0 for ALL), or None."""
    lengths = [0 if c == ALL else len(c) for c in codes if _matches(c, rule)]
    return max(lengths) if lengths else None


def code_problem(code: str) -> str:
    """Why ``code`` names no rule ('' when it is an id, a prefix of one, or ALL)."""
    if code == ALL or any(r.startswith(code) for r in RULES):
        return ""
    close = difflib.get_close_matches(code, list(RULES), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{code!r} is no rule id or prefix of one{hint} (docs/check.md lists the rules)"


def codes(values: Iterable[str], where: str) -> tuple[str, ...]:
    """Comma-separated codes, each an id, a prefix of one or ALL; else one message saying so."""
    out: list[str] = []
    for value in values:
        for raw in value.split(","):
            code = raw.strip()
            if not code:
                continue
            problem = code_problem(code)
            if problem:
                raise ConfigError(f"{where}: {problem}")
            out.append(code)
    return tuple(out)


def from_config(raw: Mapping[str, Any], pyproject: Path) -> Selection:
    """``[tool.pfm-dash.check] select/ignore`` (lists of codes), validated."""
    table = load_table(CheckSettings, raw.get(TABLE), TABLE, str(pyproject))
    return from_settings(table)


def from_settings(table: CheckSettings) -> Selection:
    """The selection a checked ``[tool.pfm-dash.check]`` table makes."""
    return Selection(codes(table.select, "select"), codes(table.ignore, "ignore"))


def choose(config: Selection, select: Sequence[str], ignore: Sequence[str]) -> Selection:
    """The command line's --select/--ignore over the config's (each replaces its own)."""
    chosen = codes(select, "--select") if select else config.select
    dropped = codes(ignore, "--ignore") if ignore else config.ignore
    return Selection(chosen, dropped)
