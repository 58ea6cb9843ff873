"""Model-level output metrics: each defined once, here, with its unit and range.

All functions are pure and take arrays, so the DataCollector, the run summary and the analysis
package compute the same numbers.

* ``mean_trust`` (0-1): mean of ``T[i, j]`` over ordered pairs of distinct members.
* ``interoperability`` (0-1): mean of ``Q[i, j]`` over pairs of distinct members.
* ``interest_alignment`` (0-1): one minus the dispersion of members' interests, ``1 - 2 *
  mean_k sd_k`` (a standard deviation of values in [0, 1] is at most 0.5).
* ``consensus_rate`` (0-1): share of proposals adopted in the trailing window,
  ``adopted / decided``; NaN when the window holds no decision (no prior value: an empty window
  says nothing about consensus).
* ``decision_latency`` (days): mean latency of decisions in the trailing window (NaN if none).
* ``cohesion`` (0-1): weighted geometric mean of member trust (``mean_trust``, which equals the
  mean of the symmetrised matrix ``(T + T') / 2`` over member pairs), interest alignment and
  consensus rate, ``prod c_k ** (w_k / sum w)``: if any component collapses, cohesion collapses
  (DESIGN 3.3; weights in the scenario's ``metrics`` section, equal by default). A component
  that is NaN (no decision in the window) is left out and the weights of the others renormalised.
* ``*_initial_members``: the same metric over the fixed panel of the nations that were members
  at step 0 (accessions do not change the panel, so variants that admit different nations stay
  comparable). ``cohesion_initial_members`` uses panel trust and panel alignment with the
  alliance-wide consensus rate (decisions are taken by the whole council).
* ``defence_share_mean`` (% of GDP): unweighted mean over members.
* ``burden_size_correlation`` (-1..1): Spearman rank correlation between members' GDP and
  defence share (Olson and Zeckhauser 1966 predict it positive under a pure public good).
"""

from __future__ import annotations

import numpy as np


def member_pair_mean(matrix: np.ndarray, member: np.ndarray) -> float:
    """Mean of a pairwise matrix over ordered pairs of distinct members (NaN if < 2 members)."""
    idx = np.flatnonzero(member)
    k = len(idx)
    if k < 2:
        return float("nan")
    sub = matrix[np.ix_(idx, idx)]
    return float((sub.sum() - np.trace(sub)) / (k * (k - 1)))


def interest_alignment(interests: np.ndarray, member: np.ndarray) -> float:
    """One minus twice the mean standard deviation of members' issue saliences."""
    x = interests[member]
    if len(x) < 2:
        return 1.0
    return float(1.0 - 2.0 * x.std(axis=0).mean())


def consensus_rate(adopted: int, decided: int) -> float:
    """Share of adopted proposals (NaN if none was decided)."""
    return adopted / decided if decided > 0 else float("nan")


def cohesion(
    member_trust: float,
    alignment: float,
    consensus: float,
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
) -> float:
    """Weighted geometric mean of the components, each clipped to [0, 1]; NaN parts left out."""
    parts = np.clip(np.array([member_trust, alignment, consensus], dtype=float), 0.0, 1.0)
    w = np.array(weights, dtype=float)
    known = ~np.isnan(parts)
    parts, w = parts[known], w[known]
    if w.sum() <= 0:
        return float("nan")
    return float(np.exp(np.sum(w * np.log(np.maximum(parts, 1e-12))) / w.sum()))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation (NaN if fewer than 3 values or a constant series)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or np.isnan(x).any() or np.isnan(y).any() or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(average_ranks(x), average_ranks(y))[0, 1])


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks with ties given their average rank (as ``scipy.stats.rankdata``).

    Spearman's rho is Pearson's correlation of these ranks; computed here because
    ``scipy.stats.spearmanr`` costs ~0.8 ms a call, too much for a per-step reporter.
    """
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    return (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]


def window_mean(values: np.ndarray, steps: int) -> float:
    """Mean of the last ``steps`` values, ignoring NaN (NaN if all are NaN or none is given).

    The summary's level metrics are this mean over the final window (``metrics.summary_window_
    months``, 12 months by default) of the per-step series without its step-0 row.
    """
    tail = np.asarray(values, dtype=float)[-max(1, int(steps)) :]
    tail = tail[~np.isnan(tail)]
    return float(tail.mean()) if len(tail) else float("nan")
