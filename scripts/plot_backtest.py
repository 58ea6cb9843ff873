"""Run the nato_2014 backtest and write its figure and table (simulated vs observed 2024 shares).

Runs ``scenarios/nato_2014.yaml`` over ``--seeds`` seeds (mean shares), compares the 2024 shares
with NATO's observed ones and the two naive forecasts (:mod:`analysis.backtest`), prints the
per-nation table and the summary errors as text, and writes ``docs/img/backtest_nato_2014.png``.

Usage::

    python scripts/plot_backtest.py [--seeds 5] [--out docs/img/backtest_nato_2014.png]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis import backtest as bt  # noqa: E402
from simulation.scenario import load_scenario  # noqa: E402

NATO = REPO / "scenarios" / "data" / "sources" / "nato_defence_expenditure_2014_2024.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--out", type=Path, default=REPO / "docs" / "img" / "backtest_nato_2014.png"
    )
    args = parser.parse_args(argv)
    scenario = load_scenario(REPO / "scenarios" / "nato_2014.yaml")
    observed = bt.observed_shares(NATO)
    sim = bt.mean_shares(scenario, range(1, args.seeds + 1), range(2014, 2025))
    panel = bt.panel_of(scenario, observed, 2024, ["MNE", "MKD", "FIN", "SWE"])
    table = bt.backtest_table(sim, observed, panel, 2014, 2024, 2.0)
    print(table.round(2).to_string())
    print()
    print(bt.summary_scores(table, 2024).round(3).to_string())
    fig, ax = plt.subplots(figsize=(6, 6))
    bt.plot_backtest(table, 2024, ax)
    ax.set_title(f"nato_2014 backtest: 2024 shares ({args.seeds} seeds, fitted on 2015-2019)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
