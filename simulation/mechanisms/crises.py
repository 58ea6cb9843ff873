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

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import deterrence
from simulation.mechanisms.consensus import ProposalKind
from simulation.mechanisms.negotiation import Decision, Proposal, apply_decision, put_to_members
from simulation.outputs import count
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class CrisisParams:
    """Crises (mechanism 5): the alliance's decision under time pressure and its aftermath."""

    enabled: bool = param(True, doc="Switch crises (adversary challenges) on or off")
    max_rounds: int = param(
        2, doc="Negotiation rounds available in a crisis", unit="rounds", lo=1, hi=100
    )
    round_days: float = param(
        2.0, doc="Duration of a crisis negotiation round", unit="days", lo=0, hi=365
    )
    intel_bonus_rounds: int = param(
        1,
        doc="Extra rounds when the target is in the intelligence-sharing group (earlier warning)",
        unit="rounds",
        lo=0,
        hi=100,
    )
    support_partners: bool = param(
        True, doc="Challenges to partners open an alliance crisis decision"
    )
    support_threshold: float = param(
        1.3,
        doc="Utility a member needs to support committing forces (replaces the routine "
        "consensus.support_threshold in crises: a higher bar than routine decisions)",
        lo=-5,
        hi=5,
    )
    treaty_obligation: float = param(
        0.3,
        doc="Utility of honouring a treaty commitment: added to every member's support for "
        "responding when the target is a member (Article 5), not when it is a partner",
        lo=0,
        hi=5,
    )
    threat_relevance: float = param(
        1.0, doc="How much threat perception drives support for a response", unit="0-1", lo=0, hi=1
    )
    sovereignty_cost: float = param(
        0.3, doc="Sovereignty cost of committing forces", unit="0-1", lo=0, hi=1
    )
    resolve_relevance: float = param(
        1.0, doc="How much domestic resolve drives support for a response", unit="0-1", lo=0, hi=1
    )
    abandonment_trust_cost: float = param(
        0.2,
        doc="Share of the target's trust lost in each ally that did not support it",
        unit="0-1",
        lo=0,
        hi=1,
    )
    support_trust_gain: float = param(
        0.1,
        doc="Share of the target's trust gap closed toward each ally that supported it",
        unit="0-1",
        lo=0,
        hi=1,
    )
    entrapment_exposure: float = param(
        0.3,
        doc="Responders (members committing forces) less exposed than this pay entrapment costs",
        unit="0-1",
        lo=0,
        hi=1,
    )
    entrapment_resolve_cost: float = param(
        0.05, doc="Share of resolve an entrapped supporter loses", unit="0-1", lo=0, hi=1
    )
    resolve_recovery_per_year: float = param(
        0.2,
        doc="Share of the gap to initial resolve recovered per year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    defend_readiness_cost: float = param(
        0.1, doc="Share of readiness responders lose when they must defend", unit="0-1", lo=0, hi=1
    )
    defend_capability_loss: float = param(
        0.01,
        doc="Share of capability responders lose when they must defend",
        unit="0-1",
        lo=0,
        hi=1,
    )


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


# --------------------------------------------------------------------------- the phase
SECTION = "crises"
Params = CrisisParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: the adversary's beliefs are built with the state."""


def step(model: AllianceModel) -> None:
    """Phase 12: the adversary may challenge one target; a crisis decides the response."""
    p, a, s = model.spec.crises, model.spec.adversary, model.state
    rng = model.streams["adversary"]
    # Always three draws (challenge, outcome, resisting alone): common random numbers.
    uniforms = rng.random(3)
    if not p.enabled or not s.adversary.any():
        return
    candidates = np.flatnonzero(s.member | s.partner)
    utility = challenge_utility(s.p_fail, s.exposure, s.aggression, a.failure_cost)
    target = choose_challenge(
        uniforms[0], utility, candidates, a.challenge_rate_per_year, model.months
    )
    if target is None:
        return
    model.step_counts["challenges"] += 1
    is_covered = bool(deterrence.covered(model)[target])
    if is_covered:
        model.step_counts["crises"] += 1
        decision = crisis_decision(model, target)
        responders = decision.supporters if decision.adopted else np.zeros(0, dtype=int)
    else:  # no alliance decision: the target resists alone with probability = its resolve
        alone = uniforms[2] < s.resolve[target]
        decision, responders = None, np.array([target] if alone else [], dtype=int)
    prevail = deterrence.prevail_with(model, target, responders)
    result = outcome(len(responders) > 0, prevail, float(uniforms[1]))
    model.step_counts[f"crises_{result}"] += int(bool(is_covered))
    aftermath(model, target, result, decision, responders)
    model.record_event(
        "crisis" if is_covered else "challenge",
        actor=s.iso3[target],
        kind=s.role[target],
        participants=[s.iso3[i] for i in responders],
        outcome=result,
        rounds=decision.rounds if decision else None,
        latency_days=decision.latency_days if decision else None,
        support_share=decision.support_share if decision else None,
    )


def crisis_decision(model: AllianceModel, target: int) -> Decision:
    """The members decide, under time pressure, whether to respond to a challenge of ``target``."""
    p, s = model.spec.crises, model.state
    members = s.members
    proposer = target if s.member[target] else int(members[np.argmax(s.trust[members, target])])
    rounds = p.max_rounds + (p.intel_bonus_rounds if model.intelligence_group[target] else 0)
    params = dataclasses.replace(
        model.spec.consensus,
        max_rounds=rounds,
        round_days=p.round_days,
        support_threshold=p.support_threshold,
    )
    kind = ProposalKind(0.0, p.threat_relevance, p.sovereignty_cost, p.resolve_relevance)
    proposal = Proposal(
        "crisis_response",
        proposer,
        s.interests[target].copy(),
        subject=target,
        obligation=p.treaty_obligation if s.member[target] else 0.0,
    )
    shocks = model.streams["crises"].normal(0.0, params.support_noise_sd, len(members))
    decision = put_to_members(model, proposal, kind, members, shocks, params)
    if s.member[target] and target not in decision.supporters:
        decision.supporters = np.append(decision.supporters, target)  # a target defends itself
    apply_decision(model, decision, subject=s.iso3[target])
    return decision


def aftermath(
    model: AllianceModel,
    target: int,
    result: str,
    decision: Decision | None,
    responders: np.ndarray,
) -> None:
    """What the adversary learns; abandonment, entrapment and the cost of fighting."""
    p, a, s = model.spec.crises, model.spec.adversary, model.state
    if decision is not None:  # the adversary learns only where the alliance had to decide
        which = 0 if s.member[target] else 1
        if result == "conceded":
            s.evidence_concede[which] += 1.0
        else:
            s.evidence_respond[which] += 1.0
    s.aggression = update_aggression(s.aggression, result, a.aggression_gain, a.aggression_loss)
    if decision is not None:
        backers = decision.supporters  # voted to respond, whether or not the vote carried
        non = np.setdiff1d(s.members, backers)
        abandonment(s.trust, target, backers, non, p.abandonment_trust_cost, p.support_trust_gain)
        entrapment(
            s.resolve, responders, s.exposure, p.entrapment_exposure, p.entrapment_resolve_cost
        )
    if result == "defended":
        s.readiness[responders] *= 1.0 - p.defend_readiness_cost
        s.capability[responders] *= 1.0 - p.defend_capability_loss


OUTPUTS = (
    count("challenges", "Number of challenges this step."),
    count("crises", "Number of crises this step."),
    count("crises_deterred", "Number of crises deterred this step."),
    count("crises_defended", "Number of crises defended this step."),
    count("crises_conceded", "Number of crises conceded this step."),
)
