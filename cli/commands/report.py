"""``alliance-sim report``: figures and a Markdown report from a run or compare directory."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import add_debug


def register(subparsers) -> None:
    """Add the ``report`` parser."""
    r = subparsers.add_parser(
        "report", help="figures and a Markdown report from a run/compare directory"
    )
    r.add_argument("directory", type=Path, help="output directory of run or compare")
    r.add_argument("--pdf", action="store_true", help="also write each figure as PDF")
    add_debug(r)
    r.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Write figures and report.md for a run or compare output directory."""
    from analysis.report import write_report

    formats = ("png", "svg", "pdf") if args.pdf else ("png", "svg")
    path, figures = write_report(args.directory, formats=formats)
    kinds = " and ".join(f.upper() for f in formats).replace(" and ", ", ", len(formats) - 2)
    print(f"wrote {path} and {len(figures)} figures ({kinds}) to {path.parent / 'figures'}/")
    return 0
