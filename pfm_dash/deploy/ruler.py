"""Sync rule groups and the Alertmanager configuration to a Mimir (or Cortex) ruler.

The entry point is :func:`sync_ruler`; ``pfm-dash push --ruler-url`` calls it. One read of the
namespace (and one of the Alertmanager config) decides everything: a group equal to the ruler's
copy, compared parsed as mimirtool's ``CompareGroups`` does (pkg/mimirtool/rules/compare.go), is
not written; new and changed groups are POSTed in parallel; ``prune`` deletes the namespace's
groups the source no longer declares, and never touches another namespace. See docs/push.md.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import yaml

from pfm_dash.client import Auth, AuthError, Forbidden, GrafanaError, RetryPolicy
from pfm_dash.client.ruler import RulerClient, parse_yaml
from pfm_dash.client.transport import RequestHook
from pfm_dash.errors import ConfigError, DeclarationError, DeclarationErrors, Location
from pfm_dash.formats.prometheus import group_json
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.model.alerting import RuleGroup
from pfm_dash.model.base import duplicates
from pfm_dash.push.report import outcome_line, totals_line
from pfm_dash.push.run import _stop_on_sigint
from pfm_dash.push.types import Action, Outcome, PushAuthError, PushSummary

OnOutcome = Callable[[Outcome], None]
DEFAULT_NAMESPACE = "pfm-dash"
DEFAULT_TENANT = "anonymous"  # Mimir's -auth.no-auth-tenant default (pkg/api/api.go)
GROUP = "rule group"
ALERTMANAGER = "alertmanager"


@dataclass(frozen=True)
class RulerSettings:
    """Where and how to talk to the ruler (resolved by the push command from flags and env)."""

    url: str
    tenant: str = DEFAULT_TENANT
    namespace: str = DEFAULT_NAMESPACE
    prefix: str = "/prometheus"  # Mimir's -http.prometheus-http-prefix (pkg/api/api.go)
    auth: Auth | None = None
    credential_source: str = ""  # named in the 401 sentence, e.g. "RULER_TOKEN"
    verify: bool | str = True
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 8
    on_request: RequestHook | None = None  # --verbose: one line per HTTP request


@dataclass(frozen=True)
class RulerOptions:
    dry_run: bool = False
    prune: bool = False


@dataclass(frozen=True)
class LocalGroup:
    """A group to sync: its body as the ruler will get it, and where it was declared."""

    name: str
    data: dict[str, Any]
    location: str


def sync_ruler(
    settings: RulerSettings,
    options: RulerOptions = RulerOptions(),
    *,
    groups: Sequence[RuleGroup] = (),
    rule_files: Mapping[str, str] | None = None,
    alertmanager_config: str | None = None,
    alertmanager_templates: Mapping[str, str] | None = None,
    grafana_url: str = "",
    on_outcome: OnOutcome | None = None,
    stop: threading.Event | None = None,
) -> PushSummary:
    """Make the ruler's namespace hold exactly ``groups`` (+ the groups in ``rule_files``).

    ``rule_files``: display path -> rule YAML as ``pfm_dash.formats.prometheus`` writes it (the
    files of ``build/``); ``grafana_url`` prefixes panel links of ``groups`` as the build does.
    ``alertmanager_config``: the Alertmanager YAML text (None: leave the tenant's config alone).
    Outcomes: ``summary.dashboards`` holds the rule groups (kind ``rule group``) and the
    Alertmanager config (kind ``alertmanager``), ``summary.deletions`` what prune removed.
    Raises PushAuthError (exit 4) when the first read is refused, a GrafanaError (exit 1) when
    the ruler cannot be read at all, DeclarationErrors (exit 2) for bad input, before any write.
    ``stop`` (set on Ctrl-C): no new request starts; the rest is reported SKIPPED (exit 130).
    """
    started = time.monotonic()
    if not settings.namespace:
        # An empty namespace matches no route of pkg/api/api.go.
        raise ConfigError("the ruler namespace must not be empty (--namespace)")
    local = local_groups(groups, rule_files or {}, grafana_url)
    client = RulerClient(
        settings.url,
        settings.tenant,
        settings.auth,
        prefix=settings.prefix,
        verify=settings.verify,
        timeout=settings.timeout,
        retry=settings.retry,
        pool_size=settings.concurrency,
        on_request=settings.on_request,
    )
    if stop is not None:
        client.counter.stopped = stop
    summary = PushSummary(
        client.base_url,
        # Where push prints Grafana's version: push prints "<target> <this> at <url>".
        f"tenant {settings.tenant}, namespace {settings.namespace}",
        options.dry_run,
    )
    emit = on_outcome or (lambda outcome: None)
    # Ctrl-C as in the Grafana push, unless the caller handles it and passed ``stop``.
    sigint = _stop_on_sigint(client.counter.stopped) if stop is None else nullcontext()
    try:
        with sigint:
            _sync(
                client,
                settings,
                options,
                local,
                alertmanager_config,
                alertmanager_templates,
                summary,
                emit,
            )
    finally:
        client.close()
    summary.interrupted = client.counter.stopped.is_set()
    summary.requests = client.counter.attempts
    summary.retries = client.counter.retries
    summary.seconds = time.monotonic() - started
    return summary


# --- the source --------------------------------------------------------------------------


def local_groups(
    groups: Sequence[RuleGroup], rule_files: Mapping[str, str], grafana_url: str = ""
) -> list[LocalGroup]:
    """Every declared group, checked (names present and unique) before any request."""
    out: list[LocalGroup] = []
    errors: list[DeclarationError] = []
    for declared in groups:
        # The same group the rule file holds (no interval key when the group has none).
        data = group_json(declared, grafana_url)
        out.append(LocalGroup(declared.name, data, str(declared.location)))
    for path, text in rule_files.items():
        try:
            doc = parse_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            errors.append(
                DeclarationError(
                    f"not a rule file: {exc}", Location(path, line), "rebuild with pfm-dash build"
                )
            )
            continue
        listed = doc.get("groups") if isinstance(doc, dict) else None
        if not isinstance(listed, list):
            errors.append(
                DeclarationError(
                    "a rule file needs a top-level 'groups:' list",
                    Location(path, 1),
                    "rebuild with pfm-dash build",
                )
            )
            continue
        for item in listed:
            if isinstance(item, dict):
                out.append(LocalGroup(str(item.get("name") or ""), dict(item), path))
    for group in out:
        if not group.name:
            errors.append(
                DeclarationError(
                    "a rule group has no name", _location(group.location), "name every group"
                )
            )
    for first, group in duplicates((g for g in out if g.name), lambda g: g.name):
        errors.append(
            DeclarationError(
                f"rule group {group.name!r} is declared twice (also at {first.location}); "
                "the ruler keys groups by name",
                _location(group.location),
                "give each group its own name",
            )
        )
    if errors:
        raise DeclarationErrors(errors)
    return out


def _location(text: str) -> Location:
    path, _, line = text.rpartition(":")
    if path and line.isdigit():
        return Location(path, int(line))
    return Location(text, 0)


# --- comparing, as mimirtool's CompareGroups does (pkg/mimirtool/rules/compare.go) --------

_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_UNIT_MS |= {"w": 7 * _UNIT_MS["d"], "y": 365 * _UNIT_MS["d"]}


def duration_ms(value: Any) -> Any:
    """A Prometheus duration in ms (``1m`` == ``60s``; unset == 0); anything else as given."""
    if value is None or value == "":
        return 0
    text = str(value)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return text
    return sum(int(n) * _UNIT_MS[u] for n, u in parts)


def _rule_name(rule: Mapping[str, Any]) -> str:
    return str(rule.get("alert") or rule.get("record") or "")


def _map(value: Any) -> dict[str, str]:
    # The ruler drops empty label/annotation maps (label sets, rulespb/compat.go): missing and
    # empty are the same here. mimirtool tells them apart and so rewrites such a group forever.
    return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}


def group_difference(local: Mapping[str, Any], remote: Mapping[str, Any]) -> str:
    """The first difference that matters to the ruler, in words; "" when equal.

    CompareGroups' order: name, interval, rule count, remote_write, evaluation_delay and
    query_offset, source_tenants (a set), then each rule by position: alert, record, expr (as
    text), for, labels, annotations. keep_firing_for is compared too (the ruler stores it,
    rulespb/compat.go; CompareGroups misses it). ``limit`` is not: the ruler does not keep it.
    """
    if local.get("name") != remote.get("name"):
        return f"name {remote.get('name')!r} -> {local.get('name')!r}"
    for key in ("interval", "evaluation_delay", "query_offset"):
        if duration_ms(local.get(key)) != duration_ms(remote.get(key)):
            return f"{key} {remote.get(key) or 'unset'} -> {local.get(key) or 'unset'}"
    if set(local.get("source_tenants") or []) != set(remote.get("source_tenants") or []):
        return "source_tenants differ"
    urls = [w.get("url") for w in local.get("remote_write") or [] if isinstance(w, dict)]
    if urls != [w.get("url") for w in remote.get("remote_write") or [] if isinstance(w, dict)]:
        return "remote_write differs"
    mine, theirs = list(local.get("rules") or []), list(remote.get("rules") or [])
    if len(mine) != len(theirs):
        return f"{len(theirs)} rule(s) -> {len(mine)}"
    for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        what = f"rule {index + 1} {_rule_name(a)!r}"
        for key in ("alert", "record", "expr"):
            if str(a.get(key) or "") != str(b.get(key) or ""):
                return f"{what}: {key} differs"
        for key in ("for", "keep_firing_for"):
            if duration_ms(a.get(key)) != duration_ms(b.get(key)):
                return f"{what}: {key} {b.get(key) or 'unset'} -> {a.get(key) or 'unset'}"
        for key in ("labels", "annotations"):
            if _map(a.get(key)) != _map(b.get(key)):
                return f"{what}: {key} differ"
    return ""


def alertmanager_difference(
    config: str, templates: Mapping[str, str], remote: Mapping[str, Any] | None
) -> str:
    """Compared parsed (the GET returns the stored string, pkg/alertmanager/api.go); "" if equal."""
    if remote is None:
        return "none stored"
    stored = str(remote.get("alertmanager_config") or "")
    if _parsed(config) != _parsed(stored):
        return "alertmanager_config differs"
    if dict(templates) != _map(remote.get("template_files")):
        return "template_files differ"
    return ""


def _parsed(text: str) -> Any:
    try:
        return parse_yaml(text)
    except yaml.YAMLError:
        return text


# --- the run -----------------------------------------------------------------------------


def _auth_sentence(exc: AuthError | Forbidden, settings: RulerSettings) -> str:
    where = f"the ruler at {settings.url} (tenant {settings.tenant})"
    if isinstance(exc, Forbidden):
        return (
            f"{where} refused {exc.method} {exc.path} (403: {exc.message}); give the credentials "
            f"write access to namespace {settings.namespace!r}, or pick a namespace that is not "
            "protected"
        )
    if not settings.credential_source:
        return f"{where} needs credentials (401: {exc.message}); set a token or user and password"
    return (
        f"{where} rejected the credentials from {settings.credential_source} (401: "
        f"{exc.message}); give valid credentials for this tenant"
    )


def _sync(
    client: RulerClient,
    settings: RulerSettings,
    options: RulerOptions,
    local: list[LocalGroup],
    am_config: str | None,
    am_templates: Mapping[str, str] | None,
    summary: PushSummary,
    emit: OnOutcome,
) -> None:
    namespace = settings.namespace
    try:
        remote_list = client.list_rules(namespace).get(namespace, [])
        remote_am = client.get_alertmanager_config() if am_config is not None else None
    except (AuthError, Forbidden) as exc:
        raise PushAuthError(_auth_sentence(exc, settings)) from None
    remote = {str(g.get("name")): g for g in remote_list}
    writes: list[tuple[Outcome, Callable[[], object]]] = []
    for group in local:
        outcome = Outcome(GROUP, f"{namespace}/{group.name}", group.name, Action.UNCHANGED)
        outcome.location = group.location
        if group.name not in remote:
            outcome.action = Action.CREATE
        else:
            outcome.detail = group_difference(group.data, remote[group.name])
            if outcome.detail:
                outcome.action = Action.UPDATE
        summary.dashboards.append(outcome)
        if outcome.action is not Action.UNCHANGED:
            # Serialised in the worker, so the YAML work overlaps other requests' waits.
            writes.append((outcome, partial(_post_group, client, namespace, group.data)))
    if am_config is not None:
        templates = dict(am_templates or {})
        outcome = Outcome(ALERTMANAGER, "alertmanager", "Alertmanager config", Action.UNCHANGED)
        outcome.detail = alertmanager_difference(am_config, templates, remote_am)
        if outcome.detail:
            outcome.action = Action.CREATE if remote_am is None else Action.UPDATE
            writes.append((outcome, partial(client.set_alertmanager_config, am_config, templates)))
        summary.dashboards.append(outcome)
    deletes: list[tuple[Outcome, Callable[[], object]]] = []
    if options.prune:
        declared = {g.name for g in local}
        for name in sorted(set(remote) - declared):
            outcome = Outcome(GROUP, f"{namespace}/{name}", name, Action.DELETE)
            outcome.detail = "no longer declared"
            summary.deletions.append(outcome)
            deletes.append((outcome, partial(client.delete_group, namespace, name)))
    for outcome in summary.outcomes:
        if outcome.action is Action.UNCHANGED or options.dry_run:
            emit(outcome)
    if options.dry_run:
        return
    # Deletes first: Mimir counts the tenant's groups + 1 against its groups limit even for an
    # update (CreateRuleGroup in pkg/ruler/api.go), so room is made before anything is written.
    _apply(deletes, settings.concurrency, client.counter.stopped, emit)
    _apply(writes, settings.concurrency, client.counter.stopped, emit)


def _post_group(client: RulerClient, namespace: str, data: dict[str, Any]) -> None:
    client.set_group(namespace, dump_yaml(data))


def _apply(
    tasks: list[tuple[Outcome, Callable[[], object]]],
    concurrency: int,
    stop: threading.Event,
    emit: OnOutcome,
) -> None:
    """Run the writes with at most ``concurrency`` in flight; a failure stops nothing else."""

    def one(outcome: Outcome, call: Callable[[], object]) -> Outcome:
        if stop.is_set():
            outcome.action = Action.SKIPPED
            outcome.detail = "not sent: interrupted"
            return outcome
        try:
            call()
        except GrafanaError as exc:
            outcome.action = Action.FAILED
            outcome.detail = str(exc)
            outcome.auth_failure = isinstance(exc, AuthError | Forbidden)
            return outcome
        outcome.applied = True
        return outcome

    if not tasks:
        return
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for done in [pool.submit(one, outcome, call) for outcome, call in tasks]:
            emit(done.result())


# --- reporting ---------------------------------------------------------------------------


def render_text(summary: PushSummary) -> str:
    """One line per rule group (and the Alertmanager config), then the totals."""
    lines = [f"Ruler at {summary.url} ({summary.grafana_version})"]
    lines += [outcome_line(o) for o in summary.outcomes]
    lines.append(totals_line(summary))
    return "\n".join(lines)


def summary_json(summary: PushSummary) -> dict[str, Any]:
    """``--output json``'s shape for the ruler target (the same counts as the Grafana push)."""
    return {
        "ruler": {"url": summary.url, "target": summary.grafana_version},
        "dry_run": summary.dry_run,
        **{k: v for k, v in summary.counts.items() if k != "folders_created"},
        "requests": summary.requests,
        "retries": summary.retries,
        "seconds": round(summary.seconds, 3),
        "exit_code": summary.exit_code,
        "interrupted": summary.interrupted,
        "groups": [o.as_json(False) for o in summary.dashboards if o.kind == GROUP],
        "alertmanager": [o.as_json(False) for o in summary.dashboards if o.kind == ALERTMANAGER],
        "deletions": [o.as_json(False) for o in summary.deletions],
    }
