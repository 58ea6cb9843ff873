"""Consensus decisions (DESIGN 3.2, mechanism 2): proposals, four decision rules, negotiation.

A proposal has a kind (``crisis_response``, ``common_funding``, ...), a proposer (a member drawn
with probability equal to its influence), a position ``p`` in the issue space (the proposer's
interests plus Normal noise of sd ``proposal_spread``, clipped to [0, 1]) and an ambition
``a`` (1 at first).

Utility of member ``i`` (support if ``u_i >= 0``)::

    u_i = w_align * (1 - mean_k |x_ik - p_k|)          interest alignment with the proposal
        + w_threat * relevance_kind * threat_i          threat perception (Walt 1987)
        + w_trust * T[i, s]                             trust in the subject s (the
                                                        proposer unless the proposal is
                                                        about another nation)
        + w_resolve * relevance'_kind * resolve_i        domestic resolve (crisis responses)
        + obligation                                    treaty commitment (crises: Article 5)
        - w_sov * sovereignty_i * cost_kind * a         sovereignty cost, scaled by ambition
        + eps_i - threshold                             eps_i ~ Normal(0, support_noise_sd)

``eps_i`` is drawn once per proposal (stream ``consensus`` for routine proposals, ``crises`` for
crisis responses, ``enlargement`` for invitations), so negotiation changes the proposal, not the
members' moods.

Decision rules (``consensus.rule``):

* ``unanimity``: adopted only if every member supports; any opponent vetoes (the North Atlantic
  Council's consensus rule as usually modelled; Tsebelis 2002 on veto players).
* ``silence_procedure``: adopted unless some member breaks silence, which it does only if
  ``u_i < -silence_break_margin``; silence counts as consent (silent members are supporters).
  A member that breaks silence in any round of a proposal pays once: every member that did not
  itself break silence loses a
  share ``silence_break_trust_cost`` of its trust in it (NATO's silence procedure turns a veto
  into a costly act); if the proposal fails it is also a blocker.
* ``qualified_majority``: adopted if the influence-weighted share of supporters is at least
  ``qmv_threshold`` (0.65, after the EU's population threshold); when it is adopted, outvoted
  members do not block; when it fails, the opponents are the blockers.
* ``coalition_of_the_willing``: adopted if supporters hold at least ``coalition_min_share`` of
  influence; only supporters act and the others abstain constructively, at no trust cost; when
  it fails, the opponents are the blockers.

Negotiation: if a round fails, the proposal moves a share ``dilution_per_round`` of the way to
the mean position of the holdouts and loses the same share of its ambition (side payments and
watered-down texts), until it passes or ``max_rounds`` rounds are used. Latency is
``rounds * round_days`` days; dilution is ``1 - a``. With more members, unanimity meets more
holdouts, so latency grows with membership (Tsebelis 2002; the rule's cost that the decision
rule variants let users measure).

Consequences: when adopted, supporters close ``success_trust_gain`` of their trust gap with one
another; when blocked, each supporter loses ``block_trust_cost`` of its trust in each blocker.

Defaults are assumptions calibrated so that the NATO 2024 scenario adopts most proposals under
unanimity after a few rounds (see ``docs/ODD.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from simulation.schema import ConsensusParams, ProposalKind


@dataclass
class Proposal:
    """A proposal before the council."""

    kind: str
    proposer: int
    position: np.ndarray
    ambition: float = 1.0
    subject: int | None = None
    """Nation the proposal is about (a crisis target, an aspirant); trust in it, not in the
    proposer, then drives support."""
    obligation: float = 0.0
    """Utility added to every voter's support (a treaty commitment to honour)."""

    @property
    def trusted(self) -> int:
        """Whose trustworthiness voters weigh: the subject if there is one, else the proposer."""
        return self.proposer if self.subject is None else self.subject


@dataclass(frozen=True)
class RoundOutcome:
    """Result of one vote under a rule; masks are over the voters."""

    adopted: bool
    supporters: np.ndarray
    blockers: np.ndarray
    silence_breakers: np.ndarray
    support_share: float


@dataclass
class Decision:
    """Final result of a proposal after negotiation; index arrays are nation indices."""

    proposal: Proposal
    adopted: bool
    rounds: int
    latency_days: float
    dilution: float
    support_share: float
    supporters: np.ndarray
    blockers: np.ndarray
    silence_breakers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


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


def utilities(
    proposal: Proposal,
    kind: ProposalKind,
    interests: np.ndarray,
    threat: np.ndarray,
    trust_in_proposer: np.ndarray,
    sovereignty: np.ndarray,
    shocks: np.ndarray,
    p: ConsensusParams,
    resolve: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Each voter's utility of adopting the proposal (arrays are over the voters)."""
    align = 1.0 - np.abs(interests - proposal.position).mean(axis=1)
    return (
        p.alignment_weight * align
        + p.threat_weight * kind.threat_relevance * threat
        + p.trust_weight * trust_in_proposer
        + p.resolve_weight * kind.resolve_relevance * resolve
        + proposal.obligation
        - p.sovereignty_weight * sovereignty * kind.sovereignty_cost * proposal.ambition
        + shocks
        - p.support_threshold
    )


def vote(rule: str, utility: np.ndarray, influence: np.ndarray, p: ConsensusParams) -> RoundOutcome:
    """Apply a decision rule to the voters' utilities (see module docstring)."""
    support = utility >= 0.0
    total = influence.sum()
    share = float(influence[support].sum() / total) if total > 0 else float(support.mean())
    none = np.zeros_like(support)
    if rule == "unanimity":
        blockers = ~support
        return RoundOutcome(not blockers.any(), support, blockers, none, share)
    if rule == "silence_procedure":
        breakers = utility < -p.silence_break_margin
        return RoundOutcome(not breakers.any(), ~breakers, breakers, breakers, share)
    if rule == "qualified_majority":
        adopted = share >= p.qmv_threshold
        return RoundOutcome(adopted, support, none if adopted else ~support, none, share)
    if rule == "coalition_of_the_willing":
        adopted = share >= p.coalition_min_share and support.any()
        return RoundOutcome(adopted, support, none if adopted else ~support, none, share)
    raise ValueError(f"unknown decision rule {rule!r}")


def negotiate(
    proposal: Proposal,
    kind: ProposalKind,
    voters: np.ndarray,
    interests: np.ndarray,
    threat: np.ndarray,
    trust: np.ndarray,
    sovereignty: np.ndarray,
    influence: np.ndarray,
    shocks: np.ndarray,
    p: ConsensusParams,
    resolve: np.ndarray | None = None,
) -> Decision:
    """Vote, and dilute toward the holdouts between rounds, until adopted or out of rounds."""
    x = interests[voters]
    res = resolve[voters] if resolve is not None else 0.0
    args = (x, threat[voters], trust[voters, proposal.trusted], sovereignty[voters], shocks)
    weights = influence[voters]
    breakers = np.zeros(len(voters), dtype=bool)
    for round_ in range(1, p.max_rounds + 1):
        out = vote(p.rule, utilities(proposal, kind, *args, p, res), weights, p)
        breakers |= out.silence_breakers
        if out.adopted or round_ == p.max_rounds:
            break
        holdouts = out.blockers if out.blockers.any() else ~out.supporters
        target = x[holdouts].mean(axis=0)
        proposal.position = proposal.position + p.dilution_per_round * (target - proposal.position)
        proposal.ambition *= 1.0 - p.dilution_per_round
    return Decision(
        proposal=proposal,
        adopted=bool(out.adopted),
        rounds=round_,
        latency_days=round_ * p.round_days,
        dilution=1.0 - proposal.ambition,
        support_share=out.support_share,
        supporters=voters[out.supporters],
        blockers=voters[out.blockers],
        silence_breakers=voters[breakers],
    )
