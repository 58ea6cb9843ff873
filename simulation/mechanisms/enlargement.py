"""Enlargement: an aspirant's request, the invitation by consensus, ratification by each member.

An aspirant that meets its programme's criteria requests accession (see
:mod:`simulation.mechanisms.partnership`). The invitation is a proposal at the aspirant's
position, put by the member that trusts it most and decided under the scenario's rule (with the
kind parameters in ``enlargement``, and ``enlargement.support_threshold`` in place of the routine
threshold if it is set): a member's objection follows its interest distance to the aspirant. A
blocked aspirant may ask again after ``reapply_months``.

Once invited, each member ratifies the accession protocol under its own procedure (North
Atlantic Treaty, Article 10: "in accordance with their respective constitutional processes"):
after an exponential delay with mean ``ratification_mean_months`` if its parliament votes (the
default), or ``executive_mean_months`` if its government ratifies without a vote (members listed
in ``executive_ratification``, each with its source; e.g. the United Kingdom under the
Constitutional Reform and Governance Act 2010). The accession waits for the slowest member, so
its latency grows with the number of ratifying members (the expected maximum of ``n`` exponential
delays is the mean times the harmonic number ``H_n``, about ``ln n + 0.58``).

Holdouts are named by the scenario: a member with a listed bilateral dispute with the aspirant
(``disputes``: member, aspirant, ``extra_months``, source; e.g. Turkey's and Hungary's over
Sweden, 2022-24) always holds out and adds a gamma-distributed delay with mean ``extra_months``
and shape ``dispute_shape`` (coefficient of variation ``1 / sqrt(shape)``). Other members hold
out at random with probability ``holdout_probability * (1 - A[i, aspirant])`` (less aligned
members hold out more) and then add an exponential delay with mean ``holdout_extra_months``
(stream ``enlargement``). The aspirant joins when the last member has ratified: it becomes a
member (institutional trust bonus, influence, a place in decisions and burden sharing) and the
adversary's threat perception of the alliance closes ``enlargement_threat_gain`` of its gap to 1
(Russia's stated reaction to NATO enlargement; the security-dilemma reading of Jervis 1978).

Units: months; probabilities 0-1. Defaults: parliamentary mean 10 months and executive 1 month
per member (assumptions; ``pfp_enlargement`` calibrates both to the 2022 record), no disputes,
dispute shape 4 (assumption). Record: NATO's accession rounds took 4 to 20 months from the
signature of the protocol to accession (``scenarios/data/nato_accession_rounds.csv``);
Finland's took 11 months from application, Sweden's 22 (Turkey and Hungary held out).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.consensus import ProposalKind
from simulation.mechanisms.negotiation import Proposal, apply_decision, put_to_members
from simulation.mechanisms.rates import close_gap
from simulation.outputs import level
from simulation.parameters import param
from simulation.state import set_member

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class DisputeSpec:
    """A documented bilateral grievance of a member against an aspirant: a named holdout."""

    member: str = param(doc="ISO3 of the member that holds out")
    aspirant: str = param(doc="ISO3 of the aspirant it holds out against")
    extra_months: float = param(
        doc="Mean extra ratification delay the dispute causes (gamma, shape dispute_shape)",
        unit="months",
        lo=0,
        hi=600,
    )
    source: str = param(doc="Where the dispute and its duration are documented")


@dataclass(frozen=True)
class ProcedureSpec:
    """A member whose government ratifies an accession protocol without a parliamentary vote."""

    member: str = param(doc="ISO3 of the member")
    source: str = param(doc="Where the procedure is documented")


@dataclass(frozen=True)
class EnlargementParams:
    """Enlargement: invitation by consensus, ratification member by member."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    ratification_mean_months: float = param(
        10.0,
        doc="Mean ratification delay of a member whose parliament votes (exponential)",
        unit="months",
        lo=0,
        hi=600,
    )
    executive_mean_months: float = param(
        1.0,
        doc="Mean ratification delay of a member listed in executive_ratification (exponential)",
        unit="months",
        lo=0,
        hi=600,
    )
    executive_ratification: tuple[ProcedureSpec, ...] = param(
        doc="Members whose government ratifies without a parliamentary vote (with sources)",
        default=(),
    )
    disputes: tuple[DisputeSpec, ...] = param(
        doc="Documented bilateral disputes: the member always holds out against the aspirant",
        default=(),
    )
    dispute_shape: float = param(
        4.0,
        doc="Gamma shape of a dispute's extra delay (coefficient of variation 1/sqrt(shape))",
        unit="1",
        lo=0.1,
        hi=1000,
    )
    holdout_probability: float = param(
        0.3,
        doc="Probability that a member with zero alignment to the aspirant holds out "
        "(scaled by 1 - alignment)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    holdout_extra_months: float = param(
        12.0,
        doc="Mean extra delay of a holdout (exponential); Sweden waited 20 months in all",
        unit="months",
        lo=0,
        hi=600,
    )
    threat_relevance: float = param(
        0.5,
        doc="How much threat perception drives support for an invitation",
        unit="0-1",
        lo=0,
        hi=1,
    )
    sovereignty_cost: float = param(
        0.2, doc="Sovereignty cost of an invitation", unit="0-1", lo=0, hi=1
    )
    support_threshold: float | None = param(
        None,
        doc="Utility a member needs to support an invitation (default: "
        "consensus.support_threshold)",
        lo=-5,
        hi=5,
    )
    reapply_months: int = param(
        24,
        doc="Wait before an aspirant whose invitation was blocked asks again",
        unit="months",
        lo=0,
        hi=1200,
    )


def ratification_months(
    rng: np.random.Generator,
    alignment_to_aspirant: np.ndarray,
    mean_months: float | np.ndarray,
    holdout_probability: float,
    holdout_extra_months: float,
    dispute_months: np.ndarray | None = None,
    dispute_shape: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Each ratifying member's delay in months, and which of them held out.

    ``mean_months`` is one mean for all or each member's mean (by its procedure);
    ``dispute_months[i] > 0`` makes member ``i`` a holdout with a gamma extra delay of that mean.
    """
    n = len(alignment_to_aspirant)
    means = np.broadcast_to(np.asarray(mean_months, dtype=float), (n,))
    delay = rng.exponential(means) if np.any(means > 0) else np.zeros(n)
    uniforms = rng.random(n)
    holdout = uniforms < holdout_probability * (1.0 - alignment_to_aspirant)
    extra = rng.exponential(holdout_extra_months, n) if holdout_extra_months > 0 else np.zeros(n)
    delay = delay + np.where(holdout, extra, 0.0)
    if dispute_months is not None and np.any(dispute_months > 0):
        disputed = dispute_months > 0
        scale = np.where(disputed, dispute_months, 0.0) / dispute_shape
        delay = delay + rng.gamma(dispute_shape, np.where(disputed, scale, 1.0)) * disputed
        holdout = holdout | disputed
    return delay, holdout


def member_means(
    n: int, executive: list[int], parliament_months: float, executive_months: float
) -> np.ndarray:
    """Each nation's mean ratification delay by its procedure (months)."""
    means = np.full(n, parliament_months)
    means[executive] = executive_months
    return means


def dispute_matrix(n: int, disputes: list[tuple[int, int, float]]) -> np.ndarray:
    """``D[member, aspirant]``: mean extra months of a listed dispute (0 without one)."""
    out = np.zeros((n, n))
    for member, aspirant, months in disputes:
        out[member, aspirant] = months
    return out


# --------------------------------------------------------------------------- the phase
SECTION = "enlargement"
Params = EnlargementParams


def init(model: AllianceModel) -> None:
    """Invitations being ratified and blocked aspirants' waiting times (both start empty)."""
    model.ratifications = {}  # aspirant -> step at which it joins
    model.reapply_at = {}  # blocked aspirant -> step at which it may ask again
    p, index = model.spec.enlargement, {iso: i for i, iso in enumerate(model.state.iso3)}
    executive = [index[e.member] for e in p.executive_ratification]
    model.ratification_means = member_means(
        model.state.n, executive, p.ratification_mean_months, p.executive_mean_months
    )
    model.disputes = dispute_matrix(
        model.state.n, [(index[d.member], index[d.aspirant], d.extra_months) for d in p.disputes]
    )


def step(model: AllianceModel) -> None:
    """Phase 5: invite requesting aspirants by consensus; complete due ratifications."""
    p, s = model.spec.enlargement, model.state
    for aspirant, join_step in sorted(model.ratifications.items()):
        if join_step <= model.steps:
            del model.ratifications[aspirant]
            set_member(s, model.spec, aspirant)
            gain = model.spec.adversary.enlargement_threat_gain
            s.adversary_threat = close_gap(s.adversary_threat, gain)
            model.record_event("accession", actor=s.iso3[aspirant], outcome="member")
    if not p.enabled:
        return
    pending = [
        int(i)
        for i in np.flatnonzero(s.accession_requested & s.partner)
        if int(i) not in model.ratifications
    ]
    rng = model.streams["enlargement"]
    params = model.spec.consensus
    if p.support_threshold is not None:
        params = dataclasses.replace(params, support_threshold=p.support_threshold)
    for aspirant in pending:
        members = s.members
        proposer = int(members[np.argmax(s.trust[members, aspirant])])
        kind = ProposalKind(0.0, p.threat_relevance, p.sovereignty_cost, 0.0)
        proposal = Proposal("enlargement", proposer, s.interests[aspirant].copy(), subject=aspirant)
        shocks = rng.normal(0.0, params.support_noise_sd, len(members))
        decision = put_to_members(model, proposal, kind, members, shocks, params)
        apply_decision(model, decision, subject=s.iso3[aspirant])
        if decision.adopted:
            delays, holdouts = ratification_months(
                rng,
                s.alignment[members, aspirant],
                model.ratification_means[members],
                p.holdout_probability,
                p.holdout_extra_months,
                model.disputes[members, aspirant],
                p.dispute_shape,
            )
            last = float(delays.max()) if len(delays) else 0.0
            model.ratifications[aspirant] = model.steps + max(1, math.ceil(last / model.months))
            model.record_event(
                "invitation",
                actor=s.iso3[aspirant],
                participants=[s.iso3[i] for i in members[holdouts]],
                outcome="ratifying",
                latency_days=last * 365.25 / 12.0,
            )
        else:
            s.accession_requested[aspirant] = False
            model.reapply_at[aspirant] = model.steps + math.ceil(p.reapply_months / model.months)


def members(model: AllianceModel) -> int:
    """Number of members."""
    return int(model.state.member.sum())


OUTPUTS = (level(members),)
