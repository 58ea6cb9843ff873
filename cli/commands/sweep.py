"""``alliance-sim sweep``: run a sweep file into a resumable store, locally or on Dask."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.common import EXIT_INTERRUPTED, add_debug, positive_int


def register(subparsers) -> None:
    """Add the ``sweep`` parser."""
    p = subparsers.add_parser("sweep", help="run a batch sweep over a design (resumable)")
    p.add_argument("sweep", type=Path, help="sweep YAML file (see scenarios/sweeps/)")
    p.add_argument("--workers", type=positive_int, help="local worker processes (default: cores)")
    p.add_argument("--out", type=Path, help="store directory (default: results/sweeps/<file>)")
    p.add_argument("--resume", action="store_true", help="run only the runs missing from --out")
    p.add_argument(
        "--force",
        action="store_true",
        help="resume despite a changed sweep file or code; or start an existing store over",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask: tcp://HOST:PORT joins a cluster, local:N starts a local one",
    )
    p.add_argument(
        "--start-method",
        choices=("fork", "forkserver", "spawn"),
        help="start method of the local process pool (default: fork on Linux)",
    )
    p.add_argument("--json", action="store_true", help="print only the run counts as JSON")
    add_debug(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the sweep with a progress bar on a terminal; print the counts and the store."""
    from simulation.sweep import SweepInterrupted, load_sweep, run_sweep
    from simulation.sweep.engine import default_out

    spec = load_sweep(args.sweep)
    out = args.out or default_out(spec)
    bar = _Bar(enabled=sys.stderr.isatty() and not args.json, label=spec.name)
    try:
        outcome = run_sweep(
            spec,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            force=args.force,
            start_method=args.start_method,
            progress=bar.update,
            on_start=bar.start,
        )
    except SweepInterrupted as stop:
        bar.close()
        c = stop.outcome
        stored = c.skipped + c.completed + c.failed
        print(
            f"alliance-sim: interrupted; {stored} of {c.planned} runs are stored in {out}/. "
            f"Resume with: alliance-sim sweep {args.sweep} --out {out} --resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        bar.close()
    if args.json:
        sys.stdout.write(json.dumps(outcome.counts()) + "\n")
        return 0
    c = outcome
    print(
        f"sweep {spec.name}: {c.planned} runs planned, {c.completed} completed, {c.failed} failed, "
        f"{c.skipped} already stored -> {out}/"
    )
    if c.failed:
        print(f"{c.failed} runs failed; their errors are in the summary's error column")
    print(f"next: alliance-sim report {out}")
    return 0


class _Bar:
    """A tqdm bar over runs (rate and ETA) on an interactive stderr; nothing otherwise."""

    def __init__(self, enabled: bool, label: str):
        self.enabled, self.label, self.bar = enabled, label, None

    def start(self, planned: int, skipped: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=planned, initial=skipped, desc=self.label, unit="run", dynamic_ncols=True
            )

    def update(self, runs: int, failed: int) -> None:
        if self.bar is not None:
            self.bar.update(runs)
            if failed:
                self.bar.set_postfix(failed=failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
