"""Entry point of ``alliance-sim``: the parser, error handling and exit codes.

Bad input exits with code 2 and one message on stderr naming the file, the field and the fix;
``--debug`` shows the traceback instead. An interrupted command exits with 130 and leaves what it
had already written intact (files are written atomically, and only after a run completes).

The sub-commands are the modules of :mod:`cli.commands`, found by scanning the package: each
exposes ``register(subparsers)`` (adds its parser and sets ``handler``) and ``handle(args)``
(returns the exit code; raises :class:`~simulation.errors.ScenarioError` for bad input).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType

import cli.commands
from cli.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, print_error
from simulation.errors import ScenarioError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of the tool."""

    def error(self, message: str):  # type: ignore[override]
        """Print one line naming the problem and where to look, then exit with code 2."""
        self.exit(EXIT_BAD_INPUT, f"alliance-sim: error: {message} (see {self.prog} --help)\n")


def command_modules() -> list[ModuleType]:
    """The command modules of :mod:`cli.commands`, in help order (``ORDER``, then by name)."""
    names = [m.name for m in pkgutil.iter_modules(cli.commands.__path__) if not m.ispkg]
    order = cli.commands.ORDER
    names.sort(key=lambda n: (order.index(n) if n in order else len(order), n))
    return [importlib.import_module(f"cli.commands.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = _Parser(
        prog="alliance-sim",
        description="Agent-based simulation of alliance diplomacy: cohesion and deterrence.",
    )
    from simulation import __version__

    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--version", action="version", version=f"alliance-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``alliance-sim`` with ``argv`` (default: the process's); return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScenarioError as exc:
        if args.debug:
            raise
        print_error(exc)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print_interrupted()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


def print_interrupted() -> None:
    """Say on stderr that the command was interrupted and what was written is intact."""
    import sys

    print("alliance-sim: interrupted; files already written are intact", file=sys.stderr)
