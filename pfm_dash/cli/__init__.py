"""The ``pfm-dash`` command. Each subcommand lives in its own module, imported only when run.

``pfm-dash --help``, ``--version`` and a build with nothing to do are answered here without
importing click, grafanalib, requests or the model, and a build runs without click: they are
what people type most, and should be instant. Everything else goes to the click group in
:mod:`pfm_dash.cli.app`.
"""

from __future__ import annotations

import gc
import os
import sys

from pfm_dash import __version__

# name -> (module, one-line help). The module defines a click command named ``command``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("pfm_dash.cli.build", "Compile dashboards/ and alerts/ into build/."),
    "push": ("pfm_dash.cli.push", "Ship the dashboards to Grafana, never losing a UI edit."),
    "check": ("pfm_dash.cli.check", "Check queries, metrics, labels, alert and dashboard rules."),
    "check-rules": ("pfm_dash.cli.check_rules", "Lint any Prometheus rule files or folders."),
    "verify": ("pfm_dash.cli.verify", "Prove every alert fires and reaches its team, for real."),
    "diff": ("pfm_dash.cli.diff", "Say what a change does to dashboards, alerts and routing."),
    "preview": ("pfm_dash.cli.preview", "Draw the dashboards as pictures, marked against a base."),
    "import": ("pfm_dash.cli.import_cmd", "Bring dashboards and rule files in as Python modules."),
    "init": ("pfm_dash.cli.init", "Scaffold a new monitoring project in a folder."),
}

DESCRIPTION = """Monitoring as typed Python: one source for Grafana dashboards, Prometheus
rules and their tests, and Alertmanager routing.

Declarations live in dashboards/ and alerts/ (see [tool.pfm-dash] in pyproject.toml);
generated files go to build/, which is committed and kept fresh."""


def available(module: str) -> bool:
    """Whether a command module is present, without importing it."""
    from importlib.util import find_spec

    return find_spec(module) is not None


def fast_help(width: int = 80) -> str:
    """The group's help, laid out as click lays it out (a test keeps the two identical)."""
    import textwrap

    paragraphs = [
        textwrap.fill(" ".join(p.split()), width - 2, initial_indent="  ", subsequent_indent="  ")
        for p in DESCRIPTION.split("\n\n")
    ]
    names = [n for n, (module, _) in COMMANDS.items() if available(module)]
    pad = max(len(n) for n in names)
    commands = [f"  {n:<{pad}}  {COMMANDS[n][1]}" for n in names]
    return "\n".join(
        [
            "Usage: pfm-dash [OPTIONS] COMMAND [ARGS]...",
            "",
            "\n\n".join(paragraphs),
            "",
            "Options:",
            "  --version   Show the version and exit.",
            "  -h, --help  Show this message and exit.",
            "",
            "Commands:",
            *commands,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Run one ``pfm-dash`` command; ends in ``SystemExit`` with its exit code."""
    # A command's objects (the model, the project, what it compiles) live until it ends, so
    # the cyclic GC's passes over them find nothing to free: at the default threshold they
    # were a twentieth of a build. mypy runs its builds with the same setting (mypy/build.py).
    gc.set_threshold(200_000, 30, 30)
    args = sys.argv[1:] if argv is None else argv
    if args in (["--help"], ["-h"]):
        print(fast_help())
        sys.exit(0)
    if args == ["--version"]:
        print(f"pfm-dash, version {__version__}")
        sys.exit(0)
    if args[:1] == ["build"] and set(args[1:]) <= {"--check", "--no-cache"}:
        from pfm_dash.cli.build_run import run as build

        build(check="--check" in args, no_cache="--no-cache" in args)
    from pfm_dash.cli.app import run

    run(args)


def console() -> None:
    """The ``pfm-dash`` console script: :func:`main`, then exit without tearing down.

    Once a command has finished, freeing every object and module one by one is work nobody
    waits for: it was a tenth of a build. Like mypy's ``hard_exit`` (mypy/util.py), this
    flushes the output and ends the process at once. It does so only when no other thread
    is running; otherwise Python's own exit joins them as usual.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): Python prints it and exits with 1
            print(exc.code, file=sys.stderr)
            code = 1
    except BrokenPipeError:
        # Whoever read the output stopped reading (pfm-dash ... | head): no traceback, and
        # exit 1, as Python's signal module documentation advises for SIGPIPE.
        os._exit(1)
    threading = sys.modules.get("threading")  # never imported: no other thread was started
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (pfm-dash ... | head): what was written is all there is
        pass
    os._exit(code)
