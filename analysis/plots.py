"""Figures over time and over runs: each takes data and an optional ``ax``, returns the Axes.

Computing a figure's data lives in separate functions (:mod:`analysis.bands`,
:mod:`analysis.figure_data`), tested on their own; these functions only draw. Per-nation
figures (trust network, heatmap, burden sharing) are in :mod:`analysis.nation_plots`, the crisis
timeline in :mod:`analysis.crisis_plots`.

Every function takes ``colors`` (variant -> colour, :func:`analysis.style.variant_colors`), so
one comparison's variants keep their colours across figures. Time axes are calendar dates
(ticks like ``2025-06``); accessions and scheduled missions are marked where ``events`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.bands import bands
from analysis.figure_data import (
    event_marks,
    forest_data,
    to_dates,
)
from analysis.style import (
    PAGE_WIDTH_IN,
    grid_shape,
    panel_size,
    variant_colors,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OVERVIEW_METRICS = (
    "cohesion",
    "deterrence",
    "mean_trust",
    "interoperability",
    "consensus_rate",
    "defence_share_mean",
)
"""Panels of a run's overview: cohesion and deterrence first (DESIGN 3.3)."""

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


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def date_axis(ax: Axes) -> None:
    """Calendar ticks (``2025-06``) on the x axis, at most about six."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def mark_events(ax: Axes, marks: pd.DataFrame, *, labels: bool = True, max_labels: int = 8) -> None:
    """Dotted vertical lines at :func:`~analysis.figure_data.event_marks`, darker when frequent.

    Labels (rotated, at the top) are written when ``labels`` and there are at most
    ``max_labels`` marks; beyond that the lines alone show when things happened.
    """
    from matplotlib.transforms import blended_transform_factory

    show = labels and len(marks) <= max_labels
    where = blended_transform_factory(ax.transData, ax.transAxes)
    for row in marks.itertuples(index=False):
        ax.axvline(row.date, color="0.3", lw=0.7, ls=":", alpha=0.35 + 0.65 * row.share, zorder=1)
        if show:
            ax.text(
                row.date,
                0.98,
                f" {row.label}",
                transform=where,
                rotation=90,
                va="top",
                ha="right",
                fontsize=6.5,
                color="0.3",
            )


def plot_bands(
    df: pd.DataFrame,
    metric: str,
    *,
    by: str | None = None,
    colors: dict[str, str] | None = None,
    events: pd.DataFrame | None = None,
    reference: pd.DataFrame | None = None,
    color: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Median over replications with a 10-90% band (only with replications), against date.

    One line per ``by`` group in its ``colors`` entry (without ``by``, in ``color``);
    ``reference`` (a timeseries of one variant) adds its median as a thin grey dashed line;
    ``events`` marks accessions and scheduled missions.
    """
    ax = _axes(ax, (5, 3.2))
    data = bands(df, metric, by=by)
    if "year" in data.columns:
        data["x"] = to_dates(data["year"].to_numpy(dtype=float))
    else:
        data["x"] = data["step"]
    groups = list(data.groupby(by, sort=False)) if by else [(None, data)]
    colors = colors or variant_colors([str(name) for name, _ in groups])
    if reference is not None:
        ref = bands(reference, metric)
        x = to_dates(ref["year"].to_numpy(dtype=float)) if "year" in ref else ref["step"]
        ax.plot(x, ref["median"], color="0.55", lw=1.0, ls="--", label="reference", zorder=2)
    for name, g in groups:
        colour = color if by is None and color else colors.get(str(name), "0.2")
        ax.plot(g["x"], g["median"], label=name, lw=1.4, color=colour, zorder=3)
        if g["n"].max() > 1:
            ax.fill_between(g["x"], g["low"], g["high"], color=colour, alpha=0.18, lw=0)
    if events is not None and "year" in data.columns:
        mark_events(
            ax,
            event_marks(events),
            labels=ax.get_subplotspec() is None or ax.get_subplotspec().is_first_row(),
        )
    if "year" in data.columns:
        date_axis(ax)
        ax.set_xlabel("Date")
    else:
        ax.set_xlabel("Step")
    ax.set_ylabel(LABELS.get(metric, metric))
    if by:
        ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def overview_figure(
    df: pd.DataFrame,
    metrics: Sequence[str] = OVERVIEW_METRICS,
    *,
    by: str | None = None,
    title: str = "",
    colors: dict[str, str] | None = None,
    events: pd.DataFrame | None = None,
    variants: Sequence[str] | None = None,
    reference: str | None = None,
) -> Figure:
    """Metrics over time: one panel per metric, or small multiples beyond two variants.

    Up to two ``by`` groups share each panel (bands stay distinguishable). With more, the
    figure is a grid of one row per metric and one column per variant (``variants``, default
    all) and ``reference`` (default the first), every panel on its row's y axis and with the
    reference's median as a grey dashed line, so no band overlaps another.
    """
    import matplotlib.pyplot as plt

    metrics = [m for m in metrics if m in df.columns]
    names = (
        list(variants)
        if variants is not None
        else ([str(v) for v in pd.unique(df[by])] if by else [])
    )
    colors = colors or variant_colors(names)
    if by and len(names) > 2:
        reference = reference or names[0]
        shown = names
        rows, cols = len(metrics), len(shown)
        fig, axes = plt.subplots(
            rows,
            cols,
            figsize=(PAGE_WIDTH_IN, min(9.0, 1.35 * rows + 0.9)),
            sharex=True,
            sharey="row",
            squeeze=False,
        )
        ref_table = df[df[by] == reference]
        colors = {**variant_colors(names), **colors}
        for i, metric in enumerate(metrics):
            for j, name in enumerate(shown):
                ax = axes[i, j]
                plot_bands(
                    df[df[by] == name],
                    metric,
                    color=colors[name],
                    events=events if i == 0 else None,
                    reference=None if name == reference else ref_table,
                    ax=ax,
                )
                ax.set_ylabel(LABELS.get(metric, metric) if j == 0 else "", fontsize=7.5)
                ax.set_xlabel("")
                ax.tick_params(axis="x", labelrotation=45, labelsize=7)
                if i == 0:
                    ax.set_title(name, color=colors[name], fontsize=9)
                if events is not None and i > 0:
                    mark_events(ax, event_marks(events), labels=False)
        band = 0.35 if title else 0.1
        if title:
            fig.text(0.5, 1 - 0.08 / fig.get_figheight(), title, ha="center", va="top")
        fig.tight_layout(rect=(0, 0, 1, 1 - band / fig.get_figheight()), h_pad=0.4, w_pad=0.3)
        return fig
    rows, cols = grid_shape(len(metrics))
    fig, axes = plt.subplots(
        rows, cols, figsize=panel_size(rows, cols, 2.2), sharex=True, squeeze=False
    )
    for ax, metric in zip(axes.flat, metrics, strict=False):
        plot_bands(df, metric, by=by, colors=colors, events=events, ax=ax)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    for ax in list(axes.flat)[len(metrics) :]:
        ax.set_visible(False)
    for ax in axes[:-1].flat:
        ax.set_xlabel("")
    for ax in axes[-1]:
        ax.xaxis.set_tick_params(labelbottom=True)
    height = fig.get_figheight()
    band = (0.35 if title else 0.0) + (0.3 if by else 0.0)
    if title:
        fig.text(0.5, 1 - 0.08 / height, title, ha="center", va="top", fontsize=10)
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
    fig.tight_layout(rect=(0, 0, 1, 1 - band / height))
    return fig


def plot_forest(
    differences: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    colors: dict[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Mean paired differences with their intervals, one row per metric (and variant).

    A filled marker means the interval excludes 0; a hollow one, that it does not.
    """
    from matplotlib.lines import Line2D

    data = forest_data(differences, metrics)
    names = list(pd.unique(data["metric"]))
    ax = _axes(ax, (6.5, 0.45 * len(names) + 1.4))
    reference_name = str(differences["reference"].iloc[0]) if len(differences) else ""
    colors = colors or variant_colors([reference_name, *map(str, pd.unique(data["variant"]))])
    ax.axvline(0.0, color="0.3", lw=0.8)
    reference = differences["reference"].iloc[0] if "reference" in differences else "first"
    handles = []
    for variant, rows in data.groupby("variant", sort=False):
        colour = colors.get(str(variant), "0.2")
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
