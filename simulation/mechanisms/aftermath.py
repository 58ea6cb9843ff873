"""What a crisis leaves behind: costs per rung, the adversary's lessons, abandonment, entrapment.

Not a phase of its own: :mod:`~simulation.mechanisms.crises` calls it once a crisis has ended.
The rules and their parameters (section ``crises``) are stated in that module's docstring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import escalation as ladder
from simulation.mechanisms.rates import close_gap

if TYPE_CHECKING:
    from simulation.model import AllianceModel


def abandonment(
    trust: np.ndarray, target: int, supporters, non_supporters, cost: float, gain: float
) -> None:
    """The target's trust: down toward allies who did not support it, up toward those who did."""
    non = np.asarray(non_supporters, dtype=int)
    non = non[non != target]
    trust[target, non] *= 1.0 - cost
    sup = np.asarray(supporters, dtype=int)
    sup = sup[sup != target]
    trust[target, sup] += gain * (1.0 - trust[target, sup])


def entrapment(
    resolve: np.ndarray, supporters, exposure: np.ndarray, threshold: float, cost: float
) -> None:
    """Supporters with little exposure lose a share ``cost`` of their resolve (in place)."""
    sup = np.asarray(supporters, dtype=int)
    trapped = sup[exposure[sup] < threshold]
    resolve[trapped] *= 1.0 - cost


def consequences(
    model: AllianceModel, target: int, rung: int, backers: np.ndarray, fighters: np.ndarray | None
) -> None:
    """Costs of the rung taken (sanctions, arms, intelligence) and of any fight."""
    p, s = model.spec.crises, model.state
    adv = s.adversary
    helpers = backers[backers != target]
    if rung >= ladder.POLITICAL and len(helpers):
        s.gdp[adv] *= 1.0 - p.sanction_cost_adversary
        s.gdp[helpers] *= 1.0 - p.sanction_cost_members
    if rung >= ladder.SUPPORT and len(helpers):
        delivered = p.arms_transfer_share * s.capability[helpers]
        s.capability[helpers] -= delivered
        s.capability[target] += delivered.sum()
        s.readiness[target] = close_gap(s.readiness[target], p.intel_readiness_gain)
    if fighters is not None:
        side = np.union1d(fighters, np.flatnonzero(adv)).astype(int)
        s.readiness[side] *= 1.0 - p.defend_readiness_cost
        s.capability[side] *= 1.0 - p.defend_capability_loss


def aftermath(
    model: AllianceModel, target: int, rung: int, gained: float, decided: bool, backers
) -> None:
    """What the adversary learns; its aggression; abandonment and entrapment."""
    p, a, s = model.spec.crises, model.spec.adversary, model.state
    s.aggression = ladder.aggression_after(
        s.aggression, gained, a.aggression_gain, a.aggression_loss
    )
    if not decided:  # the adversary learns about the alliance only where it had to decide
        return
    which = 0 if s.member[target] else 1
    responded, conceded = ladder.evidence(rung)
    s.evidence_respond[which] += responded
    s.evidence_concede[which] += conceded
    non = np.setdiff1d(s.members, backers)
    abandonment(s.trust, target, backers, non, p.abandonment_trust_cost, p.support_trust_gain)
    if rung == ladder.MILITARY:
        entrapment(s.resolve, backers, s.exposure, p.entrapment_exposure, p.entrapment_resolve_cost)
