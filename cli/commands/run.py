"""``alliance-sim run``: run a scenario; print the summary; write tables, figures, provenance."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import (
    add_debug,
    default_out,
    non_negative_int,
    positive_int,
    prepare_out_dir,
    progress,
)


def register(subparsers) -> None:
    """Add the ``run`` parser."""
    p = subparsers.add_parser("run", help="run a scenario and summarise it")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--variant", help="variant named in the scenario file (default: baseline)")
    p.add_argument("--steps", type=positive_int, help="horizon in steps (default: the file's)")
    p.add_argument("--seed", type=non_negative_int, help="root seed (default: the file's)")
    p.add_argument("--replications", type=positive_int, default=1, help="independent runs")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field, e.g. --set consensus.rule=qualified_majority (repeatable)",
    )
    p.add_argument(
        "--out", type=Path, help="output directory (default: results/<scenario>/<variant>)"
    )
    p.add_argument(
        "--window",
        type=positive_int,
        metavar="MONTHS",
        help="summary metrics are means over this final window (default: the file's, 12)",
    )
    p.add_argument("--no-plots", action="store_true", help="do not write figures")
    p.add_argument("--json", action="store_true", help="print the summary as JSON only")
    add_debug(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run a scenario; print the summary; write tables, figures and the resolved scenario."""
    from simulation.results import summary_json, write_run
    from simulation.runner import run
    from simulation.scenario import load_scenario, resolve

    overrides = list(args.overrides)
    if args.window is not None:
        overrides.append(f"metrics.summary_window_months={args.window}")
    scenario = resolve(load_scenario(args.scenario), args.variant, overrides)
    out = args.out or default_out(args.scenario, scenario.variant, args.overrides)
    prepare_out_dir(out)
    steps = args.steps or scenario.steps
    with progress(steps * args.replications, f"{args.scenario.name}") as tick:
        result = run(
            scenario, steps=steps, seed=args.seed, replications=args.replications, progress=tick
        )
    written = write_run(result, out)
    if not args.no_plots:
        written += write_figures(result, out)
    if args.json:
        sys.stdout.write(summary_json(result.summary))
    else:
        print(format_summary(result.summary))
        print(f"\nwrote {len(written)} files to {out}/")
    return 0


def write_figures(result, out: Path) -> list[Path]:
    """The run's overview figure (PNG and SVG) under ``out/figures``."""
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures import save_figure
    from analysis.plots import overview_figure

    fig = overview_figure(
        result.timeseries,
        ("cohesion", "mean_trust", "interoperability", "consensus_rate"),
        title=f"{result.scenario.name} [{result.scenario.variant}]",
    )
    return save_figure(fig, out / "figures" / "overview", result.summary["provenance"])


def format_summary(summary: dict) -> str:
    """The summary as an aligned two-column table for the terminal."""
    prov = summary["provenance"]
    lines = [f"{prov['scenario_file']}  variant={prov['variant']}  seed={prov['seed']}"]
    lines.append(f"steps={prov['steps']}  replications={len(summary.get('replications', [0]))}")
    if "summary_window_months" in prov:
        lines.append(
            f"levels: mean over the final {prov['summary_window_months']} months "
            f"({prov['summary_window_steps']} steps); <metric>_final: the last step"
        )
    lines.append("-" * 44)
    for key, value in summary.items():
        if key in ("provenance", "replications"):
            continue
        text = "n/a" if value is None else (f"{value:.4f}" if isinstance(value, float) else value)
        lines.append(f"{key:<28}{text:>16}")
    return "\n".join(lines)
