"""The crisis timeline: when which target was challenged, and how each crisis ended.

One row per target nation (labels coloured by role), one panel per variant; the marker is the
adversary's reaction (:data:`OUTCOME_STYLE`), hollow when the target had no cover. Takes data
and an optional ``ax``, returns the Axes (or the Figure for the paged version).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis.figure_data import BLOC_ORDER, crisis_timeline_data, to_dates
from analysis.plots import _axes, date_axis
from analysis.style import PAGE_WIDTH_IN, ROLE_STYLE, grid_shape, variant_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OUTCOME_STYLE = {
    "backed_down": ("#009E73", "o"),
    "held": ("#E69F00", "D"),
    "escalated": ("#D55E00", "X"),
    "war": ("#000000", "*"),
}
"""Colour and marker of each crisis outcome; any other outcome is drawn grey."""


def plot_crisis_timeline(
    events: pd.DataFrame,
    *,
    variant: str | None = None,
    targets: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Crises of one variant (all if ``None``) over time, one line per target nation.

    Marker colour and shape give the outcome; a hollow marker, a target the alliance was not
    committed to defend. Replications share a target's line, each slightly offset, so the
    height follows the number of targets. Target labels are coloured by role. ``targets``
    fixes the lines (to share them across panels).
    """
    data, found = crisis_timeline_data(events)
    lines = list(targets) if targets is not None else found
    roles = data.drop_duplicates("target").set_index("target")["role"].to_dict()
    if variant is not None:
        data = data[data["variant"] == variant]
    ax = _axes(ax, (6.0, 0.16 * max(len(lines), 4) + 1.2))
    reps = max(int(data["replication"].max()) + 1 if len(data) else 1, 1)
    row_of = {t: i for i, t in enumerate(lines)}
    y = data["target"].map(row_of).to_numpy(dtype=float)
    y = y + (data["replication"].to_numpy(dtype=float) + 0.5) / reps * 0.6 - 0.3
    for outcome in [*OUTCOME_STYLE, *sorted(set(data["outcome"]) - set(OUTCOME_STYLE))]:
        mask = (data["outcome"] == outcome).to_numpy()
        if not mask.any():
            continue
        colour, marker = OUTCOME_STYLE.get(str(outcome), ("0.5", "D"))
        covered = data["covered"].to_numpy(dtype=bool)
        for fill, keep in ((True, mask & covered), (False, mask & ~covered)):
            if keep.any():
                ax.scatter(
                    data["date"][keep],
                    y[keep],
                    s=16,
                    marker=marker,
                    color=colour if fill else "none",
                    edgecolors=colour,
                    linewidths=0.8,
                    zorder=3,
                )
    ax.set_yticks(range(len(lines)), lines, fontsize=6.5 if len(lines) > 25 else 7.5)
    for label in ax.get_yticklabels():
        role = roles.get(label.get_text())
        label.set_color(ROLE_STYLE.get(role, ("0.2", ""))[0] if role else "0.2")
    ax.set_ylim(max(len(lines), 1) - 0.5, -0.5)
    for k in range(len(lines)):
        ax.axhline(k, color="0.9", lw=0.5, zorder=0)
    date_axis(ax)
    if len(events) and "year" in events.columns:
        span = to_dates([events["year"].min() - 0.1, events["year"].max() + 0.1])
        ax.set_xlim(span[0], span[1])
    if data.empty:
        ax.text(0.5, 0.5, "no crises", transform=ax.transAxes, ha="center", color="0.4")
    return ax


def crisis_legend_handles(roles: Sequence[str] = BLOC_ORDER) -> list:
    """Legend entries: each outcome, 'hollow: not covered', and each role's label colour."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], ls="", marker=m, color=c, markersize=5, label=o)
        for o, (c, m) in OUTCOME_STYLE.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markerfacecolor="none",
            color="0.3",
            markersize=5,
            label="hollow: not covered",
        )
    )
    handles += [
        Line2D(
            [], [], ls="", marker="$A$", color=ROLE_STYLE[r][0], markersize=6, label=f"{r} target"
        )
        for r in roles
        if r in ROLE_STYLE
    ]
    return handles


def crisis_timeline_figure(
    events: pd.DataFrame, variants: Sequence[str], colors: dict[str, str] | None = None
) -> Figure:
    """One :func:`plot_crisis_timeline` panel per variant on shared axes, wrapped in two columns.

    Every panel has the same target lines (all targets of every variant), so a row reads across.
    """
    import matplotlib.pyplot as plt

    _, targets = crisis_timeline_data(events)
    names = list(variants) or [""]
    colors = colors or variant_colors(names)
    rows, cols = grid_shape(len(names))
    height = min(9.0, rows * (0.15 * max(len(targets), 4) + 0.9) + 0.7)
    fig, axes = plt.subplots(
        rows, cols, figsize=(PAGE_WIDTH_IN, height), sharex=True, sharey=True, squeeze=False
    )
    for ax, name in zip(axes.flat, names, strict=False):
        plot_crisis_timeline(events, variant=name or None, targets=targets, ax=ax)
        if name:
            ax.set_title(name, color=colors.get(name, "0.2"), fontsize=9)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    present = [r for r in BLOC_ORDER if r in set(crisis_timeline_data(events)[0]["role"])]
    handles = crisis_legend_handles(present)
    fig.legend(
        handles=handles,
        loc="upper center",
        ncol=min(len(handles), 4),
        frameon=False,
        fontsize=7.5,
        bbox_to_anchor=(0.5, 1.0),
    )
    top = 1 - (0.25 * (1 + (len(handles) > 4))) / height
    fig.tight_layout(rect=(0, 0, 1, top))
    return fig
