"""``alliance-sim report``: figures and a Markdown report from a run or compare directory."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from cli.common import add_debug


def register(subparsers) -> None:
    """Add the ``report`` parser."""
    r = subparsers.add_parser("report", help="figures and a Markdown report of a run/compare/sweep")
    r.add_argument("directory", type=Path, help="output directory of run, compare or sweep")
    r.add_argument("--pdf", action="store_true", help="also write each figure as PDF")
    add_debug(r)
    r.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Write figures and report.md for a run, compare or sweep output directory."""
    from simulation.sweep.store import is_store

    if is_store(args.directory):
        from analysis.sweep_report import write_sweep_report

        path, figures = write_sweep_report(args.directory)
        print(f"wrote {path} and {len(figures)} figure files to {path.parent / 'figures'}/")
        return 0
    from analysis.report import write_report
    from simulation.resultdir import MANIFEST, locked

    formats = ("png", "svg", "pdf") if args.pdf else ("png", "svg")
    kinds = " and ".join(f.upper() for f in formats).replace(" and ", ", ", len(formats) - 2)

    directory = Path(os.path.abspath(args.directory))
    if not (directory / MANIFEST).is_file():
        path, figures = write_report(args.directory, formats=formats)  # raises the one-line error
    else:
        with locked(directory, field="DIR"):  # no run swaps the directory while we write
            path, figures = write_report(args.directory, formats=formats)
    print(f"wrote {path} and {len(figures)} figures ({kinds}) to {path.parent / 'figures'}/")
    return 0
