"""``pfm-dash import`` behind its flags: what to read, where to write, and what to print."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from pfm_dash.config import Config, load_config
from pfm_dash.errors import ConfigError, PfmDashError
from pfm_dash.importing.dashboards import DashboardJson, Planned, from_grafana, plan, read_files

DASHBOARD_SUFFIXES = frozenset({".json"})
RULE_SUFFIXES = frozenset({".yml", ".yaml"})


class ImportAuthError(PfmDashError):
    """Grafana refused the credentials (401) or the read (403): one sentence, exit 4."""

    exit_code = 4


def split_sources(sources: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Dashboard files and rule files among the arguments; a folder gives what it holds."""
    dashboards: list[Path] = []
    rules: list[Path] = []
    for source in sources:
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in files:
            if path.suffix in DASHBOARD_SUFFIXES:
                dashboards.append(path)
            elif path.suffix in RULE_SUFFIXES:
                rules.append(path)
            elif not source.is_dir():
                raise ConfigError(
                    f"{path}: not a dashboard (.json) or rule file (.yml, .yaml); "
                    "give files of those kinds or a folder holding them"
                )
    return dashboards, rules


def declared_uids(config: Config) -> dict[str, Path]:
    """The uids the project declares already, and the file declaring each."""
    if not any(True for _ in config.source_files()):
        return {}
    from pfm_dash.project import load_project

    project = load_project(config)
    return {d.uid: Path(d.location.file) for d in project.dashboards}


def execute(
    flags: Mapping[str, Any],
    *,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run an import as the CLI does; returns the exit code."""
    env = os.environ if env is None else env
    sources: Sequence[Path] = flags.get("sources") or ()
    uids: Sequence[str] = flags.get("uids") or ()
    folder: str | None = flags.get("folder")
    pull = bool(uids or folder or flags.get("all_"))
    if sum(bool(x) for x in (uids, folder, flags.get("all_"))) > 1:
        raise ConfigError("give one of --uid, --folder or --all")
    if flags.get("grafana_url") and not pull:
        raise ConfigError(
            "say which dashboards to pull: --uid UID (repeatable), --folder F or --all"
        )
    if not sources and not pull:
        raise ConfigError(
            "nothing to import: give dashboard JSON or rule files, or --grafana-url URL with "
            "--uid, --folder or --all"
        )
    config = config or load_config()
    dashboard_files, rule_files = split_sources(sources)
    if flags.get("tests") and not rule_files:
        raise ConfigError("--tests goes with the rule files it tests; give them too")
    into: Path | None = flags.get("into")
    force = bool(flags.get("force"))
    items: list[DashboardJson] = read_files(dashboard_files)
    if pull:
        items += _pull(flags, env, config, uids=uids, folder=folder)
    planned: list[Planned] = []
    target = (into or config.root / config.sources[0]).resolve() if config.sources else None
    if items:
        if target is None:
            raise ConfigError("no source folder configured: pass --into DIR")
        planned = plan(items, target, force=force, declared=declared_uids(config))
    code = 0
    if rule_files:
        code = _import_rules(rule_files, flags.get("tests"), into, force)
    if planned and target is not None:
        from pfm_dash.importing.dashboards import write

        write(planned, target)
        _report(planned, config.root)
    if not planned and not rule_files:
        click.echo("no dashboards found to import")
    return code


def _import_rules(paths: list[Path], tests: Path | None, into: Path | None, force: bool) -> int:
    """Rule files go to ``pfm_dash.importing.rules``; its result is the exit code."""
    try:
        rules = importlib.import_module("pfm_dash.importing.rules")
    except ImportError:
        raise ConfigError(
            f"{paths[0]}: importing rule files is not available in this pfm-dash yet; "
            "import the dashboards on their own"
        ) from None
    result = rules.import_rule_files(paths, tests=tests, into=into, force=force)
    return result if isinstance(result, int) else 0


def _report(planned: Sequence[Planned], root: Path) -> None:
    for item in planned:
        where = item.path.relative_to(root) if item.path.is_relative_to(root) else item.path
        verb = "replaced" if item.overwrites else "wrote"
        click.echo(f"{verb} {where}: {item.title!r} (uid {item.uid}) from {item.source}")
        for line in item.upgrades:
            click.echo(f"  upgraded: {line}")
        for line in item.notes:
            click.echo(f"  note: {line}")
    click.echo(f"imported {len(planned)} dashboard(s)")


def _pull(
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    config: Config,
    *,
    uids: Sequence[str],
    folder: str | None,
) -> list[DashboardJson]:
    """The dashboards from a live Grafana, with push's settings and credentials."""
    from pfm_dash.client import AuthError, Forbidden
    from pfm_dash.push.settings import client_for, resolve

    settings = resolve(flags, env, config.settings.push)
    if settings.insecure:
        click.echo("warning: --insecure: TLS certificates are not verified", err=True)
    client = client_for(settings)
    try:
        client.org()  # the cheapest call that proves the credentials
        return from_grafana(client, uids=uids, folder=folder)
    except (AuthError, Forbidden) as exc:
        sentence = _auth_sentence(exc, settings.url, settings.credential_source)
        raise ImportAuthError(sentence) from None
    finally:
        client.close()


def _auth_sentence(exc: Exception, url: str, source: str) -> str:
    from pfm_dash.client import AuthError

    if isinstance(exc, AuthError):
        if not source:
            return (
                f"Grafana at {url} needs credentials: set GRAFANA_TOKEN to a service-account "
                "token (or use --token-file, or GRAFANA_USER and GRAFANA_PASSWORD)"
            )
        return f"Grafana at {url} rejected the credentials from {source} (401)"
    return (
        f"Grafana at {url} refused to let {source or 'the request'} read dashboards (403); "
        "give the service account the Viewer role, or dashboards:read and folders:read"
    )
