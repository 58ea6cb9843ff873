"""``alliance-sim sensitivity``: Sobol or Morris indices of a sweep's metrics (SALib)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import add_debug


def register(subparsers) -> None:
    """Add the ``sensitivity`` parser."""
    p = subparsers.add_parser("sensitivity", help="Sobol or Morris indices of a sweep store")
    p.add_argument("directory", type=Path, help="sweep store (the --out of alliance-sim sweep)")
    p.add_argument(
        "--method", choices=("sobol", "morris"), help="default: the sweep's design method"
    )
    p.add_argument(
        "--metric",
        action="append",
        default=[],
        help="summary metric (repeatable; default: cohesion and deterrence)",
    )
    p.add_argument("--out", type=Path, help="where to write tables and figures (default: DIR)")
    add_debug(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print each metric's indices and warnings; write a CSV table and a figure per metric."""
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures import save_figure
    from analysis.sensitivity import index_figure, indices
    from analysis.sweep_report import main_metrics
    from analysis.sweeps import load
    from simulation.results import write_text

    sweep = load(args.directory)
    method = args.method or sweep.method
    metrics = args.metric or main_metrics(sweep)
    out = (args.out or args.directory) / "sensitivity"
    for metric in metrics:
        table, warnings = indices(sweep, metric, method)
        print(f"{method} indices of {metric} ({len(sweep.design)} design points):")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        write_text(out / f"{method}_{metric}.csv", table.to_csv(index=False))
        save_figure(
            index_figure(table, method, metric), out / f"{method}_{metric}", sweep.provenance()
        )
        print()
    print(f"wrote tables and figures to {out}/")
    return 0
