"""What every bundled fake server shares: a threaded HTTP server on 127.0.0.1, the fault
pipeline and request log around each request, the ``/_fake/`` control endpoints, and the
start/stop lifecycle of the fake object tests hold.

A fake supplies only its own routing (:meth:`LoopbackHandler.dispatch`) and its server's state;
everything a test or a person uses to break it or look inside is the same for all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from pfm_dash.testing.faults import Fault, Faults, LoggedRequest

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


@dataclass
class Answer:
    """One HTTP answer, byte for byte."""

    status: int
    body: bytes = b""
    content_type: str = TEXT
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(status: int, doc: Any, *, pretty: bool = False) -> Answer:
    return Answer(status, json.dumps(doc, indent=2 if pretty else None).encode(), JSON)


@dataclass(frozen=True)
class Request:
    """One request as read off the socket, before any fake interprets it."""

    method: str
    path: str
    query: dict[str, list[str]]
    raw: bytes

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON as text; no body as None."""
        if not self.raw:
            return None
        try:
            return json.loads(self.raw)
        except ValueError:
            return self.raw.decode("utf-8", "replace")


@dataclass
class Handled:
    """A fake's answer to a request, with who asked (a login or tenant) for the log."""

    answer: Answer
    caller: str = ""
    org_id: int = 0


# Where the control endpoints live: no Grafana or Mimir route starts with an underscore.
CONTROL_PREFIX = "/_fake/"


class LoopbackServer(ThreadingHTTPServer):
    """A threaded server whose handler threads never keep the process alive."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[LoopbackHandler],
        faults: Faults,
        control: Callable[[Request], Answer],
    ) -> None:
        super().__init__(address, handler)
        self.faults = faults
        self.control = control


class LoopbackHandler(BaseHTTPRequestHandler):
    """Reads a request, applies the armed faults, lets the fake answer, logs, sends.

    Control requests (``/_fake/...``) skip the faults and the log: they drive the fake, they
    are not traffic to it.
    """

    protocol_version = "HTTP/1.1"  # keep-alive, so clients can pool
    server: LoopbackServer
    timeout = 30

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, and it holds no credentials."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    # --- what a fake overrides --------------------------------------------------------------

    def dispatch(self, request: Request) -> Handled:
        """The fake's own answer."""
        raise NotImplementedError

    def injected(self, status: int) -> Answer:
        """The body of an injected status, in the fake's own error style."""
        return Answer(status, b"injected fault\n")

    def logged_body(self, request: Request) -> Any:
        """The body as the request log keeps it."""
        return request.raw.decode("utf-8", "replace")

    def fault_caller(self, request: Request) -> str:
        """Who the log names for a request a fault answered before the fake saw it."""
        return ""

    # --- the pipeline -----------------------------------------------------------------------

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = Request(self.command, url.path, parse_qs(url.query), raw)
        if request.path.startswith(CONTROL_PREFIX):
            self._send(self.server.control(request))
            return
        faults = {f.kind: f for f in self.server.faults.take(request.method, request.path)}
        if "hook" in faults and faults["hook"].hook is not None:
            faults["hook"].hook()
        pause = self.server.faults.latency + (faults["delay"].delay if "delay" in faults else 0)
        if pause:
            time.sleep(pause)

        def log(status: int, fault: str, caller: str, org_id: int = 0) -> None:
            # Each request is logged before its answer leaves, so a client that has its answer
            # always finds the request in the log.
            body = self.logged_body(request)
            self.server.faults.record(
                LoggedRequest(
                    request.method, request.path, request.query, body, caller, org_id, status, fault
                )
            )

        if "drop" in faults:
            log(0, "drop", self.fault_caller(request))
            self._drop()
            return
        if "status" in faults:
            fault = faults["status"]
            answer = self.injected(fault.status)
            if fault.retry_after:
                answer.headers["Retry-After"] = fault.retry_after
            log(fault.status, "status", self.fault_caller(request))
            self._send(answer)
            return
        handled = self.dispatch(request)
        if "after-hook" in faults and faults["after-hook"].hook is not None:
            # The request is done, its answer not yet sent: a colleague acts in between.
            faults["after-hook"].hook()
        if "drop-after" in faults:
            log(0, "drop-after", handled.caller, handled.org_id)
            self._drop()
            return
        log(handled.answer.status, "", handled.caller, handled.org_id)
        self._send(handled.answer)

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _drop(self) -> None:
        """Close the socket with no answer: the client sees the connection die mid-request."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def command_line(module: str, what: str, port: int) -> argparse.ArgumentParser:
    """The options every ``python -m pfm_dash.testing.<fake>`` shares: where to listen."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}",
        description=f"{what} on 127.0.0.1 (a test double: its tokens are not secrets). "
        f"Control endpoints under {CONTROL_PREFIX} (docs/push.md).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port, help="0 picks a free port")
    return parser


class LoopbackFake:
    """The object a test holds: start it, point a client at ``.url``, break it, look inside.

    Subclasses build their server in :meth:`make_server`; ``name`` is for messages.
    """

    name = "fake server"

    def __init__(self, host: str, port: int) -> None:
        self.faults = Faults()
        self._address = (host, port)
        self._server: LoopbackServer | None = None

    def make_server(self, address: tuple[str, int]) -> LoopbackServer:
        raise NotImplementedError

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        self._server = self.make_server(self._address)
        # A short poll interval: stop() returns in milliseconds, which keeps test suites fast.
        threading.Thread(
            target=self._server.serve_forever,
            args=(0.01,),
            name=self.name.replace(" ", "-"),
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve(self, banner: str) -> None:
        """Run in the foreground until Ctrl-C, as ``python -m`` does; ``{url}`` in the banner
        is replaced by the address actually bound (``--port 0`` picks one)."""
        self.start()
        print(banner.format(url=f"http://{self._address[0]}:{self.port}"))
        print(f"press Ctrl-C to stop (control endpoints: {self.url}{CONTROL_PREFIX})", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"the {self.name} is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- fault injection -------------------------------------------------------------------

    def fail_next(
        self,
        count: int,
        status: int = 503,
        *,
        path: str | None = None,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` (and ``Retry-After``)."""
        self.faults.arm(Fault("status", count, path, method, status, retry_after))

    def delay_next(
        self, count: int, seconds: float, *, path: str | None = None, method: str | None = None
    ) -> None:
        """Hold the next ``count`` matching requests for ``seconds`` (read timeouts)."""
        self.faults.arm(Fault("delay", count, path, method, delay=seconds))

    def drop_next(
        self,
        count: int,
        *,
        path: str | None = None,
        method: str | None = None,
        after_apply: bool = False,
    ) -> None:
        """Close the connection instead of answering; ``after_apply`` loses only the answer."""
        self.faults.arm(Fault("drop-after" if after_apply else "drop", count, path, method))

    def before_next(
        self, hook: Callable[[], object], *, path: str | None = None, method: str | None = None
    ) -> None:
        """Run ``hook`` just before the next matching request is handled (to stage races)."""
        self.faults.arm(Fault("hook", 1, path, method, hook=hook))

    def after_next(
        self, hook: Callable[[], object], *, path: str | None = None, method: str | None = None
    ) -> None:
        """Run ``hook`` once the next matching request is handled, before its answer leaves.

        The client then acts on an answer that is already stale: the window between a read and
        the write that follows it, made deterministic.
        """
        self.faults.arm(Fault("after-hook", 1, path, method, hook=hook))

    def set_latency(self, seconds: float) -> None:
        """Add ``seconds`` to every request."""
        self.faults.latency = seconds

    # --- inspection ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        with self.faults.lock:
            return list(self.faults.log)

    def writes(self) -> list[LoggedRequest]:
        """Requests that could change state (POST, PUT, DELETE)."""
        return [r for r in self.requests if r.is_write]

    def clear(self) -> None:
        """Forget the request log and disarm every fault; the stored objects stay."""
        self.faults.clear()

    def clear_log(self) -> None:
        """Forget the request log only; armed faults stay armed."""
        with self.faults.lock:
            self.faults.log.clear()
