"""``alliance-sim compare``: variants on the same seeds, with paired differences."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import (
    add_debug,
    name_list,
    non_negative_int,
    positive_int,
    prepare_out_dir,
    progress,
    replications_count,
    results_subdir,
    steps_count,
)


def register(subparsers) -> None:
    """Add the ``compare`` parser."""
    c = subparsers.add_parser(
        "compare", help="run variants on the same seeds and pair their results"
    )
    c.add_argument("scenario", type=Path, help="scenario YAML file")
    c.add_argument(
        "--variants",
        required=True,
        type=name_list,
        metavar="A,B[,...]",
        help="variants to compare, comma-separated; the first is the reference",
    )
    c.add_argument(
        "--replications", type=replications_count, default=10, help="runs per variant (default: 10)"
    )
    c.add_argument("--steps", type=steps_count, help="horizon in steps (default: the file's)")
    c.add_argument("--seed", type=non_negative_int, help="root seed (default: the file's)")
    c.add_argument(
        "--out", type=Path, help="output directory (default: results/<scenario>/compare-A-B...)"
    )
    c.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field in every variant, e.g. --set crises.enabled=false (repeatable)",
    )
    c.add_argument(
        "--window",
        type=positive_int,
        metavar="MONTHS",
        help="summary metrics are means over this final window (default: the file's, 12)",
    )
    c.add_argument("--no-plots", action="store_true", help="do not write figures")
    add_debug(c)
    c.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run variants on shared seeds; print paired differences; write tables, JSON, figures."""
    from analysis.report import comparison_figures
    from analysis.tables import format_differences
    from simulation.experiment import check_variants, compare, write_comparison
    from simulation.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    variants = check_variants(scenario, args.variants)
    if args.out is not None:
        out = args.out
    else:
        out = results_subdir(args.scenario, "-".join(["compare", *variants]))
    steps = args.steps or scenario.steps
    with prepare_out_dir(out):
        with progress(steps * args.replications * len(variants), args.scenario.name) as tick:
            result = compare(
                scenario,
                variants,
                replications=args.replications,
                seed=args.seed,
                steps=steps,
                progress=tick,
                overrides=args.overrides,
                window_months=args.window,
            )
        figures = None if args.no_plots else comparison_figures
        written = write_comparison(result, out, extra=figures)
    prov = result.provenance
    print(
        f"{args.scenario}: {len(result.seeds)} replications per variant on the same seeds "
        f"(root seed {prov['seed']}), {result.steps} steps\n"
    )
    print(format_differences(result.differences, result.confidence))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"\nwrote {len(written)} files to {out}/")
    return 0
