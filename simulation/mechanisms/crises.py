"""Crises (DESIGN 3.2, mechanism 5): challenge, response on an escalation ladder, reaction.

**Challenge.** The stake of target ``t`` is ``aggression * exposure_t`` (stakes fall with
distance). The adversary values a challenge by the crisis it foresees (expected-utility theory of
deterrence, Bueno de Mesquita 1981, Huth 1988, solved backward as in Fearon 1994): its belief
that the alliance answers (``p_respond_t``), the local balance if it does (``p_prevail_t``) or if
the target stands alone (``p_alone_t``), and its own logit reaction in each case
(:func:`~simulation.mechanisms.escalation.challenge_values`). Opportunities to
challenge arrive as a Poisson process with ``adversary.challenge_rate_per_year`` per year; on each,
the adversary chooses "no challenge" (utility ``status_quo_utility``) or one reachable target
(exposure > 0; members, partners or others) by a logit (quantal-response) choice with precision
``rationality`` (:mod:`~simulation.mechanisms.escalation`), so challenges spread over targets in
proportion to ``exp(rationality * EU_t)``. A declined opportunity counts as a success of general
deterrence (``general_deterrence``). Stream ``adversary``: five draws per step whatever the state
(opportunity, choice, a lone resistance, the reaction, the fight), so variants share the shocks.

**Response (the ladder).** If the alliance has collective defence and the target is a member (or
a partner, with ``support_partners``), the challenge opens a crisis. Each member ``j`` weighs a
response by the council's utility (:mod:`~simulation.mechanisms.negotiation`: interest alignment
with the target, its threat perception, which grows with its exposure, its trust in the target,
its resolve, minus the sovereignty cost), plus ``treaty_obligation`` for a member target (Article
5) or ``depth_weight`` times the depth of the partnership for a partner (its mean
interoperability with the members, which grows with the years of the programme and joint
training; Leeds 2003 on why commitments are honoured). A military commitment is put to the
council under the scenario's rule with ``max_rounds`` rounds (plus ``intel_bonus_rounds`` if the
target is in the intelligence-sharing group) and ``support_threshold`` as the bar. If it is not
adopted, the highest lesser rung whose willing members (utility plus ``support_relief`` or
``political_relief`` at least 0) hold ``lesser_rung_quorum`` of influence is taken: support short
of war, or political and economic measures, else none. A partner's response never exceeds
``partner_max_response``. Targets the alliance is not committed to get no response.

**Reaction.** A member target, and any target given support short of war or more, defends itself;
others resist alone with probability equal to their resolve. ``D``, the probability that the
defence present prevails locally, counts the target's own forces, forward presence and, at the
military rung, ``allied_projection`` of the backers' ready forces (``support_effect`` of it at the
support rung). The adversary backs down, holds or escalates by the ladder's logit; war between the
alliance and the adversary happens only when a military commitment meets escalation. An
escalation is won by the adversary with probability ``1 - D``.

**Consequences per rung.** Political and economic measures cost the adversary
``sanction_cost_adversary`` of its GDP and each backer ``sanction_cost_members`` of its own
(trade). Support short of war transfers ``arms_transfer_share`` of each backer's capability to the
target (arms strengthen its own forces) and closes ``intel_readiness_gain`` of its readiness gap
(intelligence, training). Any fight (war, or an escalation against a target without a
commitment) costs the fighters ``defend_readiness_cost`` of readiness and ``defend_capability_loss``
of capability, the adversary included.

**Aftermath** (Snyder 1984, the alliance security dilemma of abandonment and entrapment):

* the adversary's evidence about members or partners (whichever the target is): a crisis adds
  ``rung / 3`` to ``a`` (responded) and ``1 - rung / 3`` to ``b`` (conceded); a challenge with no
  alliance decision (no commitment) teaches nothing about the alliance;
* aggression: a gain (an escalation won, a hold worth ``hold_share * (1 - D)``, or an unopposed
  take) closes ``adversary.aggression_gain`` of the gap to 1 in proportion; a failure (backed down,
  an escalation lost) loses ``adversary.aggression_loss`` of it;
* abandonment: the target loses ``abandonment_trust_cost`` of its trust in every member that was
  not willing at the rung taken, and closes ``support_trust_gain`` of its gap toward every member
  that was;
* entrapment: at the military rung, backers with ``exposure < entrapment_exposure`` lose
  ``entrapment_resolve_cost`` of their resolve (resolve recovers ``resolve_recovery_per_year`` of
  the gap per year).

Defaults marked "fitted": ``scripts/calibrate_crises.py`` (``docs/calibration.md``); others assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from simulation.mechanisms import deterrence
from simulation.mechanisms import escalation as ladder
from simulation.mechanisms.aftermath import aftermath, consequences
from simulation.mechanisms.consensus import ProposalKind
from simulation.mechanisms.negotiation import (
    Decision,
    Proposal,
    apply_decision,
    put_to_members,
    utilities,
)
from simulation.outputs import count
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


def _share(default: float, doc: str, unit: str = "0-1") -> float:
    return param(default, doc=doc, unit=unit, lo=0, hi=1)


def _stake(default: float, doc: str) -> float:
    return param(default, doc=doc, unit="stake units", lo=0, hi=100)


@dataclass(frozen=True)
class CrisisParams:
    """Crises (mechanism 5): challenge choice, the escalation ladder and the aftermath."""

    enabled: bool = param(True, doc="Switch crises (adversary challenges) on or off")
    rationality: float = param(
        20.0,
        doc="Precision of the adversary's logit choices (challenge, reaction); 0: all options "
        "equally likely, large: always the best (fitted)",
        unit="1/stake units",
        lo=0,
        hi=1000,
    )
    status_quo_utility: float = param(
        0.3,
        doc="Adversary's utility of not challenging on an opportunity (fitted)",
        unit="stake units",
        lo=-10,
        hi=10,
    )
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
    partner_max_response: Literal["none", "political", "support", "military"] = param(
        "support",
        doc="Highest rung of the alliance's response to a partner's crisis (no treaty "
        "obligation: support short of war by default, as for Georgia 2008 and Ukraine 2014-22)",
    )
    support_threshold: float = param(
        1.3,
        doc="Utility a member needs to support a military commitment (replaces the routine "
        "consensus.support_threshold in crises: a higher bar than routine decisions)",
        lo=-5,
        hi=5,
    )
    support_relief: float = param(
        0.3,
        doc="How much lower the bar is for support short of war than for a commitment",
        lo=0,
        hi=5,
    )
    political_relief: float = param(
        0.6,
        doc="How much lower the bar is for political and economic measures than for a commitment",
        lo=0,
        hi=5,
    )
    lesser_rung_quorum: float = _share(
        0.3, "Share of members' influence that must be willing for a rung below a commitment"
    )
    treaty_obligation: float = param(
        0.05,
        doc="Utility of honouring a treaty commitment: added to every member's support for "
        "responding when the target is a member (Article 5), not when it is a partner (fitted)",
        lo=0,
        hi=5,
    )
    depth_weight: float = param(
        0.5,
        doc="Weight of partnership depth (the partner's mean interoperability with members) in "
        "members' support for a partner",
        lo=0,
        hi=5,
    )
    threat_relevance: float = _share(1.0, "How much threat perception drives support")
    sovereignty_cost: float = _share(0.3, "Sovereignty cost of committing forces")
    resolve_relevance: float = _share(1.0, "How much domestic resolve drives support")
    audience_cost: float = _stake(
        0.0, "Adversary's cost of backing down once it has challenged (Fearon 1994; fitted)"
    )
    hold_share: float = _share(
        0.5, "Share of the stake the adversary keeps by holding what it took, if not denied"
    )
    political_cost: float = _stake(0.05, "Cost to the adversary of political/economic measures")
    support_cost: float = _stake(0.1, "Cost to the adversary of support short of war")
    military_cost: float = _stake(0.2, "Cost to the adversary of facing a military commitment")
    war_cost: float = _stake(2.0, "Adversary's cost of war with the alliance")
    local_war_cost: float = _stake(0.4, "Adversary's cost of fighting a target without allies")
    support_effect: float = _share(
        0.3, "Share of the backers' projectable forces that support short of war brings to bear"
    )
    sanction_cost_adversary: float = _share(
        0.005, "Share of the adversary's GDP lost to one crisis's sanctions"
    )
    sanction_cost_members: float = _share(
        0.0005, "Share of a sanctioning member's GDP lost to lost trade"
    )
    arms_transfer_share: float = _share(
        0.002, "Share of each backer's capability delivered to the target as arms"
    )
    intel_readiness_gain: float = _share(
        0.1, "Share of the target's readiness gap closed by allied intelligence and training"
    )
    abandonment_trust_cost: float = _share(
        0.2, "Share of the target's trust lost in each ally that did not support it"
    )
    support_trust_gain: float = _share(
        0.1, "Share of the target's trust gap closed toward each ally that supported it"
    )
    entrapment_exposure: float = _share(
        0.3, "Backers of a commitment less exposed than this pay entrapment costs"
    )
    entrapment_resolve_cost: float = _share(0.05, "Share of resolve an entrapped supporter loses")
    resolve_recovery_per_year: float = _share(
        0.2, "Share of the gap to initial resolve recovered per year", unit="1/year"
    )
    defend_readiness_cost: float = _share(0.1, "Share of readiness fighters lose in a fight")
    defend_capability_loss: float = _share(0.01, "Share of capability fighters lose in a fight")


# --------------------------------------------------------------------------- the phase
SECTION = "crises"
Params = CrisisParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: the adversary's beliefs are built with the state."""


def step(model: AllianceModel) -> None:
    """Phase 12: an opportunity, perhaps a challenge, the response, the reaction, the aftermath."""
    p, a, s = model.spec.crises, model.spec.adversary, model.state
    # Always five draws (opportunity, choice, lone resistance, reaction, fight): CRN.
    u = model.streams["adversary"].random(5)
    if not p.enabled or not s.adversary.any():
        return
    if not ladder.opportunity(u[0], a.challenge_rate_per_year, model.months):
        return
    candidates = np.flatnonzero(~s.adversary & (s.exposure > 0))
    if len(candidates) == 0:
        return
    utility = challenge_values(model)[candidates]
    pick = ladder.draw(
        u[1], ladder.choice_probabilities(utility, p.rationality, p.status_quo_utility)
    )
    if pick == 0:
        model.step_counts["general_deterrence"] += 1
        return
    target = int(candidates[pick - 1])
    group = ladder.role_group(bool(s.member[target]), bool(s.partner[target]))
    model.step_counts["challenges"] += 1
    model.step_counts[f"challenges_{group}"] += 1
    is_covered = bool(deterrence.covered(model)[target])
    decision, rung, backers = None, ladder.NONE, np.zeros(0, dtype=int)
    if is_covered:
        model.step_counts["crises"] += 1
        decision, rung, backers = respond(model, target)
        model.step_counts[f"response_{ladder.RUNGS[rung]}"] += 1
    resists = bool(s.member[target]) or rung >= ladder.SUPPORT or u[2] < s.resolve[target]
    defence = defence_at(model, target, backers, rung, resists)
    stake = s.aggression * s.exposure[target]
    reacts = ladder.reaction_utilities(stake, defence, rung, p, a.failure_cost)
    move = ladder.draw(u[3], ladder.choice_probabilities(reacts[1:], p.rationality, reacts[0]))
    reaction = ladder.REACTIONS[move]
    war = reaction == "escalated" and rung == ladder.MILITARY
    won = u[4] >= defence  # the adversary wins a fight with probability 1 - D
    gained = {"backed_down": 0.0, "held": p.hold_share * (1.0 - defence)}.get(reaction, float(won))
    model.step_counts[reaction] += 1
    model.step_counts["wars"] += int(war)
    if is_covered:
        model.step_counts["crises_deterred"] += int(rung > 0 and reaction == "backed_down")
        model.step_counts["crises_defended"] += int(war)
        model.step_counts["crises_conceded"] += int(rung == ladder.NONE)
    fighters = np.union1d(backers, [target]).astype(int) if resists else backers
    fight = reaction == "escalated" and len(fighters) > 0
    consequences(model, target, rung, backers, fighters if fight else None)
    aftermath(model, target, rung, gained, is_covered, backers)
    model.record_event(
        "crisis" if is_covered else "challenge",
        actor=s.iso3[target],
        kind=s.role[target],
        participants=[s.iso3[i] for i in backers],
        outcome="war" if war else reaction,
        response=ladder.RUNGS[rung],
        rounds=decision.rounds if decision else None,
        latency_days=decision.latency_days if decision else None,
        support_share=decision.support_share if decision else None,
    )


def challenge_values(model: AllianceModel) -> np.ndarray:
    """``EU_t`` for every nation: the crisis the adversary foresees (``escalation``)."""
    p, s = model.spec.crises, model.state
    covered = deterrence.covered(model)
    cap = ladder.RUNGS.index(p.partner_max_response)
    rung = np.where(covered, np.where(s.member, ladder.MILITARY, cap), ladder.NONE)
    d_respond = np.where(covered, s.p_prevail, s.p_alone)
    d_none = np.where(s.member, s.p_alone, np.where(covered, s.resolve * s.p_alone, 0.0))
    stake = s.aggression * s.exposure
    return ladder.challenge_values(
        stake,
        s.p_respond,
        d_respond,
        d_none,
        rung,
        p,
        model.spec.adversary.failure_cost,
        p.rationality,
    )


def respond(model: AllianceModel, target: int) -> tuple[Decision | None, int, np.ndarray]:
    """The alliance's rung for a crisis about ``target``: (council decision, rung, backers)."""
    p, s = model.spec.crises, model.state
    members = s.members
    cap = ladder.MILITARY if s.member[target] else ladder.RUNGS.index(p.partner_max_response)
    obligation = p.treaty_obligation if s.member[target] else p.depth_weight * depth(model, target)
    rounds = p.max_rounds + (p.intel_bonus_rounds if model.intelligence_group[target] else 0)
    params = replace(
        model.spec.consensus,
        max_rounds=rounds,
        round_days=p.round_days,
        support_threshold=p.support_threshold,
    )
    kind = ProposalKind(0.0, p.threat_relevance, p.sovereignty_cost, p.resolve_relevance)
    proposer = target if s.member[target] else int(members[np.argmax(s.trust[members, target])])
    proposal = Proposal(
        "crisis_response",
        proposer,
        s.interests[target].copy(),
        subject=target,
        obligation=obligation,
    )
    shocks = model.streams["crises"].normal(0.0, params.support_noise_sd, len(members))
    willing = utilities(
        proposal,
        kind,
        s.interests[members],
        s.threat[members],
        s.trust[members, target],
        s.sovereignty[members],
        shocks,
        params,
        s.resolve[members],
    )
    weights = s.influence[members] / max(s.influence[members].sum(), 1e-12)
    relief = (np.inf, p.political_relief, p.support_relief, 0.0)
    shares = [float(weights[willing + r >= 0].sum()) for r in relief]
    decision = None
    if cap == ladder.MILITARY:
        decision = put_to_members(model, proposal, kind, members, shocks, params)
        apply_decision(model, decision, subject=s.iso3[target])
    rung = ladder.response_level(
        bool(decision and decision.adopted), np.array(shares), p.lesser_rung_quorum, cap
    )
    if rung == ladder.MILITARY:
        backers = decision.supporters
    elif rung == ladder.NONE:
        backers = np.zeros(0, dtype=int)
    else:
        backers = members[willing + relief[rung] >= 0]
    if s.member[target] and rung > ladder.NONE:
        backers = np.union1d(backers, [target])  # a member target takes part in its own defence
    return decision, rung, np.asarray(backers, dtype=int)


def depth(model: AllianceModel, target: int) -> float:
    """Depth of a partnership: the target's mean interoperability with the members (0-1)."""
    s = model.state
    others = s.members[s.members != target]
    return float(s.interop[others, target].mean()) if len(others) else 0.0


def defence_at(
    model: AllianceModel, target: int, backers: np.ndarray, rung: int, resists: bool
) -> float:
    """``D``: probability that the defence present at the target prevails locally."""
    if not resists and rung < ladder.SUPPORT:
        return 0.0
    weight = {ladder.MILITARY: 1.0, ladder.SUPPORT: model.spec.crises.support_effect}.get(rung, 0)
    defenders = np.union1d(backers, [target]).astype(int)
    return deterrence.prevail_with(model, target, defenders, weight)


COUNTS = (
    ("challenges", "Number of challenges this step."),
    *((f"challenges_{g}", f"Challenges of {g} this step.") for g in ladder.ROLE_GROUPS),
    ("general_deterrence", "Opportunities on which the adversary chose not to challenge."),
    ("crises", "Number of crises (challenges that open an alliance decision) this step."),
    *((f"response_{r}", f"Crises answered at the {r} rung this step.") for r in ladder.RUNGS),
    ("backed_down", "Challenges the adversary withdrew this step."),
    ("held", "Challenges in which the adversary held what it took this step."),
    ("escalated", "Challenges the adversary escalated this step (war or a local fight)."),
    ("wars", "Wars between the alliance and the adversary this step."),
    ("crises_deterred", "Crises answered (any rung) and withdrawn: immediate deterrence."),
    ("crises_defended", "Crises that ended in war between the alliance and the adversary."),
    ("crises_conceded", "Crises that the alliance did not answer."),
)
OUTPUTS = tuple(count(name, doc) for name, doc in COUNTS)
