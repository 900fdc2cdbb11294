"""promtool over rule files, in the background: started first, so its time overlaps ours.

``promtool check rules`` is the authority on what Prometheus refuses; it is also most of
``check-rules``' time. So it is started before anything else (the command line starts it before
importing the YAML and PromQL parsers), in few calls (files batched by argument size), split
between one process per core when there is much to check, and only what depends on its answer
waits for it (:mod:`pfm_dash.checks.rulefiles`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pfm_dash.errors import ToolError
from pfm_dash.tools import run_tool

RULE_SUFFIXES = (".yml", ".yaml")
_GROUP_RULE = re.compile(r'group "([^"]*)", rule (\d+), ')


def rule_paths(targets: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            out.extend(sorted(p for p in target.rglob("*") if p.suffix in RULE_SUFFIXES))
        else:
            out.append(target)
    return out


@dataclass
class Verdict:
    """What promtool said about one file."""

    checked: bool = True  # False: it stopped at a file-level error, before any PromQL
    file_errors: list[tuple[int, str]] = field(default_factory=list)
    rule_errors: dict[tuple[str, int], list[str]] = field(default_factory=dict)


# Files per promtool call: few calls (~30 ms each to start), within any argv limit.
BATCH_BYTES = 100_000
_POSITIONED = re.compile(r"^(?:\d+:\d+: )+")


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    chunk: list[Path] = []
    size = 0
    for path in paths:
        if chunk and size + len(str(path)) + 1 > BATCH_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(path)
        size += len(str(path)) + 1
    if chunk:
        yield chunk


def _run_promtool(
    exe: str, paths: list[Path], env: Mapping[str, str] | None = None
) -> dict[str, Verdict]:
    """promtool's verdict on every file (``promtool check rules``, in few calls)."""
    out: dict[str, Verdict] = {}
    for chunk in _batches(paths):
        argv = [exe, "check", "rules", "--lint=none", *map(str, chunk)]
        proc = run_tool(argv, timeout=120, env=env)
        if proc.returncode != 0 and not any(f"{p}: " in proc.stderr for p in chunk):
            raise ToolError(_failure(proc))
        names = {f"{p}: ": str(p) for p in chunk}
        current: Verdict | None = None
        for raw in proc.stderr.splitlines():
            prefix = next((n for n in names if raw.startswith(n)), None)
            if prefix is None:
                m = re.match(r"\s+line (\d+): (.*)$", raw)
                if current is not None and m:
                    current.file_errors.append((int(m.group(1)), m.group(2)))
                continue
            verdict = out.setdefault(names[prefix], Verdict())
            current = verdict
            rest = raw[len(prefix) :]
            body = _POSITIONED.sub("", rest)
            m = _GROUP_RULE.match(body)
            if m:
                key = (m.group(1), int(m.group(2)))
                verdict.rule_errors.setdefault(key, []).append(rest)
            elif _POSITIONED.match(rest):
                line = int(rest.split(":", 1)[0])
                verdict.file_errors.append((line, body))
            else:
                verdict.checked = False  # strict unmarshal stopped it (durations, fields)
                if not body.endswith("unmarshal errors:"):
                    verdict.file_errors.append((0, body))
    return out


# promtool checks files one after another on one core; above this many bytes of rules, the
# files are split between parallel promtool calls, one per core (each start costs ~30 ms).
SPLIT_BYTES = 256_000


def _shares(paths: list[Path], workers: int) -> list[list[Path]]:
    """``paths`` dealt into ``workers`` shares of about equal size in bytes, largest first."""
    sizes = {p: p.stat().st_size if p.is_file() else 0 for p in paths}
    if workers < 2 or sum(sizes.values()) < SPLIT_BYTES:
        return [paths]
    shares: list[list[Path]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for path in sorted(paths, key=lambda p: -sizes[p]):
        least = loads.index(min(loads))
        shares[least].append(path)
        loads[least] += sizes[path]
    return [share for share in shares if share]


class Background:
    """promtool running in threads while this process parses: its time overlaps ours."""

    def __init__(self, exe: str, paths: list[Path]) -> None:
        self.results: list[dict[str, Verdict]] = []
        self.errors: list[ToolError] = []
        workers = min(2, os.cpu_count() or 1)
        shares = _shares(paths, workers)
        # One promtool per core: each keeps to one OS thread, so Go's scheduler and collector
        # do not spin on the core the other promtool (or this process) is using.
        env = {**os.environ, "GOMAXPROCS": "1"} if len(shares) > 1 else None
        self.threads = [
            threading.Thread(target=self._run, args=(exe, share, env), daemon=True)
            for share in shares
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, exe: str, paths: list[Path], env: Mapping[str, str] | None) -> None:
        try:
            self.results.append(_run_promtool(exe, paths, env))
        except ToolError as exc:
            self.errors.append(exc)

    def join(self) -> dict[str, Verdict]:
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise self.errors[0]
        return {k: v for result in self.results for k, v in result.items()}


def _failure(proc: subprocess.CompletedProcess[str]) -> str:
    """One line for a promtool that failed without naming a file: never a silent pass."""
    from pfm_dash.checks.promql import tool_failure

    return tool_failure("promtool check rules", proc)


def start(paths: list[Path], promtool: bool | None) -> Background | None:
    """promtool checking ``paths`` in the background, if asked (None: when on PATH)."""
    exe = shutil.which("promtool") if promtool is not False else None
    return Background(exe, paths) if exe is not None and paths else None
