"""Per-nation figures of one run: trust network, trust heatmap, burden sharing.

Each ``plot_*`` takes a run's ``nations`` and ``pairs`` tables (the first run if they hold
several; pick another with :func:`analysis.figure_data.select_run`) and an optional ``ax``, and
returns the Axes. :func:`per_variant_figure` draws one panel per variant of a comparison as
small multiples on common scales.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from analysis.style import PAGE_HEIGHT_IN, PAGE_WIDTH_IN, ROLE_STYLE, grid_shape, variant_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _role_style(role: str) -> tuple[str, str]:
    return ROLE_STYLE.get(role, ("0.5", "P"))


def plot_trust_network(
    nations: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    seed: int = 0,
    min_trust: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Nations as nodes (colour and shape by role, area by capability), mutual trust as edges.

    Every nation is drawn. Edges are the backbone (:func:`analysis.figure_data.backbone`: the
    maximum spanning tree of trust, which links every node by its strongest ties, plus the
    strongest quarter of pairs); ``min_trust`` draws every edge at or above it instead. Edge
    width and darkness grow with trust; edges to or from the adversary are dashed red. The
    layout (seeded) places aligned nations close and is the same for every variant.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.patheffects import withStroke

    nations, pairs = select_run(nations), select_run(pairs)
    data = network_data(nations, pairs, seed=seed)
    ax = _axes(ax, (5.5, 5.0))
    edges = data.edges.sort_values("trust")
    keep = edges["backbone"] if min_trust is None else edges["trust"] >= min_trust
    edges = edges[keep.to_numpy(dtype=bool)]
    role = dict(zip(data.nodes["iso3"], data.nodes["role"], strict=True))
    hostile = (edges["a"].map(role) == "adversary") | (edges["b"].map(role) == "adversary")
    hostile = hostile.to_numpy(dtype=bool)
    trust = edges["trust"].to_numpy(dtype=float)
    segments = np.stack([edges[["x0", "y0"]].to_numpy(), edges[["x1", "y1"]].to_numpy()], axis=1)
    for mask, colour, style in ((~hostile, "0.15", "solid"), (hostile, "#C00000", "dashed")):
        if mask.any():
            t = trust[mask]
            ax.add_collection(
                LineCollection(
                    segments[mask],
                    linewidths=0.4 + 2.4 * t**2,
                    colors=[(*_rgb(colour), 0.15 + 0.6 * v) for v in t],
                    linestyles=style,
                    zorder=1,
                )
            )
    nodes = data.nodes
    capability = nodes["capability_busd"].to_numpy(dtype=float)
    size = 25 + 300 * np.sqrt(capability / max(capability.max(), 1e-9))
    for r in [*BLOC_ORDER, *sorted(set(nodes["role"]) - set(BLOC_ORDER))]:
        mask = (nodes["role"] == r).to_numpy()
        if mask.any():
            colour, marker = _role_style(r)
            ax.scatter(
                nodes["x"][mask],
                nodes["y"][mask],
                s=size[mask],
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.7,
                zorder=3,
            )
    fontsize = 7 if len(nodes) <= 20 else 6
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
    return ax


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def role_legend_handles(roles: Sequence[str]) -> list:
    """Legend entries for node roles and the adversary's dashed edges."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [], [], ls="", marker=_role_style(r)[1], markersize=6, color=_role_style(r)[0], label=r
        )
        for r in dict.fromkeys(roles)
    ]
    if "adversary" in roles:
        handles.append(Line2D([], [], color="#C00000", ls="--", lw=1, label="trust with adversary"))
    return handles


def plot_trust_heatmap(
    nations: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    colorbar: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Directed trust (row trusts column), nations ordered by bloc, blocs separated by lines."""
    nations, pairs = select_run(nations), select_run(pairs)
    matrix = trust_matrix(nations, pairs)
    ax = _axes(ax, (5.5, 4.8))
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="viridis", vmin=0.0, vmax=1.0)
    n = len(matrix)
    fontsize = 7 if n <= 16 else (5.5 if n <= 30 else 4.5)
    ax.set_xticks(range(n), matrix.columns, rotation=90, fontsize=fontsize)
    ax.set_yticks(range(n), matrix.index, fontsize=fontsize)
    for _, _, stop in bloc_spans(nations)[:-1]:
        ax.axhline(stop - 0.5, color="white", lw=1.2)
        ax.axvline(stop - 0.5, color="white", lw=1.2)
    ax.set_xlabel("trusted", fontsize=8)
    ax.set_ylabel("trusting", fontsize=8)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="Trust (0-1)")
    return ax


def burden_limits(nations: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """Common axis limits of every run's burden panel: GDP (log, x) and defence share (y)."""
    members = nations[nations["role"] == "member"]
    gdp = members["gdp_busd"].to_numpy(dtype=float)
    share = members["defence_share_pct"].to_numpy(dtype=float)
    gdp = gdp[gdp > 0]
    if not len(gdp) or not len(share):
        return (0.1, 10.0), (0.0, 1.0)
    x = (gdp.min() / 1.5, gdp.max() * 1.5)
    return x, (0.0, float(np.nanmax(share)) * 1.1 + 0.1)


def plot_burden_sharing(
    nations: pd.DataFrame,
    *,
    limits: tuple[tuple[float, float], tuple[float, float]] | None = None,
    color: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Members' defence share against GDP (log scale), Spearman's rho in the title.

    ``limits`` (``(x, y)``; default :func:`burden_limits` of this run) puts panels of several
    runs on one scale. Labels are placed by ``adjustText`` so they do not collide.
    """
    from adjustText import adjust_text

    data = burden_data(select_run(nations))
    ax = _axes(ax, (5.0, 3.6))
    members = data.members
    colour = color or _role_style("member")[0]
    ax.scatter(members["gdp_busd"], members["defence_share_pct"], color=colour, s=14, zorder=3)
    ax.set_xscale("log")
    xlim, ylim = limits or burden_limits(select_run(nations))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    fontsize = 7 if len(members) <= 20 else 6
    texts = [
        ax.text(row.gdp_busd, row.defence_share_pct, row.iso3, fontsize=fontsize)
        for row in members.itertuples(index=False)
    ]
    if texts:
        adjust_text(
            texts,
            x=members["gdp_busd"].to_numpy(dtype=float),
            y=members["defence_share_pct"].to_numpy(dtype=float),
            ax=ax,
            arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.4},
        )
    rho = "n/a" if np.isnan(data.spearman) else f"{data.spearman:+.2f}"
    ax.set_title(f"Spearman rho (GDP, share) = {rho}", fontsize=8)
    ax.set_xlabel("GDP (billion USD, log scale)")
    ax.set_ylabel("Defence spending (% GDP)")
    ax.grid(alpha=0.3)
    return ax


def per_variant_figure(
    kind: str,
    nations: pd.DataFrame,
    pairs: pd.DataFrame | None,
    variants: Sequence[str],
    *,
    colors: dict[str, str] | None = None,
    seeds: dict[str, int] | None = None,
) -> Figure:
    """Small multiples of one per-nation figure (``network``, ``heatmap`` or ``burden``).

    One panel per variant (its first replication), wrapped two to a row, on common scales
    (one colour scale for heatmaps; shared axes for burden sharing; one layout for networks),
    with one legend or colour bar for the figure. ``variants`` may be ``[""]`` for a run.
    """
    import matplotlib.pyplot as plt

    names = list(variants)
    colors = colors or variant_colors(names)
    rows, cols = grid_shape(len(names))
    panel = {"network": 3.4, "heatmap": 3.4, "burden": 2.7}[kind]
    wide = PAGE_WIDTH_IN - (0.5 if kind == "heatmap" else 0.0)  # room for the colour bar
    width = wide if cols > 1 else {"network": 5.0, "heatmap": 5.2, "burden": 4.6}[kind]
    height = min(PAGE_HEIGHT_IN, rows * panel + 0.7)
    share = kind == "burden"
    fig, axes = plt.subplots(
        rows, cols, figsize=(width, height), squeeze=False, sharex=share, sharey=share
    )
    limits = burden_limits(nations) if kind == "burden" else None
    for ax, name in zip(axes.flat, names, strict=False):
        variant = name or None
        n, p = select_run(nations, variant=variant), None
        if pairs is not None:
            p = select_run(pairs, variant=variant)
        draw: Callable[[], Axes] = {
            "network": lambda n=n, p=p, ax=ax: plot_trust_network(n, p, ax=ax),
            "heatmap": lambda n=n, p=p, ax=ax: plot_trust_heatmap(n, p, colorbar=False, ax=ax),
            "burden": lambda n=n, ax=ax: plot_burden_sharing(n, limits=limits, ax=ax),
        }[kind]
        draw()
        seed = (seeds or {}).get(name)
        if name or seed is not None:
            detail = ax.get_title()
            label = f"{name} (seed {seed})" if seed is not None else name
            ax.set_title(
                label + (f"\n{detail}" if detail else ""),
                color=colors.get(name, "0.2"),
                fontsize=8.5,
            )
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    top = 1.0
    if kind == "network":
        roles = [r for r in BLOC_ORDER if r in set(select_run(nations)["role"])]
        handles = role_legend_handles(roles)
        fig.legend(
            handles=handles, loc="upper center", ncol=len(handles), frameon=False, fontsize=7.5
        )
        top = 1 - 0.3 / height
    fig.tight_layout(rect=(0, 0, 1, top))
    if kind == "heatmap":
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        fig.colorbar(
            ScalarMappable(Normalize(0.0, 1.0), "viridis"),
            ax=axes.ravel().tolist(),
            fraction=0.03,
            pad=0.02,
            label="Trust (0-1)",
        )
    return fig
