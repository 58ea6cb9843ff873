"""The burden-sharing backtest: simulated against observed defence shares, 2014-2024.

* :func:`observed_shares`: NATO's shares (% of GDP, Table 3) as a nation x year table.
* :func:`simulate_shares`: a scenario's shares in each calendar year (the share a nation holds
  during year ``Y`` is the one set at the end of ``Y - 1``, step ``12 (Y - start_year)``).
* :func:`naive_forecasts`: the two benchmarks of the issue: no change from the base year, and
  every nation at ``max(base share, pledge)``.
* :func:`score`: per-nation mean absolute error (percentage points) and Spearman correlation of
  a forecast with the observed shares of one year.
* :func:`backtest_table`: per nation, base-year and observed shares, the model's and both naive
  forecasts.
* :func:`plot_backtest`: simulated against observed shares per nation, on a given ``ax``.

The panel is the nations that are Allies with armed forces in the scored year (Iceland, with no
forces, is left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.metrics import spearman
from simulation.schema import Scenario


def observed_shares(path: str | Path) -> pd.DataFrame:
    """NATO's defence shares (% of GDP) from the NATO table: index iso3, one column per year."""
    table = pd.read_csv(path)
    table = table[table["is_aggregate"] == 0]
    return table.pivot(index="iso3", columns="year", values="defexp_share_gdp_pct")


def simulate_shares(scenario: Scenario, seed: int, years: Iterable[int]) -> pd.DataFrame:
    """Defence shares (% of GDP) per nation in each calendar year of ``years``, one run."""
    from simulation.model import AllianceModel

    years = sorted(years)
    steps = {12 * (y - scenario.start_year) // scenario.step_months: y for y in years}
    model = AllianceModel(scenario, seed=seed)
    out = {}
    if 0 in steps:
        out[steps[0]] = model.state.defence_share * 100.0
    while model.steps < max(steps):
        model.step()
        if model.steps in steps:
            out[steps[model.steps]] = model.state.defence_share * 100.0
    return pd.DataFrame(out, index=pd.Index(model.state.iso3, name="iso3"))[years]


def mean_shares(scenario: Scenario, seeds: Iterable[int], years: Iterable[int]) -> pd.DataFrame:
    """:func:`simulate_shares` averaged over several seeds."""
    frames = [simulate_shares(scenario, s, years) for s in seeds]
    return sum(frames) / len(frames)


def naive_forecasts(observed: pd.DataFrame, base_year: int, pledge_pct: float) -> pd.DataFrame:
    """``no_change`` (the base year's share) and ``pledge_floor`` (max(base share, pledge))."""
    base = observed[base_year]
    return pd.DataFrame({"no_change": base, "pledge_floor": np.maximum(base, pledge_pct)})


def score(forecast: pd.Series, observed: pd.Series) -> dict[str, float]:
    """Mean absolute error (percentage points) and Spearman rho over nations with both values."""
    both = pd.concat([forecast, observed], axis=1, join="inner").dropna()
    err = (both.iloc[:, 0] - both.iloc[:, 1]).abs()
    return {
        "mae": float(err.mean()),
        "spearman": spearman(both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()),
        "n": len(both),
    }


def backtest_table(
    simulated: pd.DataFrame,
    observed: pd.DataFrame,
    panel: Iterable[str],
    base_year: int,
    year: int,
    pledge_pct: float,
) -> pd.DataFrame:
    """Per nation of ``panel``: base-year share, observed, model and naive forecasts of ``year``."""
    panel = list(panel)
    naive = naive_forecasts(observed, base_year, pledge_pct)
    table = pd.DataFrame(
        {
            f"observed_{base_year}": observed.loc[panel, base_year],
            f"observed_{year}": observed.loc[panel, year],
            f"model_{year}": simulated.loc[panel, year],
            "naive_no_change": naive.loc[panel, "no_change"],
            "naive_pledge_floor": naive.loc[panel, "pledge_floor"],
        }
    )
    table.index.name = "iso3"
    return table


def summary_scores(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """MAE and Spearman of the model and both naive forecasts against the observed ``year``."""
    obs = table[f"observed_{year}"]
    rows = {
        name: score(table[col], obs)
        for name, col in (
            ("model", f"model_{year}"),
            ("naive_no_change", "naive_no_change"),
            ("naive_pledge_floor", "naive_pledge_floor"),
        )
    }
    return pd.DataFrame(rows).T


def panel_of(scenario: Scenario, observed: pd.DataFrame, year: int, joined: Iterable[str]) -> list:
    """Allies with armed forces in ``year``: initial members plus ``joined``, with data."""
    members = [n.iso3 for n in scenario.nations if n.role == "member"] + list(joined)
    return [iso for iso in members if iso in observed.index and observed.loc[iso, year] > 0]


def plot_backtest(table: pd.DataFrame, year: int, ax) -> None:
    """Observed against simulated shares of ``year`` per nation, with the 1:1 line."""
    obs, sim = table[f"observed_{year}"], table[f"model_{year}"]
    ax.scatter(obs, sim, s=18, color="#0072B2", label="model", zorder=3)
    ax.scatter(
        obs,
        table["naive_pledge_floor"],
        s=12,
        marker="x",
        color="#999999",
        label="naive: max(2014, 2%)",
        zorder=2,
    )
    for iso in table.index:
        ax.annotate(
            iso, (obs[iso], sim[iso]), fontsize=6, xytext=(2, 2), textcoords="offset points"
        )
    hi = float(np.nanmax([obs.max(), sim.max()])) * 1.08
    ax.plot([0, hi], [0, hi], color="black", lw=0.8, ls="--", label="1:1")
    ax.set_xlim(0, hi)
    ax.set_ylim(0, hi)
    ax.set_xlabel(f"observed {year} share of GDP (%)")
    ax.set_ylabel(f"simulated {year} share of GDP (%)")
    ax.legend(fontsize=7, loc="upper left")
