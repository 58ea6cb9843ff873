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

import numpy as np

from simulation.mechanisms.rates import close_gap
from simulation.schema import ProgrammeSpec


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
