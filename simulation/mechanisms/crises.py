"""Crises (DESIGN 3.2, mechanism 5): the adversary's challenge, the alliance's response, aftermath.

**Challenge.** The adversary values a successful challenge of target ``t`` at
``aggression * exposure_t`` (stakes fall with distance) and a failed one at ``-failure_cost``, so
its expected utility is ``EU_t = aggression * exposure_t * (1 - p_fail_t) - failure_cost *
p_fail_t`` (expected-utility theory of deterrence; Bueno de Mesquita 1981; Huth 1988). It picks
the target with the highest ``EU`` and challenges with probability ``1 - exp(-lambda)``,
``lambda = challenge_rate_per_year * max(0, EU_max) * m / 12`` (stream ``adversary``: three draws
per step whatever the state, for the challenge, the outcome and a lone resistance, so variants
share the shocks).

**Crisis.** The adversary's evidence, aggression and the outcome are described below; the
aggression also relaxes toward its initial value by ``aggression_recovery_per_year`` (phase 2).
If the alliance has collective defence and the target is a member (or a partner,
with ``support_partners``), the challenge opens a crisis: a ``crisis_response`` proposal by the
target (or, for a partner, the member that trusts it most) about the target (members weigh their
trust in the target; ``treaty_obligation`` is added to support when the target is a member),
decided under the scenario's rule with
only ``max_rounds`` rounds (time pressure), plus ``intel_bonus_rounds`` if the target shares
intelligence in the group (earlier warning). Without a decision to respond the alliance
**concedes**. If it responds, the adversary backs down with the probability that the responders'
own local capability prevails (**deterred**), otherwise the responders must **defend** and lose
``defend_readiness_cost`` of readiness and ``defend_capability_loss`` of capability.

Without a commitment (no collective defence, or a partner when ``support_partners`` is false) no
alliance decision is taken: the target resists alone with probability equal to its resolve
(a third draw of the ``adversary`` stream), with its own forces; the adversary's estimate
``p_fail`` for such targets is ``resolve * p_prevail(own forces)``.

**Aftermath** (Snyder 1984, the alliance security dilemma of abandonment and entrapment):

* the adversary's evidence about members or partners (whichever the target is): a response
  adds 1 to ``a``, a concession 1 to ``b``; a challenge with no alliance decision (no
  collective defence) teaches nothing about the alliance;
* aggression: a concession closes ``aggression_gain`` of the gap to 1; a deterred challenge loses
  ``aggression_loss`` of it;
* abandonment: the target loses ``abandonment_trust_cost`` of its trust in every member that did
  not vote to respond, and closes ``support_trust_gain`` of its gap toward every member that did,
  whether or not the vote carried;
* entrapment: responders (members that committed forces after an adopted response) with
  ``exposure < entrapment_exposure`` lose ``entrapment_resolve_cost``
  of their resolve (resolve recovers ``resolve_recovery_per_year`` of the gap per year).
"""

from __future__ import annotations

import math

import numpy as np

OUTCOMES = ("deterred", "defended", "conceded")


def challenge_utility(
    p_fail: np.ndarray, exposure: np.ndarray, aggression: float, failure_cost: float
) -> np.ndarray:
    """Adversary's expected utility of challenging each nation."""
    return aggression * exposure * (1.0 - p_fail) - failure_cost * p_fail


def choose_challenge(
    uniform: float,
    utility: np.ndarray,
    candidates: np.ndarray,
    rate_per_year: float,
    months: float,
) -> int | None:
    """The target challenged this step, or None; ``uniform`` is one U(0, 1) draw."""
    if len(candidates) == 0:
        return None
    best = int(candidates[np.argmax(utility[candidates])])
    hazard = rate_per_year * max(0.0, float(utility[best])) * months / 12.0
    return best if uniform < 1.0 - math.exp(-hazard) else None


def outcome(responded: bool, p_prevail: float, uniform: float) -> str:
    """``conceded`` without a response; else ``deterred`` w.p. ``p_prevail``, else ``defended``."""
    if not responded:
        return "conceded"
    return "deterred" if uniform < p_prevail else "defended"


def update_aggression(aggression: float, result: str, gain: float, loss: float) -> float:
    """Aggression after a crisis: up on concession, down when deterred."""
    if result == "conceded":
        return aggression + gain * (1.0 - aggression)
    if result == "deterred":
        return aggression * (1.0 - loss)
    return aggression


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
