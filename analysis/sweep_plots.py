"""Figures of a sweep: main effects with bands, response surfaces (heatmaps), indices.

* :func:`main_effects`: for each parameter, the metric's mean over every run at each of its values
  (ranges with many distinct values are cut into ``bins`` quantile bins), with a band from the
  10th to the 90th percentile of the runs there: the spread over replications and other
  parameters;
* :func:`response_surface`: the metric's mean over runs on a grid of two parameters, as a heatmap
  (values binned as above); the other parameters are averaged over.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sweeps import Sweep

BINS = 8


def binned(sweep: Sweep, path: str, runs: pd.DataFrame, bins: int = BINS) -> pd.Series:
    """The parameter's value per run, or its quantile bin midpoint when it has many values."""
    values = runs[path]
    if sweep.parameters[sweep.names.index(path)].is_list or values.nunique() <= bins:
        return values
    cut = pd.qcut(values.astype(float), bins, duplicates="drop")
    return cut.map(lambda iv: float(iv.mid)).astype(float)


def main_effects(sweep: Sweep, metric: str):
    """One panel per parameter: mean of ``metric`` with a 10-90% band over the runs."""
    import matplotlib.pyplot as plt

    sweep.check_metric(metric)
    runs = sweep.ok
    n = len(sweep.names)
    cols = min(n, 3)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows + 0.4), squeeze=False)
    for ax, path in zip(axes.flat, sweep.names, strict=False):
        key = binned(sweep, path, runs)
        grouped = runs[metric].astype(float).groupby(key, sort=True)
        stats = pd.DataFrame(
            {"mean": grouped.mean(), "low": grouped.quantile(0.1), "high": grouped.quantile(0.9)}
        )
        param = sweep.parameters[sweep.names.index(path)]
        x = np.arange(len(stats)) if param.is_list else stats.index.to_numpy(dtype=float)
        ax.fill_between(x, stats["low"], stats["high"], alpha=0.25, linewidth=0)
        ax.plot(x, stats["mean"], marker="o", markersize=3)
        if param.is_list:
            ax.set_xticks(x, [str(v) for v in stats.index], rotation=20, fontsize=7)
        elif param.scale == "log":
            ax.set_xscale("log")
        ax.set_xlabel(path, fontsize=8)
        ax.set_ylabel(metric, fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"Main effects on {metric} (mean, 10-90% of runs)", fontsize=9)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def surface_table(sweep: Sweep, metric: str, x: str, y: str) -> pd.DataFrame:
    """Mean of ``metric`` over the runs in each cell of parameters ``x`` (columns) by ``y``."""
    sweep.check_metric(metric)
    runs = sweep.ok
    df = pd.DataFrame(
        {
            "x": binned(sweep, x, runs),
            "y": binned(sweep, y, runs),
            "v": runs[metric].astype(float),
        }
    )
    return df.pivot_table(index="y", columns="x", values="v", aggfunc="mean", sort=True)


def response_surface(sweep: Sweep, metric: str, x: str, y: str):
    """Heatmap of the mean of ``metric`` over two parameters."""
    import matplotlib.pyplot as plt

    table = surface_table(sweep, metric, x, y)
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    image = ax.imshow(table.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(table.columns)), [_label(v) for v in table.columns], fontsize=7)
    ax.set_yticks(range(len(table.index)), [_label(v) for v in table.index], fontsize=7)
    ax.set_xlabel(x, fontsize=8)
    ax.set_ylabel(y, fontsize=8)
    fig.colorbar(image, ax=ax, label=f"mean {metric}")
    ax.set_title(f"{metric} over {x} and {y}", fontsize=9)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _label(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
