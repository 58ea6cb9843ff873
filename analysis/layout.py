"""Node layouts for network figures, in numpy (networkx is only an optional dependency).

Both layouts are pure functions: the same input (and seed) gives the same positions, so a figure
redrawn from the same results looks the same.
"""

from __future__ import annotations

import numpy as np


def circular_layout(n: int) -> np.ndarray:
    """``n`` points on the unit circle, counter-clockwise from ``(1, 0)``; shape ``(n, 2)``."""
    if n == 0:
        return np.zeros((0, 2))
    angle = 2.0 * np.pi * np.arange(n) / n
    return np.column_stack([np.cos(angle), np.sin(angle)])


def spring_layout(weights: np.ndarray, *, seed: int = 0, iterations: int = 200) -> np.ndarray:
    """Force-directed positions (Fruchterman and Reingold 1991) for a weighted graph.

    ``weights`` is an ``n x n`` matrix of non-negative attraction (made symmetric, diagonal
    ignored): every pair repels as ``k^2 / d`` and pulls as ``w d^2 / k`` with ``k = 1/sqrt(n)``,
    and the step size cools linearly to zero. Starting positions are drawn from ``seed``.
    Positions are centred and scaled so the farthest coordinate is 1; shape ``(n, 2)``.
    """
    w = np.asarray(weights, dtype=float)
    n = len(w)
    if n <= 2:
        return circular_layout(n)
    w = np.nan_to_num((w + w.T) / 2.0)
    np.fill_diagonal(w, 0.0)
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = 1.0 / np.sqrt(n)
    temperature = 0.1 * 2.0
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        force = k * k / distance**2 - w * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    return pos / scale if scale > 0 else pos
