"""``alliance-sim validate``: check scenario files (all variants) and sweep files, without runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, add_debug, print_error
from simulation.errors import ScenarioError


def register(subparsers) -> None:
    """Add the ``validate`` parser."""
    v = subparsers.add_parser(
        "validate", help="check scenario files (and variants) and sweep files"
    )
    v.add_argument("files", type=Path, nargs="+", help="scenario or sweep YAML files")
    add_debug(v)
    v.set_defaults(handler=handle)


def is_sweep_file(path: Path) -> bool:
    """Whether ``path`` reads as a sweep file (a mapping with ``design`` and ``parameters``)."""
    from simulation.scenario import read_yaml

    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return False  # reported by the scenario loader
    return isinstance(data, dict) and "design" in data and "parameters" in data


def handle(args: argparse.Namespace) -> int:
    """Validate each file (all variants); report every bad file, exit 2 if any."""
    from simulation.scenario import load_scenario, resolve, variant_names

    failed = 0
    for path in args.files:
        try:
            if is_sweep_file(path):
                from simulation.sweep import load_sweep
                from simulation.sweep.designs import planned_points

                spec = load_sweep(path)
                runs = planned_points(spec) * spec.replications
                print(f"ok  {path}  (sweep: {spec.method} design, {runs} runs)")
                continue
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
