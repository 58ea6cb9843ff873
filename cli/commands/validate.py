"""``alliance-sim validate``: check scenario files and every variant, without running them."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, add_debug, print_error
from simulation.errors import ScenarioError


def register(subparsers) -> None:
    """Add the ``validate`` parser."""
    v = subparsers.add_parser("validate", help="check scenario files and their variants")
    v.add_argument("files", type=Path, nargs="+", help="scenario YAML files")
    add_debug(v)
    v.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate each file (all variants); report every bad file, exit 2 if any."""
    from simulation.scenario import load_scenario, resolve, variant_names

    failed = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
            for name in variant_names(scenario):
                resolve(scenario, name)
        except ScenarioError as exc:
            if args.debug:
                raise
            failed += 1
            print_error(exc)
            continue
        n = len(scenario.nations)
        print(f"ok  {path}  ({n} nations, variants: {', '.join(variant_names(scenario))})")
    return EXIT_BAD_INPUT if failed else 0
