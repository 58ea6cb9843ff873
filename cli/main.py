"""Entry point of ``alliance-sim``: the parser, error handling and exit codes.

Bad input exits with code 2 and one message on stderr naming the file, the field and the fix;
a fault of the environment (a full disk, a closed pipe, an I/O error) exits with code 1 and one
line, leaving previous results intact; ``--debug`` shows the traceback instead. An interrupted
command exits with 130 and leaves the previous results or the new ones, never a mix (results
directories are written whole, see :mod:`simulation.resultdir`).

The sub-commands are the modules of :mod:`cli.commands`, found by scanning the package: each
exposes ``register(subparsers)`` (adds its parser and sets ``handler``) and ``handle(args)``
(returns the exit code; raises :class:`~simulation.errors.ScenarioError` for bad input).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

import cli.commands
from cli.common import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERRUPTED, print_error
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
        code = args.handler(args)
        sys.stdout.flush()  # a full disk or closed pipe on stdout shows here, not at exit
        return code
    except ScenarioError as exc:
        if args.debug:
            raise
        print_error(exc)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print_interrupted()
        return EXIT_INTERRUPTED
    except OSError as exc:  # the environment: a full disk, a closed pipe, an I/O error
        if args.debug:
            raise
        print_environment_error(exc)
        return EXIT_ENVIRONMENT


def print_environment_error(exc: OSError) -> None:
    """One line for a fault of the environment; stdout is silenced so exit adds nothing."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    where = f" ({exc.filename})" if exc.filename else ""
    reason = exc.strerror or type(exc).__name__
    with contextlib.suppress(OSError, ValueError):
        print(
            f"alliance-sim: error: {reason}{where} (a fault of the system, not of the input); "
            "results already in place are intact",
            file=sys.stderr,
        )


def print_interrupted() -> None:
    """Say on stderr that the command was interrupted and what was written is intact."""
    print("alliance-sim: interrupted; files already written are intact", file=sys.stderr)
