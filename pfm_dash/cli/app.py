"""The click group behind ``pfm-dash``: subcommands are imported on first use."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from pfm_dash import __version__
from pfm_dash.cli import COMMANDS, DESCRIPTION, available
from pfm_dash.errors import PfmDashError


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if available(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not available(entry[0]):
            return None
        command: click.Command = importlib.import_module(entry[0]).command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pfm-dash")
def cli() -> None:
    pass


cli.help = DESCRIPTION


def run(argv: list[str] | None = None) -> None:
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
