"""Figures: each function takes data (and an optional ``ax``) and returns the Axes.

Computing a figure's data lives in separate functions (:mod:`analysis.bands`), tested on their
own; these functions only draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.bands import bands

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABELS = {
    "cohesion": "Cohesion (0-1)",
    "mean_trust": "Mean member trust (0-1)",
    "interoperability": "Interoperability (0-1)",
    "consensus_rate": "Consensus rate (0-1)",
    "decision_latency": "Decision latency (days)",
    "readiness_mean": "Readiness (0-1)",
    "adversary_threat": "Adversary threat perception (0-1)",
    "defence_share_mean": "Defence spending (% GDP)",
}


def plot_bands(
    df: pd.DataFrame, metric: str, *, by: str | None = None, ax: Axes | None = None
) -> Axes:
    """Median over replications with a 10-90% band, one line per ``by`` group, against year."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    data = bands(df, metric, by=by)
    x = "year" if "year" in data.columns else "step"
    groups = data.groupby(by, sort=False) if by else [(None, data)]
    for name, g in groups:
        line = ax.plot(g[x], g["median"], label=name, lw=1.6)[0]
        if g["n"].max() > 1:
            ax.fill_between(g[x], g["low"], g["high"], color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xlabel("Year" if x == "year" else "Step")
    ax.set_ylabel(LABELS.get(metric, metric))
    if by:
        ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def overview_figure(
    df: pd.DataFrame,
    metrics: Sequence[str] = ("cohesion", "mean_trust", "interoperability", "consensus_rate"),
    *,
    by: str | None = None,
    title: str = "",
) -> Figure:
    """A grid of :func:`plot_bands` panels, one per metric."""
    import matplotlib.pyplot as plt

    cols = 2
    rows = (len(metrics) + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(9, 3.0 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        plot_bands(df, metric, by=by, ax=ax)
    for ax in list(axes.flat)[len(metrics) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
