"""Deploy the rule files to a Prometheus that loads them from a folder, and prove they loaded.

1. Compare each built rule file with the one in the folder; nothing differs and Prometheus runs
   exactly the built groups: done, no write and no reload.
2. Stage and swap the changed files in (:mod:`pfm_dash.deploy.files`), ``POST /-/reload``.
3. Confirm: the reload answered 200, ``prometheus_config_last_reload_successful`` is 1, and
   ``/api/v1/rules`` lists, for these files, exactly the built groups with the built rule names
   and expressions. A refused reload keeps the old groups running (rules/manager.go ``Update``:
   "error loading rules, previous rule set restored"), so on any failure the previous files are
   put back and Prometheus reloaded again, leaving disk and server as they were.

Groups are matched by the base name of their file (``file`` in the API is the path Prometheus
sees, which differs from ours when it runs in a container).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pfm_dash.deploy.files import Swap, read_bytes, undo_on_break
from pfm_dash.deploy.server import RequestHook, Server, ServerError
from pfm_dash.errors import ToolError
from pfm_dash.output import GENERATED_YAML
from pfm_dash.push.types import Action, Outcome, PushSummary
from pfm_dash.tools import run_tool

OnOutcome = Callable[[Outcome], None]
RULE_SUFFIX = ".rules.yml"
PROMTOOL_TIMEOUT_S = 30.0
# (group name, [(rule name, expression)]) per file name.
Loaded = dict[str, list[tuple[str, list[tuple[str, str]]]]]


@dataclass(frozen=True)
class RulesTarget:
    url: str
    rules_dir: Path
    timeout: float = 30.0
    verify: bool | str = True
    on_request: RequestHook | None = None


@dataclass(frozen=True)
class DeployOptions:
    dry_run: bool = False
    prune: bool = False


NO_OPTIONS = DeployOptions()


def normal_expr(expr: str) -> str:
    """An expression as Prometheus prints it back, near enough to compare: the API shows the
    parsed expression re-printed (web/api/v1/api.go ``rule.Query().String()``), not our text."""
    try:
        import promql_parser

        return str(promql_parser.parse(expr).prettify())
    except (ValueError, ImportError):
        return " ".join(expr.split())


def expected_groups(files: Mapping[str, str]) -> Loaded:
    """What Prometheus must list once ``files`` (name -> rule YAML) are loaded."""
    out: Loaded = {}
    for name, text in files.items():
        doc = yaml.safe_load(text) or {}
        out[name] = [
            (
                str(group["name"]),
                [
                    (str(rule.get("alert") or rule.get("record")), normal_expr(str(rule["expr"])))
                    for rule in group.get("rules", [])
                ],
            )
            for group in doc.get("groups", [])
        ]
    return out


def loaded_groups(server: Server, names: set[str]) -> Loaded:
    """The groups Prometheus runs from files named in ``names``, as :func:`expected_groups`."""
    data = server.get_json("/api/v1/rules")
    out: Loaded = {}
    try:
        for group in data["data"]["groups"]:
            name = PurePosixPath(str(group["file"])).name
            if name in names:
                rules = [(str(r["name"]), normal_expr(str(r["query"]))) for r in group["rules"]]
                out.setdefault(name, []).append((str(group["name"]), rules))
    except (KeyError, TypeError):
        raise ServerError(f"{server.name} answered /api/v1/rules without data.groups") from None
    return out


def mismatch(expected: Loaded, loaded: Loaded) -> str:
    """The first difference, in words; "" when Prometheus runs exactly the expected groups."""
    for name in sorted(set(expected) | set(loaded)):
        want = dict(expected.get(name, []))
        have = dict(loaded.get(name, []))
        for group in sorted(set(want) | set(have)):
            if group not in have:
                return f"group {group} of {name} is not loaded"
            if group not in want:
                return f"group {group} of {name} is loaded but not built"
            if [r for r, _ in want[group]] != [r for r, _ in have[group]]:
                return f"group {group}: rules {[r for r, _ in have[group]]} loaded, built " + str(
                    [r for r, _ in want[group]]
                )
            for (rule, expr), (_, running) in zip(want[group], have[group], strict=True):
                if expr != running:
                    return f"group {group}, rule {rule}: expression {running!r} loaded"
    return ""


def deploy_rules(
    target: RulesTarget,
    files: Mapping[str, str],
    options: DeployOptions = NO_OPTIONS,
    on_outcome: OnOutcome | None = None,
) -> PushSummary:
    """Make ``target`` load exactly ``files`` (name -> text) from its rules folder."""
    started = time.monotonic()
    server = Server(
        "Prometheus", target.url.rstrip("/"), target.timeout, target.verify, target.on_request
    )
    summary = PushSummary(url=server.url, grafana_version="", dry_run=options.dry_run)
    try:
        _deploy(server, target.rules_dir, files, options, summary)
    finally:
        summary.requests = server.calls
        summary.seconds = time.monotonic() - started
        server.close()
    if on_outcome is not None:
        for outcome in summary.outcomes:
            on_outcome(outcome)
    return summary


def _deploy(
    server: Server,
    folder: Path,
    files: Mapping[str, str],
    options: DeployOptions,
    summary: PushSummary,
) -> None:
    writes: dict[str, bytes] = {}
    for name, text in sorted(files.items()):
        before = read_bytes(folder / name)
        data = text.encode()
        action = (
            Action.UNCHANGED
            if before == data
            else (Action.CREATE if before is None else Action.UPDATE)
        )
        if action is not Action.UNCHANGED:
            writes[name] = data
        summary.dashboards.append(_outcome(name, files[name], action))
    extra: tuple[str, ...] = ()
    if options.prune and folder.is_dir():
        extra = tuple(sorted(p.name for p in folder.iterdir() if _ours(p) and p.name not in files))
        summary.deletions.extend(
            Outcome(kind="rule file", uid=n, title=n, action=Action.DELETE) for n in extra
        )
    if options.dry_run:
        return
    build = server.get_json("/api/v1/status/buildinfo")
    summary.grafana_version = str(build.get("data", {}).get("version", "?"))
    expected = expected_groups(files)
    names = set(files) | set(extra)
    if not writes and not extra and not mismatch(expected, loaded_groups(server, names)):
        return  # nothing changed: no write, no reload
    swap = Swap(folder, writes, extra)
    swap.apply()
    with undo_on_break(swap, server):
        problem = _reload_and_confirm(server, expected, names)
    if problem:
        problem += _why_refused(folder, writes)
        swap.restore()
        again = server.reload()
        if again:
            problem += f"; reloading the restored files failed too ({again})"
        else:
            problem += "; the previous rule files are restored and loaded"
        for outcome in summary.outcomes:
            if outcome.action is not Action.UNCHANGED:
                outcome.action, outcome.detail = Action.FAILED, problem
        if not any(o.action is Action.FAILED for o in summary.outcomes):
            summary.dashboards.append(
                Outcome(
                    kind="reload", uid="-", title="reload", action=Action.FAILED, detail=problem
                )
            )
        return
    for outcome in summary.outcomes:
        outcome.applied = outcome.action is not Action.UNCHANGED


def _reload_and_confirm(server: Server, expected: Loaded, names: set[str]) -> str:
    """ "" when Prometheus took the new files and runs exactly the built groups; else why not."""
    refused = server.reload()
    if refused:
        return f"Prometheus refused the rule files: {refused}"
    if server.metric("prometheus_config_last_reload_successful") != 1:
        return "Prometheus reports prometheus_config_last_reload_successful 0 after the reload"
    diff = mismatch(expected, loaded_groups(server, names))
    return f"Prometheus runs other groups than built: {diff}" if diff else ""


def _why_refused(folder: Path, written: Mapping[str, bytes]) -> str:
    """promtool's words on the files just written: Prometheus' reload answer is generic
    ("one or more errors occurred"), the rule errors go only to its log (rules/manager.go)."""
    promtool = shutil.which("promtool")
    if promtool is None or not written:
        return ""
    paths = [str(folder / name) for name in sorted(written)]
    try:
        done = run_tool([promtool, "check", "rules", *paths], timeout=PROMTOOL_TIMEOUT_S)
    except ToolError:
        return ""
    errors = [
        line.strip()
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "SUCCESS" not in line and not line.startswith("Checking")
    ]
    return f" ({'; '.join(errors[:3])})" if done.returncode != 0 and errors else ""


def _ours(path: Path) -> bool:
    """A rule file a deploy wrote (it carries the generated header); prune removes no other."""
    if not path.name.endswith(RULE_SUFFIX) or not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(len(GENERATED_YAML)) == GENERATED_YAML


def _outcome(name: str, text: str, action: Action) -> Outcome:
    groups: Any = (yaml.safe_load(text) or {}).get("groups", [])
    title = ", ".join(str(g.get("name")) for g in groups) or name
    return Outcome(kind="rule file", uid=name, title=title, action=action)
