"""The ``pfm-dash`` command. Each subcommand lives in its own module, imported only when run.

Keeping subcommands lazy is what makes ``pfm-dash --help`` fast: it lists them from the table
below without importing grafanalib, requests or the model.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from pfm_dash import __version__
from pfm_dash.errors import PfmDashError

# name -> (module, one-line help). The module defines a click command named ``command``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("pfm_dash.cli.build", "Compile dashboards/ and alerts/ into build/."),
    "push": ("pfm_dash.cli.push", "Ship the dashboards to Grafana, never losing a UI edit."),
    "check": ("pfm_dash.cli.check", "Check queries, metrics, labels, alert and dashboard rules."),
    "check-rules": ("pfm_dash.cli.check_rules", "Lint any Prometheus rule files or folders."),
    "verify": ("pfm_dash.cli.verify", "Prove every alert fires and reaches its team, for real."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        command: click.Command = importlib.import_module(entry[0]).command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    """Whether a command module is present, without importing it."""
    from importlib.util import find_spec

    return find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pfm-dash")
def cli() -> None:
    """Monitoring as typed Python: one source for Grafana dashboards, Prometheus rules and
    their tests, and Alertmanager routing.

    Declarations live in dashboards/ and alerts/ (see [tool.pfm-dash] in pyproject.toml);
    generated files go to build/, which is committed and kept fresh.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes end in a message and an exit code, never a traceback.

    A command may return an int, which becomes the exit code.
    """
    try:
        rv: Any = cli.main(args=argv, prog_name="pfm-dash", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PfmDashError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(rv if isinstance(rv, int) else 0)
