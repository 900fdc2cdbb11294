"""A whole push: validate, preflight, folders, dashboards in parallel, prune, summary."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from pfm_dash.client import AuthError, Forbidden, GrafanaClient, GrafanaError
from pfm_dash.errors import DeclarationError, DeclarationErrors
from pfm_dash.model.base import duplicates
from pfm_dash.model.dashboard import check_uid
from pfm_dash.push.apply import ApplyContext, push_dashboard, skipped
from pfm_dash.push.folders import declared_folders, ensure_folders
from pfm_dash.push.prune import prune
from pfm_dash.push.titles import unique_titles
from pfm_dash.push.types import Action, DashboardSpec, Outcome, PushAuthError, PushSummary

OnOutcome = Callable[[Outcome], None]


@dataclass(frozen=True)
class PushOptions:
    dry_run: bool = False
    diff: bool = False
    force: bool = False
    prune: bool = False
    concurrency: int = 8
    message: str = "pfm-dash push"
    project: str = ""  # written in every mark; --prune deletes only this project's dashboards
    # Named in the 401 sentence: which credential Grafana refused ("" when none was given).
    credential_source: str = "GRAFANA_TOKEN"


def validate(specs: Sequence[DashboardSpec]) -> None:
    """Every uid checked, every duplicate found, before a single request goes out."""
    errors: list[DeclarationError] = []
    valid: list[DashboardSpec] = []
    for spec in specs:
        try:
            check_uid(spec.uid, "dashboard", spec.location)
            folder = spec.folder
            while folder is not None:
                check_uid(folder.uid, "folder", spec.location)
                folder = folder.parent
        except DeclarationError as exc:
            errors.append(exc)
            continue
        valid.append(spec)
    for first, spec in duplicates(valid, lambda s: s.uid):
        errors.append(
            DeclarationError(
                f"dashboard uid {spec.uid!r} is declared twice (also at {first.location})",
                spec.location,
                "give each dashboard its own uid",
            )
        )
    if errors:
        raise DeclarationErrors(errors)


def auth_sentence(exc: AuthError | Forbidden, url: str, source: str) -> str:
    """One sentence saying what is missing: valid credentials, or which permission."""
    if isinstance(exc, AuthError):
        if not source:
            return (
                f"Grafana at {url} needs credentials: set GRAFANA_TOKEN to a service-account "
                "token (or use --token-file, or GRAFANA_USER and GRAFANA_PASSWORD)."
            )
        return (
            f"Grafana at {url} rejected the credentials from {source} (401): "
            "give a valid, unexpired service-account token."
        )
    return (
        f"Grafana at {url} accepted the credentials from {source or 'the request'} but refused "
        f"{exc.method} {exc.path} (403: {exc.message}); give the service account the Editor "
        "role, or dashboards:write and folders:create on the target folders."
    )


def preflight(client: GrafanaClient, options: PushOptions) -> str:
    """Grafana's version (unauthenticated), then one authenticated read to prove credentials."""
    version = str(client.health().get("version") or "unknown")
    try:
        client.org()
    except Forbidden as exc:
        if client.org_id is not None:
            # Grafana's context handler refuses an org the caller is not a member of with a 403
            # before any permission is looked at: no role would help.
            raise PushAuthError(
                f"Grafana at {client.base_url} refused organisation {client.org_id} "
                f"(403: {exc.message}): it does not exist, or the credentials from "
                f"{options.credential_source or 'the request'} are not a member of it; check "
                "--org-id (a service-account token belongs to one organisation)"
            ) from None
        raise PushAuthError(
            auth_sentence(exc, client.base_url, options.credential_source)
        ) from None
    except AuthError as exc:
        raise PushAuthError(
            auth_sentence(exc, client.base_url, options.credential_source)
        ) from None
    return version


def run_push(
    client: GrafanaClient,
    specs: Sequence[DashboardSpec],
    options: PushOptions,
    on_outcome: OnOutcome | None = None,
) -> PushSummary:
    """Push ``specs``; Grafana errors end up in outcomes, except a failed preflight."""
    started = time.monotonic()
    specs = list(specs)
    validate(specs)
    stop = client.counter.stopped
    stop.clear()  # a client may outlive an interrupted run
    with _stop_on_sigint(stop):
        summary = PushSummary(client.base_url, preflight(client, options), options.dry_run)
        _run(client, specs, options, summary, stop, on_outcome or (lambda outcome: None))
    summary.interrupted = stop.is_set()
    summary.requests = client.counter.attempts
    summary.retries = client.counter.retries
    summary.seconds = time.monotonic() - started
    return summary


def _run(
    client: GrafanaClient,
    specs: list[DashboardSpec],
    options: PushOptions,
    summary: PushSummary,
    stop: threading.Event,
    emit: OnOutcome,
) -> None:
    summary.folders = ensure_folders(
        client, declared_folders(specs), dry_run=options.dry_run, force=options.force, stop=stop
    )
    for outcome in summary.folders:
        emit(outcome)
    ctx = ApplyContext(
        client,
        dry_run=options.dry_run,
        diff=options.diff,
        force=options.force,
        message=options.message,
        project=options.project,
        failed_folders=frozenset(o.uid for o in summary.folders if o.action is Action.FAILED),
        unique_titles=unique_titles(summary.grafana_version),
        stop=stop,
    )
    by_uid: dict[str, Outcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        futures = [pool.submit(push_dashboard, ctx, spec) for spec in specs]
        for future in as_completed(futures):
            outcome = future.result()
            by_uid[outcome.uid] = outcome
            emit(outcome)
    summary.dashboards = [by_uid[s.uid] for s in specs]
    if not options.prune:
        return
    if stop.is_set():
        not_started = Outcome("dashboard", "*", "prune", Action.SKIPPED)
        summary.deletions = [skipped(not_started, "prune did not start: interrupted")]
        emit(summary.deletions[0])
        return
    try:
        summary.deletions = prune(
            client,
            specs,
            dry_run=options.dry_run,
            force=options.force,
            concurrency=options.concurrency,
            project=options.project,
            stop=stop,
        )
    except GrafanaError as exc:
        failed = Outcome("dashboard", "*", "prune", Action.FAILED, detail=exc.message)
        failed.auth_failure = isinstance(exc, AuthError | Forbidden)
        summary.deletions = [failed]
    for outcome in summary.deletions:
        emit(outcome)


@contextmanager
def _stop_on_sigint(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C sets ``stop``: no new request starts, those in flight end (never retried), and
    the run reports what was done. A second Ctrl-C aborts at once (KeyboardInterrupt).

    Only the main thread can install a handler; elsewhere Ctrl-C keeps its default.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print(
            "\ninterrupted: finishing the requests in flight, sending no new ones "
            "(Ctrl-C again to abort at once)",
            file=sys.stderr,
            flush=True,
        )

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
