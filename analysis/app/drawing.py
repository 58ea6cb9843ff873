"""The page's pictures: matplotlib figures built once per session and updated in place.

A picture keeps its figure and artists and, each step, changes only their data (edge segments,
node positions by role, line data). The static parts (axes, ticks, labels, legends) are rendered
once into a background that each step restores before drawing the changing artists over it
(matplotlib's blitting); the background is rendered again only when the axes limits change. Text
is most of the cost of drawing these figures, so this keeps a step plus redraw fast.

Colours follow :mod:`analysis.style`: variants A and B take :func:`~analysis.style.variant_colors`
(the same as in the report figures of a comparison of the same variants), nations take
:data:`~analysis.style.ROLE_STYLE`. Figures are :class:`matplotlib.figure.Figure` objects (no
pyplot state), so sessions drawing at the same time do not interfere.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image

from analysis.app.comparison import trust_edges
from analysis.style import ROLE_STYLE

OUTCOME_COLORS = {"deterred": "#009E73", "defended": "#0072B2", "conceded": "#C00000"}
"""Ring colour of a challenged nation by the crisis outcome (other outcomes: black)."""

DIFF_STYLE = {"cohesion": ("#000000", "-"), "deterrence": ("#8C8C8C", "--")}
"""Difference lines (B - A): black and grey, so they are not read as a variant's colour."""

DPI = 72
EMPTY = np.zeros((0, 2))


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """What ``canvas`` holds, as PNG bytes (fast compression: these are redrawn every step)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class Blitter:
    """Draws a figure's changing artists over a cached rendering of everything else."""

    def __init__(self, fig: Figure, dynamic: list):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic = dynamic
        self.background = None
        self.key = None

    def render(self, key=None) -> bytes:
        """PNG of the figure; the background is redrawn when ``key`` (e.g. axes limits) changes."""
        if self.background is None or key != self.key:
            for artist in self.dynamic:
                artist.set_visible(False)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.key = key
            for artist in self.dynamic:
                artist.set_visible(True)
        self.canvas.restore_region(self.background)
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        return png_bytes(self.canvas)


class NetworkPicture:
    """One variant's trust network at fixed node positions.

    Nodes are drawn by role (colour and marker of ``ROLE_STYLE``); an edge joins each of the
    ``top_edges`` most trusting pairs, its width and opacity growing with the pair's mean trust;
    a nation challenged this step is ringed in the colour of the crisis outcome.
    """

    def __init__(self, iso3: list[str], layout: np.ndarray, *, color: str, top_edges: int = 150):
        self.layout = np.asarray(layout, dtype=float)
        self.top_edges = top_edges
        self.fig = Figure(figsize=(5.6, 4.6), dpi=DPI)
        ax = self.fig.add_axes((0.0, 0.0, 1.0, 0.9))
        ax.set_axis_off()
        ax.set_xlim(-1.15, 1.15)
        ax.set_ylim(-1.15, 1.15)
        self.ax = ax
        self.edges = LineCollection([], zorder=1)
        ax.add_collection(self.edges)
        self.nodes = {
            role: ax.scatter(
                [],
                [],
                s=60,
                c=rc,
                marker=m,
                edgecolors="white",
                linewidths=0.6,
                zorder=3,
                label=role,
            )
            for role, (rc, m) in ROLE_STYLE.items()
        }
        self.rings = ax.scatter([], [], s=340, facecolors="none", linewidths=2.5, zorder=4)
        self.notes: list = []
        for k, code in enumerate(iso3):
            ax.annotate(
                code,
                self.layout[k],
                xytext=(0, -10),
                textcoords="offset points",
                fontsize=6,
                ha="center",
                color="#404040",
                zorder=2,
            )
        self.index = {code: k for k, code in enumerate(iso3)}
        ax.legend(loc="lower left", fontsize=8, frameon=False, ncols=4)
        self.title = self.fig.suptitle("", color=color, fontsize=12, fontweight="bold")
        self.blitter = Blitter(self.fig, [self.edges, *self.nodes.values(), self.rings, self.title])

    def draw(self, trust: np.ndarray, roles: np.ndarray, challenges=(), title: str = "") -> bytes:
        """Update to this state and return the PNG."""
        edges = trust_edges(trust, np.ones(len(roles), dtype=bool), top=self.top_edges)
        i, j, w = edges[:, 0].astype(int), edges[:, 1].astype(int), edges[:, 2]
        self.edges.set_segments(np.stack([self.layout[i], self.layout[j]], axis=1))
        self.edges.set_linewidths(0.2 + 1.8 * w**3)
        rgba = np.zeros((len(w), 4))
        rgba[:, 3] = 0.04 + 0.4 * np.clip(w, 0, 1) ** 4
        self.edges.set_color(rgba)
        for role, scatter in self.nodes.items():
            scatter.set_offsets(self.layout[roles == role] if (roles == role).any() else EMPTY)
        for note in self.notes:
            note.remove()
            self.blitter.dynamic.remove(note)
        self.notes = []
        hit = [
            (self.index[e["actor"]], e.get("outcome"))
            for e in challenges
            if e.get("actor") in self.index
        ]
        self.rings.set_offsets(self.layout[[k for k, _ in hit]] if hit else EMPTY)
        self.rings.set_edgecolors([OUTCOME_COLORS.get(o, "#000000") for _, o in hit] or "none")
        for k, outcome in hit:
            self.notes.append(
                self.ax.annotate(
                    f"challenged: {outcome}",
                    self.layout[k],
                    xytext=(-9 if self.layout[k, 0] > 0.2 else 9, 9),
                    ha="right" if self.layout[k, 0] > 0.2 else "left",
                    textcoords="offset points",
                    fontsize=9,
                    fontweight="bold",
                    color=OUTCOME_COLORS.get(outcome, "#000000"),
                    zorder=5,
                )
            )
        self.blitter.dynamic += self.notes
        self.title.set_text(title)
        return self.blitter.render()


class SeriesPicture:
    """Cohesion and deterrence of A and B over time (overlaid), and their differences B - A."""

    METRICS = ("cohesion", "deterrence")

    def __init__(self, names: tuple[str, str], colors: dict[str, str], horizon: int):
        self.fig = Figure(figsize=(6.4, 4.4), dpi=DPI)
        self.fig.subplots_adjust(left=0.12, right=0.98, top=0.98, bottom=0.1, hspace=0.14)
        self.axes = self.fig.subplots(3, 1, sharex=True)
        self.lines: dict[tuple[str, str], object] = {}
        for ax, metric in zip(self.axes[:2], self.METRICS, strict=True):
            for label, name in zip(("A", "B"), names, strict=True):
                (self.lines[metric, label],) = ax.plot(
                    [], [], color=colors[label], lw=1.8, label=f"{label}: {name}"
                )
            ax.set_ylabel(metric)
        self.axes[0].legend(fontsize=8, frameon=False, loc="lower left")
        for metric, (diff_color, style) in DIFF_STYLE.items():
            (self.lines[metric, "diff"],) = self.axes[2].plot(
                [], [], color=diff_color, ls=style, lw=1.5, label=metric
            )
        self.axes[2].axhline(0.0, color="#8C8C8C", lw=0.6)
        self.axes[2].set_ylabel("B - A")
        self.axes[2].set_xlabel("step")
        self.axes[2].legend(fontsize=8, frameon=False, loc="lower left")
        for ax in self.axes:
            ax.grid(alpha=0.3)
            ax.spines[["top", "right"]].set_visible(False)
        self.axes[2].set_xlim(0, horizon)
        self.blitter = Blitter(self.fig, list(self.lines.values()))

    def draw(self, history: pd.DataFrame) -> bytes:
        """Update to this history (columns ``(metric, "A"|"B")``) and return the PNG."""
        steps = history.index.to_numpy()
        for metric in self.METRICS:
            a = history[(metric, "A")].to_numpy(dtype=float)
            b = history[(metric, "B")].to_numpy(dtype=float)
            self.lines[metric, "A"].set_data(steps, a)
            self.lines[metric, "B"].set_data(steps, b)
            self.lines[metric, "diff"].set_data(steps, b - a)
        limits = []
        for ax, keys in zip(self.axes, self._keys(), strict=True):
            values = np.concatenate([self.lines[k].get_ydata() for k in keys])
            lo, hi = nice_limits(values)
            ax.set_ylim(lo, hi)
            limits.append((lo, hi))
        return self.blitter.render(tuple(limits))

    def _keys(self):
        yield from ([(m, "A"), (m, "B")] for m in self.METRICS)
        yield [(m, "diff") for m in self.METRICS]


def nice_limits(values: np.ndarray, grain: float = 0.05) -> tuple[float, float]:
    """Axis limits enclosing ``values`` on a grid of ``grain`` (so they change rarely).

    >>> nice_limits(np.array([0.71, 0.76]))
    (0.7, 0.8)
    """
    values = values[np.isfinite(values)]
    if not len(values):
        return (0.0, 1.0)
    lo = np.floor(values.min() / grain - 1e-9) * grain
    hi = np.ceil(values.max() / grain + 1e-9) * grain
    if hi - lo < grain:
        hi = lo + grain
    return (round(float(lo), 6), round(float(hi), 6))
