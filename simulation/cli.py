"""The ``alliance-sim`` command line.

Bad input exits with code 2 and one message on stderr naming the file, the field and the fix;
``--debug`` shows the traceback instead. An interrupted command exits with 130 and leaves what it
had already written intact (files are written atomically, and only after a run completes).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from simulation.errors import ScenarioError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    """Register a sub-command handler under ``name`` (the one registry of commands)."""

    def register(fn: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = fn
        return fn

    return register


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of the tool."""

    def error(self, message: str):  # type: ignore[override]
        """Print one line naming the problem and where to look, then exit with code 2."""
        self.exit(EXIT_BAD_INPUT, f"alliance-sim: error: {message} (see {self.prog} --help)\n")


MAX_SEED = 2**63 - 1


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_SEED}, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _name_list(text: str) -> list[str]:
    """Comma-separated names, blanks dropped (``compare`` checks them against the scenario)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _add_debug(sub: argparse.ArgumentParser) -> None:
    # Accepted after the command too; SUPPRESS keeps it from resetting a --debug given before.
    sub.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = _Parser(
        prog="alliance-sim",
        description="Agent-based simulation of alliance diplomacy: cohesion and deterrence.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario and summarise it")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--variant", help="variant named in the scenario file (default: baseline)")
    p.add_argument("--steps", type=_positive_int, help="horizon in steps (default: the file's)")
    p.add_argument("--seed", type=_non_negative_int, help="root seed (default: the file's)")
    p.add_argument("--replications", type=_positive_int, default=1, help="independent runs")
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
    p.add_argument("--no-plots", action="store_true", help="do not write figures")
    p.add_argument("--json", action="store_true", help="print the summary as JSON only")
    _add_debug(p)

    c = sub.add_parser("compare", help="run variants on the same seeds and pair their results")
    c.add_argument("scenario", type=Path, help="scenario YAML file")
    c.add_argument(
        "--variants",
        required=True,
        type=_name_list,
        metavar="A,B[,...]",
        help="variants to compare, comma-separated; the first is the reference",
    )
    c.add_argument(
        "--replications", type=_positive_int, default=10, help="runs per variant (default: 10)"
    )
    c.add_argument("--steps", type=_positive_int, help="horizon in steps (default: the file's)")
    c.add_argument("--seed", type=_non_negative_int, help="root seed (default: the file's)")
    c.add_argument(
        "--out", type=Path, help="output directory (default: results/<scenario>/compare-A-B...)"
    )
    c.add_argument("--no-plots", action="store_true", help="do not write figures")
    _add_debug(c)

    r = sub.add_parser("report", help="figures and a Markdown report from a run/compare directory")
    r.add_argument("directory", type=Path, help="output directory of run or compare")
    _add_debug(r)

    v = sub.add_parser("validate", help="check scenario files and their variants")
    v.add_argument("files", type=Path, nargs="+", help="scenario YAML files")
    _add_debug(v)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``alliance-sim``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ScenarioError as exc:
        if args.debug:
            raise
        print(f"alliance-sim: error: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("alliance-sim: interrupted; files already written are intact", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


# ------------------------------------------------------------------ commands
@command("validate")
def cmd_validate(args: argparse.Namespace) -> int:
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
            print(f"alliance-sim: error: {exc.message}", file=sys.stderr)
            continue
        n = len(scenario.nations)
        print(f"ok  {path}  ({n} nations, variants: {', '.join(variant_names(scenario))})")
    return EXIT_BAD_INPUT if failed else 0


@command("run")
def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario; print the summary; write tables, figures and the resolved scenario."""
    from simulation.results import summary_json, write_run
    from simulation.runner import run
    from simulation.scenario import load_scenario, resolve

    scenario = resolve(load_scenario(args.scenario), args.variant, args.overrides)
    out = args.out or default_out(args.scenario, scenario.variant, args.overrides)
    prepare_out_dir(out)
    steps = args.steps or scenario.steps
    with _progress(steps * args.replications, f"{args.scenario.name}") as tick:
        result = run(
            scenario, steps=steps, seed=args.seed, replications=args.replications, progress=tick
        )
    written = write_run(result, out)
    if not args.no_plots:
        written += _write_figures(result, out)
    if args.json:
        sys.stdout.write(summary_json(result.summary))
    else:
        print(format_summary(result.summary))
        print(f"\nwrote {len(written)} files to {out}/")
    return 0


@command("compare")
def cmd_compare(args: argparse.Namespace) -> int:
    """Run variants on shared seeds; print paired differences; write tables, JSON, figures."""
    from analysis.tables import format_differences
    from simulation.compare import check_variants, compare, write_comparison
    from simulation.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    variants = check_variants(scenario, args.variants)
    out = args.out or Path("results") / args.scenario.stem / "-".join(["compare", *variants])
    prepare_out_dir(out)
    steps = args.steps or scenario.steps
    with _progress(steps * args.replications * len(variants), f"{args.scenario.name}") as tick:
        result = compare(
            scenario,
            variants,
            replications=args.replications,
            seed=args.seed,
            steps=steps,
            progress=tick,
        )
    written = write_comparison(result, out)
    if not args.no_plots:
        from analysis.report import load_results, write_figures

        written += [p for fig in write_figures(load_results(out)) for p in fig.paths]
    prov = result.provenance
    print(
        f"{args.scenario}: {len(result.seeds)} replications per variant on the same seeds "
        f"(root seed {prov['seed']}), {result.steps} steps\n"
    )
    print(format_differences(result.differences, result.confidence))
    print(f"\nwrote {len(written)} files to {out}/")
    return 0


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    """Write figures and report.md for a run or compare output directory."""
    from analysis.report import write_report

    path, figures = write_report(args.directory)
    print(f"wrote {path} and {len(figures)} figures (PNG and SVG) to {path.parent / 'figures'}/")
    return 0


def default_out(scenario_file: Path, variant: str, overrides: list[str]) -> Path:
    """``results/<scenario>/<variant>``, with a short hash of any ``--set`` overrides."""
    name = variant
    if overrides:
        import hashlib

        name += "-set-" + hashlib.sha256("\n".join(overrides).encode()).hexdigest()[:8]
    return Path("results") / scenario_file.stem / name


def prepare_out_dir(out: Path) -> None:
    """Create the output directory before any work, so a bad ``--out`` fails at once."""
    if out.exists() and not out.is_dir():
        raise ScenarioError(
            f"{out} exists and is not a directory", field="--out", hint="give a directory path"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError(f"cannot create {out} ({exc.strerror})", field="--out") from None
    if not os.access(out, os.W_OK):
        raise ScenarioError(f"cannot write to {out}", field="--out", hint="check permissions")


def _write_figures(result, out: Path) -> list[Path]:
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
    lines.append("-" * 44)
    for key, value in summary.items():
        if key in ("provenance", "replications"):
            continue
        text = "n/a" if value is None else (f"{value:.4f}" if isinstance(value, float) else value)
        lines.append(f"{key:<28}{text:>16}")
    return "\n".join(lines)


class _progress:
    """A tqdm bar on an interactive terminal (stderr); silent when piped."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.bar = total, label, None

    def __enter__(self):
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, desc=self.label, unit="step", leave=False)

        def tick(_: int) -> None:
            if self.bar is not None:
                self.bar.update(1)

        return tick

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
