"""From a loaded project to the bytes of every file under build/, as a stream.

Each format module knows one output format; this module puts each file where
:mod:`pfm_dash.buildpaths` says (the one place that decides build/'s layout) and keeps the
byte-level conventions: sorted keys, 2-space indent and a trailing newline for JSON, UTF-8.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Generator, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Literal, NoReturn

import orjson

from pfm_dash import buildpaths as paths
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.output import Staged, stage
from pfm_dash.project import Project


def dashboard_bytes(model: dict[str, Any]) -> bytes:
    """Byte-identical to ``json.dumps(model, indent=2, sort_keys=True, ensure_ascii=False)``
    plus a newline, at a tenth of the cost."""
    return orjson.dumps(model, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


# Below this many dashboards, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
# Declarations per set of workers: the workers are forked afresh for each chunk and see only
# its declarations, so a stream of dashboards is never held whole, here or in a worker (a fork
# costs ~10 ms a chunk).
CHUNK = 1024

# status, len(path), len(data). Status 0 is a file's bytes, 1 an error (pickled), and 2, 3
# and 4 a file the worker staged itself (unchanged, missing, stale; no data).
_HEADER = struct.Struct("<BII")
_STAGED_KINDS: tuple[Literal["missing", "stale"] | None, ...] = (None, "missing", "stale")


def _dashboard_file(board: Dashboard) -> tuple[str, bytes]:
    from pfm_dash.formats.grafana import compile_dashboard

    compiled = compile_dashboard(board)
    return paths.dashboard_file(compiled.uid), dashboard_bytes(compiled.model)


def dashboard_files(
    dashboards: Iterable[Dashboard], jobs: int | None = None, stage_in: Path | None = None
) -> Generator[tuple[str, bytes | Staged], None, None]:
    """Each dashboard's file, in order, compiled on every core when there are many.

    Declarations are taken from ``dashboards`` a chunk at a time and each JSON file is yielded
    as soon as it is ready, so memory stays flat however many dashboards stream through. With
    ``stage_in`` (an output folder), workers compare and stage their files there themselves
    (:func:`pfm_dash.output.stage`) and yield a :class:`~pfm_dash.output.Staged` instead of
    the bytes: creating a file costs about as much as compiling it, and this way the workers
    share that too.
    """
    jobs = jobs or os.cpu_count() or 1
    boards = iter(dashboards)
    chunk = list(islice(boards, CHUNK))
    if jobs == 1 or len(chunk) < PARALLEL_FROM or os.name != "posix":
        yield from map(_dashboard_file, chunk)
        yield from map(_dashboard_file, boards)
        return
    import pfm_dash.formats.grafana  # noqa: F401  (imported once, before the forks)

    while chunk:
        yield from _forked(chunk, jobs, stage_in)
        chunk = list(islice(boards, CHUNK))


def _forked(
    chunk: Sequence[Dashboard], jobs: int, stage_in: Path | None
) -> Iterator[tuple[str, bytes | Staged]]:
    """``chunk``'s files, compiled by ``jobs`` forked workers, in order.

    Worker k compiles items k, k + jobs, ... and writes each file to its own pipe; the files
    are read back round-robin, so they come in order. Forked workers inherit the declarations
    (pickling a dashboard costs as much as compiling it), a full pipe holds a worker back (a
    slow writer never makes results pile up here), and no thread is started (with a pool, the
    results were allocated in its threads' malloc arenas, and peak memory grew with each
    chunk's pool).
    """
    readers: list[BinaryIO] = []
    pids: list[int] = []
    try:
        for k in range(jobs):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker (coverage does not follow forks)
                # Only the parent reads: a worker holding another's pipe open would keep it
                # from seeing the parent stop reading.
                for fd in (read, *(r.fileno() for r in readers)):
                    os.close(fd)
                _work(chunk[k::jobs], write, stage_in)
            os.close(write)
            readers.append(os.fdopen(read, "rb"))
            pids.append(pid)
        for index in range(len(chunk)):
            yield _receive(readers[index % jobs])
    finally:
        for reader in readers:
            reader.close()  # a worker still writing gets EPIPE and stops
        for pid in pids:
            os.waitpid(pid, 0)


def _work(boards: Sequence[Dashboard], fd: int, stage_in: Path | None) -> NoReturn:
    """In a forked worker: compile ``boards`` into the pipe ``fd``, then exit (never return
    into the parent's code)."""
    status = 0
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                for board in boards:
                    rel, data = _dashboard_file(board)
                    name = rel.encode()
                    if stage_in is None:
                        out.write(_HEADER.pack(0, len(name), len(data)) + name + data)
                    else:
                        kind = _STAGED_KINDS.index(stage(stage_in, rel, data).kind)
                        out.write(_HEADER.pack(2 + kind, len(name), 0) + name)
            except BrokenPipeError:
                raise
            except BaseException as exc:  # the parent raises it where the file was expected
                status = 1
                error = _pickled(exc)
                out.write(_HEADER.pack(1, 0, len(error)) + error)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _pickled(exc: BaseException) -> bytes:
    import pickle

    try:
        return pickle.dumps(exc)
    except Exception:
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _receive(reader: BinaryIO) -> tuple[str, bytes | Staged]:
    header = reader.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise RuntimeError("a worker compiling dashboards stopped before its last file")
    status, name_len, data_len = _HEADER.unpack(header)
    name, data = reader.read(name_len), reader.read(data_len)
    if status == 1:
        import pickle

        raise pickle.loads(data)
    if status >= 2:
        return name.decode(), Staged(_STAGED_KINDS[status - 2])
    return name.decode(), data


def artifacts(
    project: Project, stage_in: Path | None = None
) -> Iterator[tuple[str, bytes | Staged]]:
    """(path relative to build/, bytes) for every generated file, dashboards streamed; with
    ``stage_in``, many dashboards may come staged there already (see :func:`dashboard_files`)."""
    from pfm_dash.formats import prometheus, provisioning

    yield from dashboard_files(project.dashboards, stage_in=stage_in)
    settings = project.config.settings.grafana
    yield (
        paths.DASHBOARD_PROVIDER,
        provisioning.dashboards_provider(project.dashboards, settings).encode(),
    )
    yield (
        paths.DATASOURCE,
        provisioning.prometheus_datasource(settings).encode(),
    )
    for rel, text in prometheus.rule_files(project.groups, settings.url).items():
        yield rel, text.encode()  # rel: paths.rules_file / paths.tests_file
    from pfm_dash.formats.prometheus.scrape import prometheus_yml

    scrape = prometheus_yml(project.catalogs, project.config.raw)
    if scrape is not None:
        yield paths.PROMETHEUS_CONFIG, scrape.encode()
    if project.teams:
        from pfm_dash.formats import alertmanager

        yield (
            paths.ALERTMANAGER_CONFIG,
            alertmanager.alertmanager_yml(
                project.teams, alertmanager.settings_from(project.config)
            ).encode(),
        )
