"""Importing dashboards: Grafana JSON (files or a live Grafana) to one Python module each.

Everything is parsed, generated and checked before anything is written: a bad file, two
dashboards wanting the same module or uid, or an existing module without ``--force`` stops
the import with every problem listed and nothing written. Names are never changed to dodge
a collision: a person decides which dashboard keeps the name.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pfm_dash.errors import (
    ConfigError,
    DeclarationError,
    DeclarationErrors,
    Location,
    display_path,
)
from pfm_dash.formats.python.source import Names
from pfm_dash.model.dashboard import Dashboard, Folder

if TYPE_CHECKING:
    from pfm_dash.client import GrafanaClient

__all__ = [
    "DashboardJson",
    "ImportConflict",
    "Planned",
    "from_grafana",
    "module_name",
    "plan",
    "read_files",
    "write",
]


@dataclass(frozen=True)
class DashboardJson:
    """One dashboard's JSON as found, with where it came from and its Grafana folder."""

    data: Mapping[str, Any]
    source: str
    folder: Folder | None = None


@dataclass(frozen=True)
class Planned:
    """A module about to be written, and what the migration did to get there."""

    uid: str
    title: str
    path: Path
    text: str
    source: str
    upgrades: Sequence[str] = ()
    notes: Sequence[str] = ()
    overwrites: bool = False


class ImportConflict(DeclarationErrors):
    """Bad input or collisions found while planning: each one named; nothing was written."""


class Collision(DeclarationError):
    """A dashboard that cannot be written as asked: ``x.json: $.uid: error: ...``."""

    def __init__(self, source: str, json_path: str, message: str, hint: str) -> None:
        super().__init__(message, Location(source, 0), hint)
        self.source = source
        self.json_path = json_path

    def render(self) -> str:
        return (
            f"{_shown(self.source)}: {self.json_path}: error: {self.message}\n  hint: {self.hint}"
        )


def _shown(source: str) -> str:
    """A file relative to the working directory; a URL as it is."""
    return source if "://" in source else display_path(source)


def _cited(source: str) -> str:
    """How a module names its origin: the URL, or the file's name (not this machine's path)."""
    return source if "://" in source else Path(source).name


def module_name(title: str) -> str:
    """The module a dashboard is written to: its title in snake case."""
    return Names().make(title, "dashboard")


def read_files(paths: Iterable[Path]) -> list[DashboardJson]:
    """Dashboard JSON files as found (not yet parsed); a bad file is an error naming it."""
    found: list[DashboardJson] = []
    errors: list[DeclarationError] = []
    for path in paths:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(DeclarationError(f"cannot read {path}: {exc}", Location(str(path), 0)))
            continue
        except json.JSONDecodeError as exc:
            errors.append(
                DeclarationError(
                    f"not JSON: {exc.msg} (column {exc.colno})",
                    Location(str(path), exc.lineno),
                    "export the dashboard from Grafana (Share > Export > Save to file)",
                )
            )
            continue
        if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
            # What GET /api/dashboards/uid/:uid answers, saved to a file.
            data = data["dashboard"]
        found.append(DashboardJson(data=data, source=str(path)))
    if errors:
        raise DeclarationErrors(errors)
    return found


def _parse(item: DashboardJson) -> Any:
    """The parser's ParsedDashboard (``.dashboard``, ``.upgrades``, ``.notes``)."""
    try:
        parser = importlib.import_module("pfm_dash.formats.grafana.parse")
    except ImportError:  # pragma: no cover - the parser ships with this package
        raise ConfigError(
            "this pfm-dash cannot read Grafana JSON yet (pfm_dash.formats.grafana.parse is missing)"
        ) from None
    return parser.parse_dashboard(item.data, source=item.source)


def plan(
    items: Sequence[DashboardJson],
    into: Path,
    *,
    force: bool = False,
    declared: Mapping[str, Path] | None = None,
) -> list[Planned]:
    """Parse and generate every module; raise :class:`ImportConflict` listing every collision.

    ``declared`` maps the uids the project already declares to the file declaring each: such
    a uid may only come back into that same file, and only with ``force``.
    """
    from pfm_dash.formats.python.dashboards import dashboard_module

    declared = declared or {}
    errors: list[DeclarationError] = []
    planned: list[Planned] = []
    by_path: dict[Path, str] = {}
    by_uid: dict[str, str] = {}
    for item in items:
        try:
            parsed = _parse(item)
        except DeclarationErrors as exc:
            errors.extend(exc.errors)
            continue
        except DeclarationError as exc:
            errors.append(exc)
            continue
        board: Dashboard = parsed.dashboard
        if item.folder is not None:
            board = dataclasses.replace(board, folder=item.folder)
        path = into / f"{module_name(board.title)}.py"
        this = f"{board.title!r} from {item.source}"
        clash_path, clash_uid = by_path.get(path), by_uid.get(board.uid)
        by_path.setdefault(path, this)
        by_uid.setdefault(board.uid, this)
        owner = declared.get(board.uid)
        exists = path.exists()
        if clash_path is not None:
            problem = Collision(
                item.source,
                "$.title",
                f"{board.title!r} would be written to {display_path(str(path))}, as would "
                f"{clash_path}",
                "import one of them on its own, or rename one in Grafana first",
            )
        elif clash_uid is not None:
            problem = Collision(
                item.source,
                "$.uid",
                f"uid {board.uid!r} is also the uid of {clash_uid}",
                "a uid names one dashboard: import only one of them",
            )
        elif owner is not None and owner.resolve() != path.resolve():
            problem = Collision(
                item.source,
                "$.uid",
                f"uid {board.uid!r} is already declared in {display_path(str(owner))}",
                "remove that declaration first, or leave this dashboard out",
            )
        elif exists and not force:
            problem = Collision(
                item.source,
                "$",
                f"{display_path(str(path))} exists; refusing to overwrite it",
                "pass --force to replace it with the imported dashboard",
            )
        else:
            problem = None
        if problem is not None:
            errors.append(problem)
            continue
        planned.append(
            Planned(
                uid=board.uid,
                title=board.title,
                path=path,
                text=dashboard_module(board, source=_cited(item.source)),
                source=item.source,
                upgrades=tuple(parsed.upgrades),
                notes=tuple(parsed.notes),
                overwrites=exists,
            )
        )
    if errors:
        raise ImportConflict(errors)
    return planned


def write(planned: Sequence[Planned], into: Path) -> None:
    """Write the modules; a new folder gets an ``__init__.py`` so tools see a package."""
    if not into.exists():
        into.mkdir(parents=True)
    init = into / "__init__.py"
    if not init.exists():
        init.write_text('"""Dashboards imported by pfm-dash import."""\n', "utf-8")
    for item in planned:
        item.path.write_text(item.text, "utf-8")


# --- a live Grafana ------------------------------------------------------------------------


def from_grafana(
    client: GrafanaClient,
    *,
    uids: Sequence[str] = (),
    folder: str | None = None,
    page_size: int = 1000,
) -> list[DashboardJson]:
    """The dashboards named by uid, or those in ``folder`` (uid or title), or all of them."""
    from pfm_dash.client import GrafanaError, NotFound

    if uids:
        wanted = list(dict.fromkeys(uids))
    else:
        listed = client.search(kind="dash-db", limit=page_size)
        if not listed.complete:
            # An import that quietly misses dashboards is worse than none.
            raise GrafanaError(
                f"Grafana's search did not list every dashboard ({listed.note}); "
                "import them with --uid or --folder instead"
            )
        hits: list[dict[str, Any]] = list(listed)
        if folder is not None:
            hits = [h for h in hits if folder in (h.get("folderUid"), h.get("folderTitle"))]
            if not hits:
                raise ConfigError(
                    f"Grafana has no dashboards in a folder with uid or title {folder!r}"
                )
        wanted = [str(h["uid"]) for h in hits]
    folders: dict[str, Folder | None] = {}
    found: list[DashboardJson] = []
    for uid in wanted:
        try:
            answer = client.get_dashboard(uid)
        except NotFound:
            raise ConfigError(
                f"Grafana at {client.base_url} has no dashboard with uid {uid!r}"
            ) from None
        meta = answer.get("meta") or {}
        folder_uid = str(meta.get("folderUid") or "")
        found.append(
            DashboardJson(
                data=answer["dashboard"],
                source=f"{client.base_url}/d/{uid}",
                folder=_folder(client, folder_uid, folders) if folder_uid else None,
            )
        )
    return found


def _folder(client: GrafanaClient, uid: str, cache: dict[str, Folder | None]) -> Folder | None:
    """The folder with its parents (Grafana 11 nested folders), each fetched once."""
    if uid not in cache:
        data = client.get_folder(uid)
        parent_uid = str(data.get("parentUid") or "")
        parent = _folder(client, parent_uid, cache) if parent_uid else None
        cache[uid] = Folder(uid=uid, title=str(data.get("title") or uid), parent=parent)
    return cache[uid]
