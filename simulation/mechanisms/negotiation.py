"""The council's procedure: how the members decide a proposal, whatever put it to them.

Not a phase of its own: routine proposals (:mod:`~simulation.mechanisms.consensus`), invitations
(:mod:`~simulation.mechanisms.enlargement`) and crisis responses
(:mod:`~simulation.mechanisms.crises`) are all put to the members here, under the decision rule
and negotiation parameters of the ``consensus`` section (phases may adapt them with
``dataclasses.replace``).

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
  members do not block but pay a sovereignty cost: each outvoted member ``i`` loses a share
  ``outvoted_trust_cost * sovereignty_i`` of its trust in every supporter (being bound against
  one's will is what consensus protects; Moravcsik 1998 on pooled sovereignty); when it fails,
  the opponents are the blockers.
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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.trust import lower_trust_in, raise_trust_among

if TYPE_CHECKING:
    from simulation.mechanisms.consensus import ConsensusParams, ProposalKind
    from simulation.model import AllianceModel


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
    outvoted: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


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
        outvoted=voters[~out.supporters]
        if out.adopted and p.rule == "qualified_majority"
        else np.zeros(0, dtype=int),
    )


# --------------------------------------------------------------------------- in the model
def put_to_members(
    model: AllianceModel,
    proposal: Proposal,
    kind: ProposalKind,
    voters: np.ndarray,
    shocks: np.ndarray,
    params: ConsensusParams,
) -> Decision:
    """Negotiate ``proposal`` among ``voters`` with the model's current state."""
    s = model.state
    return negotiate(
        proposal,
        kind,
        voters,
        s.interests,
        s.threat,
        s.trust,
        s.sovereignty,
        s.influence,
        shocks,
        params,
        resolve=s.resolve,
    )


def drift_interests(interests: np.ndarray, d: Decision, p: ConsensusParams) -> None:
    """Interests move with decisions (in place), so interest alignment is not a constant.

    Adopted: supporters close ``interest_convergence`` of their gap to the adopted position
    (common programmes bind them). Blocked: blockers move ``interest_divergence`` of their
    distance away from the position (a veto entrenches the difference). Clipped to [0, 1].
    """
    pos = d.proposal.position
    if d.adopted and len(d.supporters) and p.interest_convergence > 0:
        x = interests[d.supporters]
        interests[d.supporters] = x + p.interest_convergence * (pos - x)
    if not d.adopted and len(d.blockers) and p.interest_divergence > 0:
        x = interests[d.blockers]
        interests[d.blockers] = np.clip(x + p.interest_divergence * (x - pos), 0.0, 1.0)


def apply_decision(model: AllianceModel, d: Decision, subject: str | None = None) -> None:
    """Trust consequences of a decision, and its record (decision window, counts, event)."""
    p, s = model.spec.consensus, model.state
    if d.adopted:
        raise_trust_among(s.trust, d.supporters, p.success_trust_gain)
    else:
        lower_trust_in(s.trust, d.supporters, d.blockers, p.block_trust_cost)
    for i in d.outvoted:  # QMV: bound against its will, at its own sovereignty weight
        lower_trust_in(s.trust, [i], d.supporters, p.outvoted_trust_cost * s.sovereignty[i])
    drift_interests(s.interests, d, p)
    if len(d.silence_breakers):
        others = np.setdiff1d(s.members, d.silence_breakers)
        lower_trust_in(s.trust, others, d.silence_breakers, p.silence_break_trust_cost)
    model.decisions.append((model.steps, d.adopted, d.latency_days, d.dilution))
    model.step_counts["proposals"] += 1
    model.step_counts["adopted"] += int(d.adopted)
    model.record_event(
        "proposal",
        actor=s.iso3[d.proposal.proposer],
        kind=d.proposal.kind if subject is None else f"{d.proposal.kind}:{subject}",
        participants=[s.iso3[i] for i in d.blockers],
        outcome="adopted" if d.adopted else "blocked",
        rounds=d.rounds,
        latency_days=d.latency_days,
        dilution=d.dilution,
        support_share=d.support_share,
    )
