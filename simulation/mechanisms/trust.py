"""Trust dynamics (DESIGN 3.2, mechanism 8): reciprocity and decay toward an alignment baseline.

``T[i, j]`` is how much nation ``i`` trusts nation ``j`` (directed, in [0, 1]; ``T[i, i] = 1``).

Baseline (what trust returns to without events)::

    B[i, j] = min + (max - min) * A[i, j] + bonus * member_i * member_j

clipped to [0, 1], where ``A`` is interest alignment (see :func:`alignment`). Shared membership
adds institutional trust (institutions as assets that lower the cost of cooperation; Keohane
1984; Wallander 2000 on NATO).

Update per step of ``m`` months, simultaneously for all pairs::

    T <- T + d_m * (B - T) + r_m * (T.T - T)

``d_m`` and ``r_m`` convert the monthly ``decay_per_month`` and ``reciprocity_per_month`` to the
step length. Reciprocity moves each side toward how the other side feels (trust as a belief
updated on the other's behaviour; Kydd 2005, *Trust and Mistrust in International Relations*;
Axelrod 1984 on reciprocity). Decay makes event-driven gains and losses fade toward the
alignment-based baseline. Both moves are convex combinations, so ``T`` stays in [0, 1]
whenever ``d_m + r_m <= 1``; the result is clipped to guard the edge cases.

Parameters (``trust:`` section): ``reciprocity_per_month`` 0.05, ``decay_per_month`` 0.02,
``baseline_min`` 0.1, ``baseline_max`` 0.7, ``member_bonus`` 0.15 (all assumptions, chosen so
member pairs settle near the 0.6-0.8 range and adversary pairs near 0.1-0.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation import metrics
from simulation.mechanisms.rates import per_step
from simulation.outputs import level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class TrustParams:
    """Trust dynamics (mechanism 8): reciprocity and decay toward an alignment baseline."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    reciprocity_per_month: float = param(
        0.05,
        doc="Share of the gap to the reverse trust closed per month",
        unit="1/month",
        lo=0,
        hi=1,
    )
    decay_per_month: float = param(
        0.02, doc="Share of the gap to the baseline closed per month", unit="1/month", lo=0, hi=1
    )
    baseline_min: float = param(
        0.1, doc="Baseline trust of a pair with alignment 0", unit="0-1", lo=0, hi=1
    )
    baseline_max: float = param(
        0.7, doc="Baseline trust of a pair with alignment 1", unit="0-1", lo=0, hi=1
    )
    member_bonus: float = param(
        0.15,
        doc="Baseline trust added between two members of the alliance (institutional assets)",
        unit="0-1",
        lo=0,
        hi=1,
    )


def alignment(
    interests: np.ndarray,
    ideal_points: np.ndarray,
    ideal_point_weight: float,
    ideal_point_scale: float,
) -> np.ndarray:
    """Pairwise interest alignment in [0, 1] (symmetric, 1 on the diagonal).

    ``1 - mean_k |x_ik - x_jk|`` over the issue saliences, mixed with UN General Assembly
    affinity ``exp(-|ip_i - ip_j| / scale)`` (Bailey, Strezhnev and Voeten 2017) with weight
    ``ideal_point_weight`` for pairs where both ideal points are known (NaN marks unknown).
    """
    diff = np.abs(interests[:, None, :] - interests[None, :, :]).mean(axis=2)
    similar = 1.0 - diff
    known = ~np.isnan(ideal_points)
    both = known[:, None] & known[None, :]
    ip = np.where(known, ideal_points, 0.0)
    affinity = np.exp(-np.abs(ip[:, None] - ip[None, :]) / ideal_point_scale)
    out = np.where(
        both, ideal_point_weight * affinity + (1 - ideal_point_weight) * similar, similar
    )
    np.fill_diagonal(out, 1.0)
    return out


def baseline(
    alignment_matrix: np.ndarray,
    member: np.ndarray,
    baseline_min: float,
    baseline_max: float,
    member_bonus: float,
) -> np.ndarray:
    """Trust each pair returns to without events: ``min + (max - min) * A + bonus``, in [0, 1]."""
    both = np.outer(member, member).astype(float)
    out = baseline_min + (baseline_max - baseline_min) * alignment_matrix + member_bonus * both
    out = np.clip(out, 0.0, 1.0)
    np.fill_diagonal(out, 1.0)
    return out


def update_trust(
    trust: np.ndarray,
    baseline_matrix: np.ndarray,
    reciprocity_per_month: float,
    decay_per_month: float,
    months: float,
) -> np.ndarray:
    """One step of reciprocity and decay toward the baseline (returns a new matrix)."""
    d = per_step(decay_per_month, 1.0, months)
    r = per_step(reciprocity_per_month, 1.0, months)
    out = trust + d * (baseline_matrix - trust) + r * (trust.T - trust)
    np.clip(out, 0.0, 1.0, out=out)
    np.fill_diagonal(out, 1.0)
    return out


def lower_trust_in(trust: np.ndarray, holders, targets, share: float) -> None:
    """Every nation in ``holders`` loses a ``share`` of its trust in each of ``targets`` (in place).

    Used for the trust costs of blocking and of breaking silence. The loss is proportional, so
    trust stays in [0, 1].
    """
    holders = np.asarray(holders, dtype=int)
    targets = np.asarray(targets, dtype=int)
    if len(holders) == 0 or len(targets) == 0 or share <= 0:
        return
    block = trust[np.ix_(holders, targets)]
    block *= 1.0 - share
    trust[np.ix_(holders, targets)] = block
    np.fill_diagonal(trust, 1.0)


def raise_trust_among(trust: np.ndarray, group, share: float) -> None:
    """Close a ``share`` of the gap ``1 - T`` for every ordered pair inside ``group`` (in place)."""
    group = np.asarray(group, dtype=int)
    if len(group) < 2 or share <= 0:
        return
    block = trust[np.ix_(group, group)]
    block += share * (1.0 - block)
    trust[np.ix_(group, group)] = block
    np.fill_diagonal(trust, 1.0)


# --------------------------------------------------------------------------- the phase
SECTION = "trust"
Params = TrustParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: trust and its baseline are built with the state."""


def step(model: AllianceModel) -> None:
    """Phase 13: reciprocity and decay toward the alignment baseline, all pairs at once."""
    p, s = model.spec.trust, model.state
    if p.enabled:
        s.trust = update_trust(
            s.trust, s.trust_baseline, p.reciprocity_per_month, p.decay_per_month, model.months
        )


def mean_trust(model: AllianceModel) -> float:
    """Mean directed trust between distinct members (0-1)."""
    return metrics.member_pair_mean(model.state.trust, model.state.member)


OUTPUTS = (level(mean_trust),)
