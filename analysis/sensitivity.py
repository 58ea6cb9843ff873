"""Sensitivity indices of a sweep's metric with SALib: Sobol (S1, ST) and Morris (mu*, sigma).

Indices are computed over each design point's mean over its replications (SALib has no notion of
replications; averaging them removes most of the model's own noise from the variance it splits).
The sweep must have used the matching design (``sobol`` or ``morris``), whose sample order SALib's
analysers expect. Small samples give unstable indices: negative first-order indices or confidence
intervals wider than ``WIDE_CI`` are reported as warnings, with the fix (more samples).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sweeps import Sweep
from simulation.errors import ScenarioError
from simulation.sweep.designs import design_seed

METHODS = ("sobol", "morris")
WIDE_CI = 0.1
"""A Sobol index whose 95% interval half-width exceeds this is flagged as unstable."""


def _problem(sweep: Sweep) -> dict:
    return {
        "num_vars": len(sweep.parameters),
        "names": sweep.names,
        "bounds": [list(p.bounds()) for p in sweep.parameters],
    }


def _means(sweep: Sweep, metric: str) -> np.ndarray:
    y = sweep.point_means(metric)
    if np.isnan(y).any():
        missing = int(np.isnan(y).sum())
        raise ScenarioError(
            f"{missing} of {len(y)} design points have no finished run of {metric}",
            field="--metric",
            hint="finish the sweep (alliance-sim sweep ... --resume) or choose a metric without "
            "missing values",
        )
    return y


def sobol_indices(sweep: Sweep, metric: str) -> tuple[pd.DataFrame, list[str]]:
    """First- and total-order Sobol indices with 95% intervals; and stability warnings."""
    from SALib.analyze import sobol

    _require(sweep, "sobol")
    y = _means(sweep, metric)
    seed = design_seed_of(sweep)
    res = sobol.analyze(
        _problem(sweep),
        y,
        calc_second_order=False,
        conf_level=0.95,
        seed=seed,
        print_to_console=False,
    )
    table = pd.DataFrame(
        {
            "parameter": sweep.names,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )
    warnings = []
    if np.nanstd(y) == 0:
        warnings.append(f"{metric} does not vary over the design: indices are undefined")
    for row in table.itertuples():
        if min(row.S1 + row.S1_conf, row.ST + row.ST_conf) < 0:
            warnings.append(f"{row.parameter}: negative index beyond its interval")
        if max(row.S1_conf, row.ST_conf) > WIDE_CI:
            warnings.append(
                f"{row.parameter}: 95% interval half-width {max(row.S1_conf, row.ST_conf):.2f} "
                f"> {WIDE_CI}"
            )
    if warnings:
        warnings.append(
            f"the sample ({sweep.manifest['design']['samples']} base points) is too small for "
            "stable indices; raise design.samples (a power of 2)"
        )
    return table, warnings


def morris_indices(sweep: Sweep, metric: str) -> tuple[pd.DataFrame, list[str]]:
    """Morris elementary effects: mu, mu* (with 95% interval) and sigma; and stability warnings."""
    from SALib.analyze import morris

    _require(sweep, "morris")
    y = _means(sweep, metric)
    res = morris.analyze(
        _problem(sweep),
        sweep.coordinates(),
        y,
        num_levels=int(sweep.manifest["design"]["levels"]),
        conf_level=0.95,
        seed=design_seed_of(sweep),
        print_to_console=False,
    )
    table = pd.DataFrame(
        {
            "parameter": sweep.names,
            "mu": np.asarray(res["mu"], dtype=float),
            "mu_star": np.asarray(res["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
            "sigma": np.asarray(res["sigma"], dtype=float),
        }
    )
    warnings = [
        f"{r.parameter}: mu* interval ({r.mu_star_conf:.3g}) exceeds half of mu* ({r.mu_star:.3g})"
        for r in table.itertuples()
        if r.mu_star > 0 and r.mu_star_conf > 0.5 * r.mu_star
    ]
    if warnings:
        warnings.append("too few trajectories for stable rankings; raise design.samples")
    return table, warnings


def indices(sweep: Sweep, metric: str, method: str | None = None):
    """Sobol or Morris indices (the sweep's own design method by default)."""
    if method is None and sweep.method not in METHODS:
        raise ScenarioError(
            f"{sweep.path} used a {sweep.method} design; sensitivity indices need a sobol or "
            "morris design",
            field="SWEEP_DIR",
            hint="run a sweep with design: {method: sobol, samples: N}",
        )
    method = method or sweep.method
    if method == "sobol":
        return sobol_indices(sweep, metric)
    if method == "morris":
        return morris_indices(sweep, metric)
    raise ScenarioError(f"unknown method {method!r}", field="--method", hint="sobol or morris")


def _require(sweep: Sweep, method: str) -> None:
    if sweep.method != method:
        raise ScenarioError(
            f"{sweep.path} used a {sweep.method} design; {method} indices need a {method} design",
            field="--method",
            hint=f"run a sweep with design: {{method: {method}, samples: N}}",
        )


def design_seed_of(sweep: Sweep) -> int:
    """The seed of the bootstrap intervals: the sweep's design seed."""
    from types import SimpleNamespace

    return design_seed(SimpleNamespace(seed=sweep.manifest["seed"]))  # type: ignore[arg-type]


def index_figure(table: pd.DataFrame, method: str, metric: str):
    """Bar chart of the indices with their intervals."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 0.5 + 0.45 * len(table) + 1.0))
    y = np.arange(len(table))
    if method == "sobol":
        ax.barh(y - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="first order S1")
        ax.barh(y + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="total order ST")
        ax.set_xlabel(f"Sobol index of {metric} (95% interval)")
    else:
        ax.barh(y, table["mu_star"], 0.5, xerr=table["mu_star_conf"], label="mu*")
        ax.plot(table["sigma"], y, "o", color="black", label="sigma")
        ax.set_xlabel(f"Morris elementary effects of {metric}")
    ax.set_yticks(y, table["parameter"])
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
