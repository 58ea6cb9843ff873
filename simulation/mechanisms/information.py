"""Information and hybrid threats (DESIGN 3.2, mechanism 7).

The adversary runs disinformation campaigns: a Poisson number per step with mean
``campaigns_per_year * m / 12`` (stream ``hybrid``), each aimed at one member or partner drawn
with probability proportional to ``exposure + 0.05`` (campaigns concentrate on the exposed).
A campaign goes undetected for an exponential time with mean ``detection_days``, shortened to
``intel_detection_factor`` of that when the target belongs to the intelligence-sharing group
(Five Eyes style pooling of warning; the group's response is faster). Until countered it wedges
the target apart from allies it is weakly aligned with: for every other member ``j`` both
``T[t, j]`` and ``T[j, t]`` lose the share (for every member ``j`` other than the target)::

    strength * (1 - A[t, j]) * min(1, days / reference_days) * (1 - stratcom_effectiveness * level)

Disinformation exploits existing divergences rather than creating new ones (the wedge strategies
of Crawford 2011; NATO StratCom COE reports), hence the factor ``1 - A``. The default strength
(0.25) is an assumption: no study measures trust lost per campaign. Strategic communication
(``stratcom_level`` in [0, 1]) removes up to ``stratcom_effectiveness`` of the damage and costs
each member ``level * stratcom_cost_busd_per_year`` a year, diverted from capability investment.
"""

from __future__ import annotations

import numpy as np


def campaign_damage(
    alignment_row: np.ndarray,
    days: float,
    strength: float,
    reference_days: float,
    stratcom_level: float,
    stratcom_effectiveness: float,
) -> np.ndarray:
    """Share of trust lost between the target and each nation (index by the row's nations)."""
    exposure_time = min(1.0, days / reference_days)
    shield = 1.0 - stratcom_effectiveness * stratcom_level
    return strength * (1.0 - alignment_row) * exposure_time * shield


def detection_days(
    rng: np.random.Generator, mean_days: float, in_group: bool, intel_factor: float
) -> float:
    """Days a campaign runs before it is countered (exponential; shorter inside the group)."""
    mean = mean_days * (intel_factor if in_group else 1.0)
    return float(rng.exponential(mean)) if mean > 0 else 0.0


def apply_campaign(trust: np.ndarray, target: int, others: np.ndarray, damage: np.ndarray) -> None:
    """Lower trust in both directions between the target and ``others`` (in place)."""
    others = others[others != target]
    loss = damage[others]
    trust[target, others] *= 1.0 - loss
    trust[others, target] *= 1.0 - loss
