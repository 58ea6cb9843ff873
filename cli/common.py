"""What the commands share: argument types, ``--debug``, exit codes, progress, output folders."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from simulation.errors import ScenarioError, shown
from simulation.limits import MAX_INT_DIGITS, MAX_REPLICATIONS, MAX_SEED, MAX_STEPS

EXIT_BAD_INPUT = 2
"""Exit code for bad input (a scenario, variant, override, output directory or argument)."""

EXIT_ENVIRONMENT = 1
"""Exit code for a fault of the environment (a full disk, a closed pipe, an I/O error)."""

EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells report it."""


def _whole_number(text: str, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi``, or an argparse error naming the bounds."""
    value = None
    if len(text.strip()) <= MAX_INT_DIGITS:  # no int() of a 10,000-digit argument
        with contextlib.suppress(ValueError):
            value = int(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {shown(text)}")
    if not lo <= value <= hi:
        raise argparse.ArgumentTypeError(f"must be from {lo} to {hi}, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """A root seed: a whole number from 0 to ``MAX_SEED``, the bounds of the file's ``seed``."""
    return _whole_number(text, 0, MAX_SEED)


def steps_count(text: str) -> int:
    """A horizon: from 1 to ``MAX_STEPS``, the bounds of the file's ``steps``."""
    return _whole_number(text, 1, MAX_STEPS)


def positive_int(text: str) -> int:
    """A whole number from 1 to ``MAX_SEED``; counts use the bounded types below instead."""
    return _whole_number(text, 1, MAX_SEED)


def replications_count(text: str) -> int:
    """A number of replications: from 1 to ``MAX_REPLICATIONS``."""
    return _whole_number(text, 1, MAX_REPLICATIONS)


def name_list(text: str) -> list[str]:
    """Comma-separated names, blanks dropped (``compare`` checks them against the scenario)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def add_debug(parser: argparse.ArgumentParser) -> None:
    """Accept ``--debug`` after the command too (it is also a global option)."""
    # SUPPRESS keeps it from resetting a --debug given before the command.
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


RESULTS = Path("results")
"""Where default output directories go, relative to the working directory."""


def default_out(scenario_file: Path, variant: str, overrides: list[str]) -> Path:
    """``results/<scenario>/<variant>``, with a short hash of any ``--set`` overrides.

    Raises :class:`ScenarioError` when the scenario's file name gives no folder name inside
    ``results/`` (``...yaml`` has the stem ``..``).
    """
    name = variant
    if overrides:
        name += "-set-" + hashlib.sha256("\n".join(overrides).encode()).hexdigest()[:8]
    return results_subdir(scenario_file, name)


def results_subdir(scenario_file: Path, name: str) -> Path:
    """``results/<scenario stem>/<name>``, refused unless it stays inside ``results/``."""
    stem = scenario_file.stem
    out = RESULTS / stem / name
    inside = os.path.normpath(out).startswith(str(RESULTS) + os.sep) and stem not in ("", ".", "..")
    if not inside or len(Path(os.path.normpath(out)).parts) != 3:
        raise ScenarioError(
            f"the file name {scenario_file.name!r} gives no folder name inside {RESULTS}/",
            field="--out",
            hint="rename the scenario file or give --out",
        )
    return out


def prepare_out_dir(out: Path) -> contextlib.AbstractContextManager[Path]:
    """Check the output directory before any work and hold its writer's lock: ``with`` it.

    A bad ``--out`` (empty, too long, a file, a folder alliance-sim did not write, an
    unwritable parent) or one another run is writing fails at once, before the simulation.
    """
    from simulation.resultdir import reserved

    return reserved(out)


def print_error(exc: ScenarioError) -> None:
    """The one-line message of an input error, on stderr."""
    print(f"alliance-sim: error: {exc.message}", file=sys.stderr)


@contextlib.contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A tqdm bar on an interactive terminal (stderr), silent when piped; yields ``tick(step)``."""
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, desc=label, unit="step", leave=False)

    def tick(_: int) -> None:
        if bar is not None:
            bar.update(1)

    try:
        yield tick
    finally:
        if bar is not None:
            bar.close()
