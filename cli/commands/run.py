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
    replications_count,
    steps_count,
)


def register(subparsers) -> None:
    """Add the ``run`` parser."""
    p = subparsers.add_parser("run", help="run a scenario and summarise it")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--variant", help="variant named in the scenario file (default: baseline)")
    p.add_argument("--steps", type=steps_count, help="horizon in steps (default: the file's)")
    p.add_argument("--seed", type=non_negative_int, help="root seed (default: the file's)")
    p.add_argument("--replications", type=replications_count, default=1, help="independent runs")
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
    out = (
        args.out
        if args.out is not None
        else default_out(args.scenario, scenario.variant, args.overrides)
    )
    steps = args.steps or scenario.steps
    with prepare_out_dir(out):
        with progress(steps * args.replications, f"{args.scenario.name}") as tick:
            result = run(
                scenario, steps=steps, seed=args.seed, replications=args.replications, progress=tick
            )
        figures = None if args.no_plots else (lambda stage: write_figures(result, stage))
        written = write_run(result, out, extra=figures)
    if args.json:
        sys.stdout.write(summary_json(result.summary))
    else:
        print(format_summary(result.summary))
        print(f"\nwrote {len(written)} files to {out}/")
    return 0


def write_figures(result, out: Path) -> list[Path]:
    """The run's overview figure (PNG and SVG) under ``out/figures``."""
    from analysis.figures import write_run_figures

    return write_run_figures(result, out)


def format_summary(summary: dict) -> str:
    """The summary as an aligned table for the terminal.

    One run: each key and its value. Replications: each key's mean, standard deviation and the
    95% t interval of the mean over the runs.
    """
    prov = summary["provenance"]
    runs = summary.get("replications")
    lines = [f"{prov['scenario_file']}  variant={prov['variant']}  seed={prov['seed']}"]
    lines.append(f"steps={prov['steps']}  replications={len(runs or [0])}")
    if "summary_window_months" in prov:
        lines.append(
            f"levels: mean over the final {prov['summary_window_months']} months "
            f"({prov['summary_window_steps']} steps); <metric>_final: the last step"
        )
    if runs:
        from simulation.statistics import replication_summary

        table = replication_summary(runs)
        lines.append("-" * 76)
        lines.append(f"{'metric':<28}{'mean':>12}{'sd':>12}  {'95% CI of the mean':<22}")
        for row in table.itertuples(index=False):
            ci = "n/a" if row.ci_low != row.ci_low else f"[{row.ci_low:.4f}, {row.ci_high:.4f}]"
            sd = "n/a" if row.sd != row.sd else f"{row.sd:.4f}"
            mean = "n/a" if row.mean != row.mean else f"{row.mean:.4f}"
            lines.append(f"{row.metric:<28}{mean:>12}{sd:>12}  {ci:<22}")
        return "\n".join(lines)
    lines.append("-" * 44)
    for key, value in summary.items():
        if key in ("provenance", "replications"):
            continue
        text = "n/a" if value is None else (f"{value:.4f}" if isinstance(value, float) else value)
        lines.append(f"{key:<28}{text:>16}")
    return "\n".join(lines)
