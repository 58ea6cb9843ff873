"""Enlargement: an aspirant's request, the invitation by consensus, ratification by each member.

An aspirant that meets its programme's criteria requests accession (see
:mod:`simulation.mechanisms.partnership`). The invitation is a proposal at the aspirant's
position, put by the member that trusts it most and decided under the scenario's rule (with the
kind parameters in ``enlargement``, and ``enlargement.support_threshold`` in place of the routine
threshold if it is set). A blocked aspirant may ask again after ``reapply_months``.

Once invited, each member ratifies after an exponential delay with mean
``ratification_mean_months``; a member holds out with probability
``holdout_probability * (1 - A[i, aspirant])`` (less aligned members hold out more, as Turkey and
Hungary did over Sweden) and then adds an exponential delay with mean ``holdout_extra_months``
(stream ``enlargement``). The aspirant joins when the last member has ratified: it becomes a
member (institutional trust bonus, influence, a place in decisions and burden sharing) and the
adversary's threat perception of the alliance closes ``enlargement_threat_gain`` of its gap to 1
(Russia's stated reaction to NATO enlargement; the security-dilemma reading of Jervis 1978).
Finland's accession took 11 months from application, Sweden's 22.
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
class EnlargementParams:
    """Enlargement: invitation by consensus, ratification member by member."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    ratification_mean_months: float = param(
        10.0,
        doc="Mean ratification delay per member (exponential); Finland took 11 months",
        unit="months",
        lo=0,
        hi=600,
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
    mean_months: float,
    holdout_probability: float,
    holdout_extra_months: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Each ratifying member's delay in months, and which of them held out."""
    n = len(alignment_to_aspirant)
    delay = rng.exponential(mean_months, n) if mean_months > 0 else np.zeros(n)
    uniforms = rng.random(n)
    holdout = uniforms < holdout_probability * (1.0 - alignment_to_aspirant)
    extra = rng.exponential(holdout_extra_months, n) if holdout_extra_months > 0 else np.zeros(n)
    return delay + np.where(holdout, extra, 0.0), holdout


# --------------------------------------------------------------------------- the phase
SECTION = "enlargement"
Params = EnlargementParams


def init(model: AllianceModel) -> None:
    """Invitations being ratified and blocked aspirants' waiting times (both start empty)."""
    model.ratifications = {}  # aspirant -> step at which it joins
    model.reapply_at = {}  # blocked aspirant -> step at which it may ask again


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
                p.ratification_mean_months,
                p.holdout_probability,
                p.holdout_extra_months,
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
