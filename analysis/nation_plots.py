"""Per-nation figures of one run: trust network, trust heatmap, burden sharing.

Each takes a run's ``nations`` and ``pairs`` tables (the first run if they hold several; pick
another with :func:`analysis.figure_data.select_run`) and an optional ``ax``, and returns the Axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.figure_data import (
    BLOC_ORDER,
    bloc_spans,
    burden_data,
    network_data,
    select_run,
    trust_matrix,
)
from analysis.plots import _axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ROLE_STYLE = {
    "member": ("#1f77b4", "o"),
    "partner": ("#2ca02c", "s"),
    "neutral": ("#7f7f7f", "D"),
    "adversary": ("#d62728", "^"),
}
"""Colour and marker of each role."""


def plot_trust_network(
    nations: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    seed: int = 0,
    min_trust: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Nations as nodes (colour and shape by role, area by capability), mutual trust as edges.

    Edge width and opacity grow with trust; the layout (seeded) places aligned nations close.
    ``min_trust`` hides weaker edges; by default all are drawn up to 15 nations and the
    strongest quarter of pairs beyond that, so a large alliance stays readable.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patheffects import withStroke

    data = network_data(select_run(nations), select_run(pairs), seed=seed)
    ax = _axes(ax, (5.5, 5.0))
    edges = data.edges.sort_values("trust")
    if min_trust is None and len(data.nodes) > 15:
        min_trust = float(edges["trust"].quantile(0.75))
    edges = edges[edges["trust"] >= (min_trust or 0.0)]
    trust = edges["trust"].to_numpy()
    segments = np.stack([edges[["x0", "y0"]].to_numpy(), edges[["x1", "y1"]].to_numpy()], axis=1)
    colours = np.zeros((len(edges), 4))
    colours[:, 3] = 0.04 + 0.7 * trust**3
    ax.add_collection(LineCollection(segments, linewidths=0.2 + 3.0 * trust**3, colors=colours))
    nodes = data.nodes
    capability = nodes["capability_busd"].to_numpy(dtype=float)
    size = 30 + 400 * np.sqrt(capability / max(capability.max(), 1e-9))
    for role in [*BLOC_ORDER, *sorted(set(nodes["role"]) - set(BLOC_ORDER))]:
        mask = (nodes["role"] == role).to_numpy()
        if not mask.any():
            continue
        colour, marker = ROLE_STYLE.get(role, ("0.5", "P"))
        ax.scatter(
            nodes["x"][mask],
            nodes["y"][mask],
            s=size[mask],
            c=colour,
            marker=marker,
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
        )
    fontsize = 7 if len(nodes) <= 20 else 5
    for row, area in zip(nodes.itertuples(index=False), size, strict=True):
        ax.annotate(
            row.iso3,
            (row.x, row.y),
            xytext=(0, np.sqrt(area) / 2 + 1),  # just above the marker (area in points^2)
            textcoords="offset points",
            ha="center",
            fontsize=fontsize,
            zorder=4,
            path_effects=[withStroke(linewidth=2, foreground="white")],
        )
    ax.margins(0.08)
    ax.set_axis_off()
    roles = [r for r in [*BLOC_ORDER, *sorted(set(nodes["role"]))] if r in set(nodes["role"])]
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=ROLE_STYLE.get(r, ("0.5", "P"))[1],
            markersize=7,
            color=ROLE_STYLE.get(r, ("0.5", "P"))[0],
            label=r,
        )
        for r in dict.fromkeys(roles)
    ]
    ax.legend(
        handles=handles,
        frameon=False,
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(handles),
    )
    return ax


def plot_trust_heatmap(
    nations: pd.DataFrame, pairs: pd.DataFrame, *, ax: Axes | None = None
) -> Axes:
    """Directed trust (row trusts column), nations ordered by bloc, blocs separated by lines."""
    nations, pairs = select_run(nations), select_run(pairs)
    matrix = trust_matrix(nations, pairs)
    ax = _axes(ax, (5.5, 4.8))
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="viridis", vmin=0.0, vmax=1.0)
    n = len(matrix)
    fontsize = 7 if n <= 20 else 4.5
    ax.set_xticks(range(n), matrix.columns, rotation=90, fontsize=fontsize)
    ax.set_yticks(range(n), matrix.index, fontsize=fontsize)
    for _, _, stop in bloc_spans(nations)[:-1]:
        ax.axhline(stop - 0.5, color="white", lw=1.2)
        ax.axvline(stop - 0.5, color="white", lw=1.2)
    spans = ", ".join(f"{role} {stop - start}" for role, start, stop in bloc_spans(nations))
    ax.set_xlabel(f"trusted (blocs: {spans})", fontsize=8)
    ax.set_ylabel("trusting", fontsize=8)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="Trust (0-1)")
    return ax


def plot_burden_sharing(nations: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Members' defence share against GDP (log scale), Spearman's rho in the title."""
    data = burden_data(select_run(nations))
    ax = _axes(ax, (5.0, 3.6))
    members = data.members
    ax.scatter(members["gdp_busd"], members["defence_share_pct"], color=ROLE_STYLE["member"][0])
    fontsize = 7 if len(members) <= 20 else 5
    for row in members.itertuples(index=False):
        ax.annotate(
            row.iso3,
            (row.gdp_busd, row.defence_share_pct),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=fontsize,
        )
    if len(members) and (members["gdp_busd"] > 0).all():
        ax.set_xscale("log")
    rho = "n/a" if np.isnan(data.spearman) else f"{data.spearman:+.2f}"
    ax.set_title(f"Burden sharing: Spearman rho (GDP, share) = {rho}", fontsize=9)
    ax.set_xlabel("GDP (billion USD, log scale)")
    ax.set_ylabel("Defence spending (% GDP)")
    ax.grid(alpha=0.3)
    return ax
