"""Fit the burden-sharing parameters of ``nato_2014`` to NATO's 2015-2019 shares (grid search).

Fitted (and only these): ``burden.adjustment_per_year`` (how fast budgets close the gap to
their target), ``burden.threat_sensitivity`` (how much demand rises with threat), the
``burden.pledge_pressure`` set by the Wales pledge entry of the timeline and the adversary's
``aggression`` set by the Crimea entry. Data: NATO's Table 3 shares of 2015-2019 (the years the
2014 budgets and shocks act on); loss: the mean absolute error in percentage points over every
Ally-year of 2015-2019 (Allies of the year with armed forces), averaged over ``--seeds`` runs
from seed 2014 (common random numbers across the grid). Nothing from 2020-2024 is read: those
years are the backtest's out-of-sample test.

Writes ``scenarios/data/nato_2014_calibration.csv`` (best value of each parameter and the grid
searched), then run ``scripts/build_nato_2014.py``. Deterministic given the grid and seeds.

Usage::

    python scripts/calibrate_burden.py [--seeds 2] [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis import backtest as bt  # noqa: E402
from simulation.scenario import load_scenario, resolve  # noqa: E402

NATO = REPO / "scenarios" / "data" / "sources" / "nato_defence_expenditure_2014_2024.csv"
OUT = REPO / "scenarios" / "data" / "nato_2014_calibration.csv"
FIT_YEARS = range(2015, 2020)
JOINED = {2017: "MNE"}  # Montenegro's first year as an Ally inside the window is 2018
GRID = {
    "adjustment_per_year": (0.1, 0.2, 0.3, 0.5),
    "threat_sensitivity": (0.75, 1.5, 3.0),
    "pledge_pressure": (0.05, 0.15, 0.3),
    "crimea_aggression": (0.45, 0.6, 0.9),
}
QUICK = {k: v[:2] for k, v in GRID.items()}


def overrides(params: dict[str, float], base) -> list[str]:
    """``--set`` strings for one grid point: burden fields and the two timeline entries."""
    timeline = []
    for entry in base.timeline:
        item = {"date": entry.date, "label": entry.label, "set": dict(entry.set)}
        if "burden.pledge_pressure" in item["set"]:
            item["set"]["burden.pledge_pressure"] = params["pledge_pressure"]
        if entry.label == "annexation of Crimea":
            item["set"]["adversary.aggression"] = params["crimea_aggression"]
        timeline.append(item)
    return [
        f"burden.adjustment_per_year={params['adjustment_per_year']}",
        f"burden.threat_sensitivity={params['threat_sensitivity']}",
        f"timeline={timeline!r}".replace("'", '"'),
    ]


def loss(scenario, observed, seeds) -> float:
    """Mean absolute error over Ally-years of the fit window."""
    sim = bt.mean_shares(scenario, seeds, [2014, *FIT_YEARS])
    errors = []
    for year in FIT_YEARS:
        joined = [iso for y, iso in JOINED.items() if y < year]
        panel = bt.panel_of(scenario, observed, year, joined)
        errors += list((sim.loc[panel, year] - observed.loc[panel, year]).abs())
    return float(np.mean(errors))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2, help="runs per grid point")
    parser.add_argument("--quick", action="store_true", help="a 2x2x2x2 grid (a smoke test)")
    args = parser.parse_args(argv)
    grid = QUICK if args.quick else GRID
    base = load_scenario(REPO / "scenarios" / "nato_2014.yaml")
    observed = bt.observed_shares(NATO)
    seeds = [2014 + k for k in range(args.seeds)]
    results = []
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values, strict=True))
        scenario = resolve(base, overrides=overrides(params, base))
        results.append((loss(scenario, observed, seeds), params))
        print(f"{results[-1][0]:.4f}  {params}", flush=True)
    best_loss, best = min(results, key=lambda r: r[0])
    lines = [
        "# nato_2014_calibration.csv: burden-sharing parameters of scenarios/nato_2014.yaml",
        "# fitted by scripts/calibrate_burden.py on NATO's 2015-2019 shares only (grid search,",
        f"# {len(results)} points, seeds {seeds}; best MAE {best_loss:.4f} percentage points",
        "# over Ally-years 2015-2019). Written by that script; do not edit.",
        "parameter,value,grid",
        *[f"{k},{best[k]},{' '.join(map(str, grid[k]))}" for k in grid],
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"best {best_loss:.4f} {best}; wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
