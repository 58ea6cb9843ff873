"""Partnership programmes (DESIGN 3.2, mechanism 3): training, personnel exchange, engagement.

Each programme (Partnership for Peace, Mediterranean Dialogue, Istanbul Cooperation Initiative,
Enhanced Opportunity Partners, ...) lists its partners. Each step every partner takes part in a
Poisson number of activities with mean ``activities_per_year * m / 12`` (stream
``partnership``). Each activity pairs the partner with one member drawn uniformly and is a
personnel exchange with probability ``exchange_share``, otherwise a training activity:

* personnel exchange: ``T[p, m]`` and ``T[m, p]`` close ``trust_gain`` of their gap to 1
  (default 0.02): exchanges build familiarity and trust between officers;
* training: ``Q[p, m]`` (and ``Q[m, p]``) close ``interop_gain`` of their gap (default 0.03):
  partners train to NATO standards (the Planning and Review Process; Interoperability Platform);
* engagement ``E_p`` (initially ``nations[].engagement``, 0 by default) closes
  ``engagement_gain`` of its gap per activity (default 0.05) and fades
  by ``engagement_decay_per_year`` (default 0.1) per year.

An aspirant whose engagement reaches ``accession_engagement`` (0.6) and whose mean
interoperability with members reaches ``accession_interoperability`` (0.5) requests accession
(an ``accession_request`` event); if the invitation is blocked it may ask again after
``enlargement.reapply_months``. A partner belongs to one programme. Partnership as a path to
membership follows NATO's own account of PfP and the Membership Action Plan (e.g. Finland and
Sweden as Enhanced Opportunity Partners before 2022); the thresholds are assumptions. What
happens to a request is decided by the enlargement mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.rates import close_gap
from simulation.outputs import level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class ProgrammeSpec:
    """A partnership programme (mechanism 3) such as Partnership for Peace."""

    name: str = param(doc="Programme name (e.g. Partnership for Peace)")
    partners: tuple[str, ...] = param(doc="ISO3 codes of the partner nations", default=())
    activities_per_year: float = param(
        6.0,
        doc="Mean number of activities per partner (Poisson)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    exchange_share: float = param(
        0.5,
        doc="Share of activities that are personnel exchanges (the rest is training)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    trust_gain: float = param(
        0.02,
        doc="Share of the trust gap 1 - T closed by a personnel exchange (both directions)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    interop_gain: float = param(
        0.03,
        doc="Share of the interoperability gap 1 - Q closed by a training activity",
        unit="0-1",
        lo=0,
        hi=1,
    )
    engagement_gain: float = param(
        0.05,
        doc="Share of the engagement gap closed by each activity",
        unit="0-1",
        lo=0,
        hi=1,
    )
    engagement_decay_per_year: float = param(
        0.1, doc="Decay of engagement without activity", unit="1/year", lo=0, hi=1
    )
    accession_engagement: float = param(
        0.6,
        doc="Engagement an aspirant needs before it requests accession",
        unit="0-1",
        lo=0,
        hi=1,
    )
    accession_interoperability: float = param(
        0.5,
        doc="Mean interoperability with members an aspirant needs before it requests accession",
        unit="0-1",
        lo=0,
        hi=1,
    )


def activity_counts(rng: np.random.Generator, n_partners: int, rate_per_year: float, months):
    """Number of activities of each partner this step (Poisson)."""
    return rng.poisson(rate_per_year * months / 12.0, size=n_partners)


def run_activity(
    rng: np.random.Generator,
    partner: int,
    members: np.ndarray,
    trust: np.ndarray,
    interop: np.ndarray,
    engagement: np.ndarray,
    prog: ProgrammeSpec,
) -> tuple[str, int]:
    """One activity of ``partner`` with a member drawn uniformly; returns (kind, member)."""
    member = int(rng.choice(members))
    if rng.random() < prog.exchange_share:
        kind = "personnel_exchange"
        trust[partner, member] = close_gap(trust[partner, member], prog.trust_gain)
        trust[member, partner] = close_gap(trust[member, partner], prog.trust_gain)
    else:
        kind = "training"
        value = close_gap(interop[partner, member], prog.interop_gain)
        interop[partner, member] = interop[member, partner] = value
    engagement[partner] = close_gap(engagement[partner], prog.engagement_gain)
    return kind, member


def decay_engagement(engagement: np.ndarray, decay_per_year: float, months: float) -> None:
    """Engagement fades by ``(1 - decay) ** (months / 12)`` (in place, for the given entries)."""
    engagement *= (1.0 - decay_per_year) ** (months / 12.0)


def ready_to_apply(
    partner: int,
    engagement: np.ndarray,
    interop: np.ndarray,
    members: np.ndarray,
    prog: ProgrammeSpec,
) -> bool:
    """Whether an aspirant meets the programme's engagement and interoperability criteria."""
    mean_q = float(interop[partner, members].mean()) if len(members) else 0.0
    return bool(
        engagement[partner] >= prog.accession_engagement
        and mean_q >= prog.accession_interoperability
    )


# --------------------------------------------------------------------------- the phase
SECTION = "programmes"
Params = ProgrammeSpec


def init(model: AllianceModel) -> None:
    """Nothing to set up: engagement is built with the state."""


def step(model: AllianceModel) -> None:
    """Phase 4: each programme's activities; aspirants that qualify request accession."""
    s = model.state
    rng = model.streams["partnership"]
    members = s.members
    for prog in model.spec.programmes:
        idx = np.array([model.nation_index[iso] for iso in prog.partners], dtype=int)
        idx = idx[s.partner[idx]]  # partners that joined the alliance leave the programme
        if len(idx) == 0 or len(members) == 0:
            continue
        engagement = s.engagement[idx]
        decay_engagement(engagement, prog.engagement_decay_per_year, model.months)
        s.engagement[idx] = engagement
        counts = activity_counts(rng, len(idx), prog.activities_per_year, model.months)
        for p_idx, n_activities in zip(idx, counts, strict=True):
            for _ in range(int(n_activities)):
                kind, member = run_activity(
                    rng, int(p_idx), members, s.trust, s.interop, s.engagement, prog
                )
                model.record_event(kind, actor=s.iso3[p_idx], participants=[s.iso3[member]])
            if (
                s.aspirant[p_idx]
                and not s.accession_requested[p_idx]
                and model.reapply_at.get(int(p_idx), 0) <= model.steps
                and ready_to_apply(int(p_idx), s.engagement, s.interop, members, prog)
            ):
                s.accession_requested[p_idx] = True
                model.record_event("accession_request", actor=s.iso3[p_idx], outcome=prog.name)


def partner_engagement(model: AllianceModel) -> float:
    """Partners' mean engagement with the alliance (0-1; NaN without partners)."""
    p = model.state.partner
    return float(model.state.engagement[p].mean()) if p.any() else float("nan")


def accession_requests(model: AllianceModel) -> int:
    """Aspirants whose accession request is pending or being ratified.

    A blocked request leaves the count until the aspirant asks again.
    """
    return int(model.state.accession_requested.sum())


OUTPUTS = (level(partner_engagement), level(accession_requests))
