"""Figures over time and over runs: each takes data and an optional ``ax``, returns the Axes.

Computing a figure's data lives in separate functions (:mod:`analysis.bands`,
:mod:`analysis.figure_data`), tested on their own; these functions only draw. Per-nation
figures (trust network, heatmap, burden sharing) are in :mod:`analysis.nation_plots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.bands import bands
from analysis.figure_data import crisis_timeline_data, forest_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABELS = {
    "cohesion": "Cohesion (0-1)",
    "mean_trust": "Mean member trust (0-1)",
    "interoperability": "Interoperability (0-1)",
    "deterrence": "Deterrence (0-1)",
    "credibility": "Credibility (0-1)",
    "consensus_rate": "Consensus rate (0-1)",
    "interest_alignment": "Interest alignment (0-1)",
    "decision_latency": "Decision latency (days)",
    "readiness_mean": "Readiness (0-1)",
    "adversary_threat": "Adversary threat perception (0-1)",
    "defence_share_mean": "Defence spending (% GDP)",
    "burden_size_correlation": "GDP-defence share rank correlation",
}

OUTCOME_STYLE = {
    "backed_down": ("#2ca02c", "o"),
    "held": ("#ff7f0e", "D"),
    "escalated": ("#d62728", "X"),
    "war": ("#000000", "*"),
}
"""Colour and marker of each crisis outcome; any other outcome is drawn grey."""


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def plot_bands(
    df: pd.DataFrame, metric: str, *, by: str | None = None, ax: Axes | None = None
) -> Axes:
    """Median over replications with a 10-90% band, one line per ``by`` group, against year."""
    ax = _axes(ax, (5, 3.2))
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
    """A grid of :func:`plot_bands` panels, one per metric; with ``by``, one legend on top."""
    import matplotlib.pyplot as plt

    cols = 2
    rows = (len(metrics) + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(9, 3.0 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        plot_bands(df, metric, by=by, ax=ax)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    for ax in list(axes.flat)[len(metrics) :]:
        ax.set_visible(False)
    # Title and legend sit in a band above the panels that tight_layout is told to leave free
    # (fig.text rather than suptitle, which tight_layout would make room for a second time).
    height = fig.get_figheight()
    band = (0.35 if title else 0.0) + (0.3 if by else 0.0)
    if title:
        fig.text(0.5, 1 - 0.1 / height, title, ha="center", va="top", fontsize=10)
    if by:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, 1 - (band - 0.3) / height),
            ncol=min(len(labels), 4),
            frameon=False,
            fontsize=8,
        )
    fig.tight_layout(rect=(0, 0.02, 1, 1 - band / height))
    return fig


def plot_forest(
    differences: pd.DataFrame, *, metrics: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Mean paired differences with their intervals, one row per metric (and variant).

    A filled marker means the interval excludes 0; a hollow one, that it does not.
    """
    from matplotlib.lines import Line2D

    data = forest_data(differences, metrics)
    names = list(pd.unique(data["metric"]))
    ax = _axes(ax, (6.5, 0.45 * len(names) + 1.4))
    ax.axvline(0.0, color="0.3", lw=0.8)
    reference = differences["reference"].iloc[0] if "reference" in differences else "first"
    handles = []
    for k, (variant, rows) in enumerate(data.groupby("variant", sort=False)):
        colour = f"C{k}"
        ax.errorbar(
            rows["mean_diff"],
            rows["y"],
            xerr=[rows["mean_diff"] - rows["ci_low"], rows["ci_high"] - rows["mean_diff"]],
            fmt="none",
            ecolor=colour,
            elinewidth=1.4,
            capsize=2.5,
        )
        filled = rows["excludes_zero"].to_numpy(dtype=bool)
        ax.scatter(rows["mean_diff"][filled], rows["y"][filled], color=colour, zorder=3, s=24)
        ax.scatter(
            rows["mean_diff"][~filled],
            rows["y"][~filled],
            facecolor="white",
            edgecolor=colour,
            zorder=3,
            s=24,
        )
        handles.append(Line2D([], [], color=colour, marker="o", label=f"{variant} - {reference}"))
    ax.set_yticks(range(len(names)), [LABELS.get(m, m) for m in reversed(names)], fontsize=8)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlabel(f"Paired difference from {reference} (hollow: interval includes 0)")
    ax.legend(
        handles=handles,
        frameon=False,
        fontsize=8,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=min(len(handles), 3),
    )
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_crisis_timeline(events: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Crises over time, one line per run, marked by outcome; open markers: uncovered targets."""
    data, labels = crisis_timeline_data(events)
    ax = _axes(ax, (6.5, 0.22 * len(labels) + 1.4))
    for outcome, rows in data.groupby("outcome", sort=False):
        colour, marker = OUTCOME_STYLE.get(str(outcome), ("0.5", "D"))
        covered = rows["covered"].to_numpy(dtype=bool)
        ax.scatter(
            rows["year"][covered],
            rows["row"][covered],
            color=colour,
            marker=marker,
            s=26,
            label=str(outcome),
            zorder=3,
        )
        ax.scatter(
            rows["year"][~covered],
            rows["row"][~covered],
            facecolor="none",
            edgecolor=colour,
            marker=marker,
            s=26,
            zorder=3,
        )
    step = max(1, len(labels) // 30)
    ax.set_yticks(range(0, len(labels), step), labels[::step], fontsize=7)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    if "year" in events.columns and len(events):
        ax.set_xlim(events["year"].min() - 0.2, events["year"].max() + 0.2)
    ax.set_xlabel("Year")
    if data.empty:
        ax.text(0.5, 0.5, "no crises in these runs", transform=ax.transAxes, ha="center")
    else:
        if not data["covered"].all():
            ax.scatter(
                [], [], facecolor="none", edgecolor="0.3", s=26, label="(hollow: not covered)"
            )
        ax.legend(
            frameon=False,
            fontsize=8,
            title="outcome",
            title_fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
        )
    ax.grid(axis="x", alpha=0.3)
    return ax
