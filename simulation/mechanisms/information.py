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

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.outputs import count
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class InformationParams:
    """Information and hybrid threats (mechanism 7)."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    campaigns_per_year: float = param(
        4.0,
        doc="Adversary disinformation campaigns per year (Poisson)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    strength: float = param(
        0.25,
        doc="Share of trust lost between the target and a fully misaligned ally by a campaign "
        "left undetected for reference_days",
        unit="0-1",
        lo=0,
        hi=1,
    )
    detection_days: float = param(
        60.0,
        doc="Mean days before a campaign is detected and countered",
        unit="days",
        lo=0,
        hi=3650,
    )
    reference_days: float = param(
        90.0,
        doc="Days undetected at which a campaign does full damage",
        unit="days",
        lo=1,
        hi=3650,
    )
    intelligence_group: tuple[str, ...] = param(
        doc="ISO3 of the intelligence-sharing group (Five Eyes style)", default=()
    )
    intel_detection_factor: float = param(
        0.3,
        doc="Detection time inside the group, as a share of detection_days",
        unit="0-1",
        lo=0,
        hi=1,
    )
    stratcom_level: float = param(
        0.0, doc="Strategic communication effort (policy lever)", unit="0-1", lo=0, hi=1
    )
    stratcom_effectiveness: float = param(
        0.6, doc="Share of campaign damage removed at stratcom_level 1", unit="0-1", lo=0, hi=1
    )
    stratcom_cost_busd_per_year: float = param(
        0.05,
        doc="Yearly cost per member at stratcom_level 1",
        unit="billion USD per year",
        lo=0,
        hi=1e4,
    )


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


# --------------------------------------------------------------------------- the phase
SECTION = "information"
Params = InformationParams


def init(model: AllianceModel) -> None:
    """Mark the members of the intelligence-sharing group (read by crises for faster warning)."""
    group = np.zeros(model.state.n, dtype=bool)
    group[[model.nation_index[i] for i in model.spec.information.intelligence_group]] = True
    model.intelligence_group = group


def step(model: AllianceModel) -> None:
    """Phase 9: disinformation campaigns wedge weakly aligned allies until detected."""
    p, s = model.spec.information, model.state
    members = s.members
    if not p.enabled or len(members) < 2 or not s.adversary.any():
        return
    s.diverted[members] += p.stratcom_level * p.stratcom_cost_busd_per_year * model.months / 12
    rng = model.streams["hybrid"]
    targets = np.flatnonzero(s.member | s.partner)
    weights = s.exposure[targets] + 0.05
    for _ in range(int(rng.poisson(p.campaigns_per_year * model.months / 12.0))):
        target = int(rng.choice(targets, p=weights / weights.sum()))
        in_group = bool(model.intelligence_group[target])
        days = detection_days(rng, p.detection_days, in_group, p.intel_detection_factor)
        damage = campaign_damage(
            s.alignment[target],
            days,
            p.strength,
            p.reference_days,
            p.stratcom_level,
            p.stratcom_effectiveness,
        )
        apply_campaign(s.trust, target, members, damage)
        model.step_counts["hybrid_campaigns"] += 1
        model.record_event(
            "hybrid_campaign",
            actor=s.iso3[target],
            outcome="intel_group" if in_group else "outside_group",
            latency_days=days,
        )


OUTPUTS = (count("hybrid_campaigns", "Number of hybrid campaigns this step."),)
