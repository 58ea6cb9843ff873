"""Consensus decisions (DESIGN 3.2, mechanism 2): proposals, four decision rules, negotiation.

A proposal has a kind (``crisis_response``, ``common_funding``, ...), a proposer (a member drawn
with probability equal to its influence), a position ``p`` in the issue space (the proposer's
interests plus Normal noise of sd ``proposal_spread``, clipped to [0, 1]) and an ambition
``a`` (1 at first).

Each member's support, the four decision rules (``rule``) and the negotiation rounds are the
council's procedure, in :mod:`simulation.mechanisms.negotiation` (shared with invitations and
crisis responses). This phase puts routine proposals to the members: a Poisson number per step
at ``proposals_per_year``; an adopted ``out_of_area`` proposal may launch a mission
(:mod:`~simulation.mechanisms.operations`).

Defaults are assumptions calibrated so that the NATO 2024 scenario adopts most proposals under
unanimity after a few rounds (see ``docs/ODD.md``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from simulation.mechanisms import operations
from simulation.mechanisms.negotiation import (  # the procedure's rules, re-exported
    Decision,
    Proposal,
    RoundOutcome,
    apply_decision,
    negotiate,
    put_to_members,
    utilities,
    vote,
)
from simulation.metrics import consensus_rate as smoothed_rate
from simulation.outputs import count, level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel

__all__ = [
    "DECISION_RULES",
    "OUTPUTS",
    "SECTION",
    "ConsensusParams",
    "Decision",
    "Params",
    "Proposal",
    "ProposalKind",
    "RoundOutcome",
    "apply_decision",
    "consensus_rate",
    "decision_latency",
    "decision_window",
    "draw_proposal",
    "init",
    "mean_dilution",
    "negotiate",
    "put_to_members",
    "step",
    "utilities",
    "vote",
]

DECISION_RULES = (
    "unanimity",
    "silence_procedure",
    "qualified_majority",
    "coalition_of_the_willing",
)


@dataclass(frozen=True)
class ProposalKind:
    """A kind of proposal put to the council."""

    weight: float = param(1.0, doc="Relative frequency of this kind", lo=0, hi=1000)
    threat_relevance: float = param(
        0.5, doc="How much threat perception drives support", unit="0-1", lo=0, hi=1
    )
    sovereignty_cost: float = param(
        0.3, doc="Sovereignty cost of full adoption", unit="0-1", lo=0, hi=1
    )
    resolve_relevance: float = param(
        0.0, doc="How much domestic resolve drives support", unit="0-1", lo=0, hi=1
    )


def _default_kinds() -> dict[str, ProposalKind]:
    return {
        "crisis_response": ProposalKind(1.0, 0.9, 0.4, 1.0),
        "common_funding": ProposalKind(1.0, 0.3, 0.5),
        "exercise_plan": ProposalKind(1.5, 0.6, 0.2),
        "sanctions": ProposalKind(0.5, 0.7, 0.3),
        "out_of_area": ProposalKind(0.5, 0.2, 0.4),
    }


@dataclass(frozen=True)
class ConsensusParams:
    """Consensus decisions (mechanism 2): proposals, decision rule, negotiation rounds."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    rule: Literal[
        "unanimity", "silence_procedure", "qualified_majority", "coalition_of_the_willing"
    ] = param("unanimity", doc="Decision rule")
    proposals_per_year: float = param(
        12.0, doc="Mean number of proposals put to members (Poisson)", unit="1/year", lo=0, hi=1000
    )
    max_rounds: int = param(
        6, doc="Negotiation rounds before a proposal is abandoned", unit="rounds", lo=1, hi=100
    )
    round_days: float = param(
        7.0, doc="Duration of one negotiation round", unit="days", lo=0, hi=365
    )
    dilution_per_round: float = param(
        0.15,
        doc="Share of the distance to the holdouts' position conceded per round; ambition "
        "falls by the same share",
        unit="0-1",
        lo=0,
        hi=0.99,
    )
    proposal_spread: float = param(
        0.15,
        doc="Standard deviation of a proposal's position around its proposer's interests",
        unit="0-1",
        lo=0,
        hi=1,
    )
    support_noise_sd: float = param(
        0.1, doc="Standard deviation of a member's idiosyncratic support shock", lo=0, hi=5
    )
    support_threshold: float = param(
        1.0, doc="Utility a member needs to support a proposal", lo=-5, hi=5
    )
    alignment_weight: float = param(1.0, doc="Weight of proposal-interest alignment", lo=0, hi=100)
    threat_weight: float = param(0.5, doc="Weight of threat perception", lo=0, hi=100)
    trust_weight: float = param(0.5, doc="Weight of trust in the proposer", lo=0, hi=100)
    sovereignty_weight: float = param(0.6, doc="Weight of sovereignty cost", lo=0, hi=100)
    resolve_weight: float = param(0.3, doc="Weight of domestic resolve", lo=0, hi=100)
    qmv_threshold: float = param(
        0.65,
        doc="Influence-weighted share of support needed under qualified_majority",
        unit="0-1",
        lo=0,
        hi=1,
    )
    silence_break_margin: float = param(
        0.2,
        doc="How far below the threshold a member's utility must be before it breaks silence",
        lo=0,
        hi=5,
    )
    silence_break_trust_cost: float = param(
        0.02,
        doc="Share of others' trust in a member lost when it breaks silence",
        unit="0-1",
        lo=0,
        hi=1,
    )
    coalition_min_share: float = param(
        0.25,
        doc="Influence share of supporters a coalition of the willing needs to act",
        unit="0-1",
        lo=0,
        hi=1,
    )
    block_trust_cost: float = param(
        0.03,
        doc="Share of supporters' trust in each blocker lost when a proposal is blocked",
        unit="0-1",
        lo=0,
        hi=1,
    )
    outvoted_trust_cost: float = param(
        0.03,
        doc="Under qualified_majority, share of an outvoted member's trust in each supporter "
        "lost, times its sovereignty_sensitivity (assumption: the scale of block_trust_cost)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    interest_convergence: float = param(
        0.01,
        doc="Share of the gap to an adopted proposal's position its supporters' interests close",
        unit="0-1",
        lo=0,
        hi=1,
    )
    interest_divergence: float = param(
        0.01,
        doc="Share of their distance from a blocked proposal's position its blockers' "
        "interests move away (clipped to 0-1)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    success_trust_gain: float = param(
        0.01,
        doc="Share of the gap 1 - T closed among supporters when a proposal is adopted",
        unit="0-1",
        lo=0,
        hi=1,
    )
    proposal_kinds: dict[str, ProposalKind] = param(
        doc="Kinds of proposal and their parameters", default_factory=_default_kinds
    )


def draw_proposal(
    rng: np.random.Generator,
    kinds: Mapping[str, ProposalKind],
    members: np.ndarray,
    influence: np.ndarray,
    interests: np.ndarray,
    spread: float,
) -> Proposal:
    """Draw a proposal's kind, proposer and position (stream ``proposals``)."""
    names = list(kinds)
    weights = np.array([kinds[k].weight for k in names], dtype=float)
    kind = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    w = influence[members]
    w = w / w.sum() if w.sum() > 0 else np.full(len(members), 1.0 / len(members))
    proposer = int(rng.choice(members, p=w))
    noise = rng.normal(0.0, spread, interests.shape[1])
    position = np.clip(interests[proposer] + noise, 0.0, 1.0)
    return Proposal(kind=kind, proposer=proposer, position=position)


# --------------------------------------------------------------------------- the phase
SECTION = "consensus"
Params = ConsensusParams


def init(model: AllianceModel) -> None:
    """An empty record of decisions (step, adopted, latency_days, dilution) for the window."""
    model.decisions = deque()


def step(model: AllianceModel) -> None:
    """Phase 10: routine proposals put to members, decided under the rule after negotiation."""
    p, s = model.spec.consensus, model.state
    members = s.members
    if not p.enabled or len(members) == 0:
        return
    proposals_rng, shocks_rng = model.streams["proposals"], model.streams["consensus"]
    for _ in range(int(proposals_rng.poisson(p.proposals_per_year * model.months / 12.0))):
        proposal = draw_proposal(
            proposals_rng, p.proposal_kinds, members, s.influence, s.interests, p.proposal_spread
        )
        shocks = shocks_rng.normal(0.0, p.support_noise_sd, len(members))
        kind = p.proposal_kinds[proposal.kind]
        decision = put_to_members(model, proposal, kind, members, shocks, p)
        apply_decision(model, decision)
        if decision.adopted and proposal.kind == "out_of_area":
            operations.launch_from_decision(model, decision)


def decision_window(model: AllianceModel) -> list[tuple[int, bool, float, float]]:
    """Decisions (step, adopted, latency_days, dilution) in the trailing metrics window."""
    window_steps = max(1, round(model.spec.metrics.window_months / model.months))
    while model.decisions and model.decisions[0][0] <= model.steps - window_steps:
        model.decisions.popleft()
    return list(model.decisions)


def consensus_rate(model: AllianceModel) -> float:
    """Share of proposals adopted in the trailing window (0-1; NaN if none was decided)."""
    window = decision_window(model)
    return smoothed_rate(sum(a for _, a, _, _ in window), len(window))


def decision_latency(model: AllianceModel) -> float:
    """Mean decision latency in the trailing window (days; NaN if no decision)."""
    window = decision_window(model)
    return float(np.mean([lat for _, _, lat, _ in window])) if window else float("nan")


def mean_dilution(model: AllianceModel) -> float:
    """Mean dilution of decisions in the trailing window (0-1; NaN if no decision)."""
    window = decision_window(model)
    return float(np.mean([d for *_, d in window])) if window else float("nan")


OUTPUTS = (
    level(consensus_rate),
    level(decision_latency),
    level(mean_dilution),
    count("proposals", "Proposals decided this step (routine, invitations, crises)."),
    count("adopted", "Proposals adopted this step."),
)
