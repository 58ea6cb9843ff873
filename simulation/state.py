"""The model's state as numpy arrays, built from a scenario.

Per-nation vectors have length ``N`` (nations in scenario order); pairwise quantities are
``N x N`` matrices: ``trust[i, j]`` (directed: how much ``i`` trusts ``j``), ``interop`` and
``alignment`` (symmetric). Mechanisms read and write these arrays; agents are views onto them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import capability as cap
from simulation.mechanisms import trust as trust_mech

if TYPE_CHECKING:
    from simulation.schema import Scenario


@dataclass
class State:
    """All mutable model state. Units: billions of USD, fractions in [0, 1], years."""

    iso3: list[str]
    names: list[str]
    role: np.ndarray  # str per nation
    member: np.ndarray  # bool
    partner: np.ndarray  # bool
    adversary: np.ndarray  # bool
    gdp: np.ndarray  # billion USD
    growth_pct: np.ndarray  # % per year
    defence_share: np.ndarray  # fraction of GDP
    capability: np.ndarray  # billion USD (stock)
    readiness: np.ndarray  # 0-1
    interests: np.ndarray  # N x D, 0-1
    exposure: np.ndarray  # 0-1
    resolve: np.ndarray  # 0-1
    sovereignty: np.ndarray  # 0-1
    ideal_point: np.ndarray  # NaN where unknown
    aspirant: np.ndarray  # bool
    armed: np.ndarray  # bool: has armed forces (initial defence share > 0)
    budget_fixed: np.ndarray  # bool: keeps its defence share (set outside the model)
    demand: np.ndarray  # fraction of GDP: demand for defence services with no threat
    alignment: np.ndarray  # N x N
    trust_baseline: np.ndarray  # N x N
    trust: np.ndarray  # N x N
    interop: np.ndarray  # N x N
    engagement: np.ndarray  # 0-1, partners' engagement with the alliance
    threat: np.ndarray  # 0-1, each nation's threat perception of the adversary
    influence: np.ndarray  # sums to 1 over members
    diverted: np.ndarray  # billion USD spent this step on exercises, presence, missions, stratcom
    accession_requested: np.ndarray  # bool
    resolve0: np.ndarray  # initial resolve (recovery target)
    presence: np.ndarray  # billion USD of allied capability stationed at each nation
    p_fail: np.ndarray  # adversary's estimate that a challenge of each nation fails
    p_prevail: np.ndarray  # adversary's estimate that a response at each nation prevails
    p_alone: np.ndarray  # the same for the nation's own forces and forward presence alone
    p_respond: np.ndarray  # adversary's belief that each nation is defended (see deterrence)
    adversary_threat: float  # 0-1, adversary's threat perception of the alliance
    aggression: float  # 0-1, adversary's aggression
    aggression_level: float  # 0-1, the level aggression relaxes to (set by the spiral)
    evidence_respond: np.ndarray  # adversary's Beta pseudo-counts, [members, partners]: responded
    evidence_concede: np.ndarray  # the same: alliance conceded

    @property
    def n(self) -> int:
        """Number of nations."""
        return len(self.iso3)

    @property
    def members(self) -> np.ndarray:
        """Indices of members."""
        return np.flatnonzero(self.member)

    @property
    def partners(self) -> np.ndarray:
        """Indices of partners."""
        return np.flatnonzero(self.partner)

    @property
    def credibility(self) -> np.ndarray:
        """The adversary's beliefs that the alliance responds: [for members, for partners]."""
        return self.evidence_respond / (self.evidence_respond + self.evidence_concede)

    @property
    def adversary_capability(self) -> float:
        """Capability stock of the adversary bloc (billion USD)."""
        return float(self.capability[self.adversary].sum())


def cooperation_years(s: Scenario) -> np.ndarray:
    """Each nation's years of institutional cooperation with the alliance at ``start_year``.

    Members: years since accession (``founder_years`` without an accession year) plus
    ``partner_years_weight`` times the years of formal partnership before accession. Partners:
    the weighted years since ``partnership_year`` (0 without one). Others: 0.
    """
    p = s.interoperability
    out = np.zeros(len(s.nations))
    for i, n in enumerate(s.nations):
        joined = n.accession_year if n.role == "member" else None
        if n.role == "member":
            out[i] = (s.start_year - joined) if joined is not None else p.founder_years
        if n.role in ("member", "partner") and n.partnership_year is not None:
            until = joined if joined is not None else s.start_year
            out[i] += p.partner_years_weight * max(0, until - n.partnership_year)
    return np.maximum(out, 0.0)


def initial_interoperability(s: Scenario, member: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Initial Q: ``1 - exp(-years together / scale)`` between members and partners.

    Years together for a pair are the smaller of the two nations' cooperation years (see
    :func:`cooperation_years`). Pairs of a partner and a member start at least at
    ``partner_initial``; pairs of two partners, and pairs with adversaries or neutrals, at 0.
    1 on the diagonal.
    """
    p = s.interoperability
    years = cooperation_years(s)
    together = np.minimum(years[:, None], years[None, :])
    q = 1.0 - np.exp(-together / p.initial_years_scale)
    mixed = np.outer(member, partner) | np.outer(partner, member)
    q = np.where(np.outer(member, member), q, np.where(mixed, np.maximum(q, p.partner_initial), 0))
    np.fill_diagonal(q, 1.0)
    return q


def build_state(s: Scenario) -> State:
    """Initial state of a scenario (deterministic: no randomness at initialisation)."""
    nations = s.nations
    role = np.array([n.role for n in nations], dtype=object)
    member = (role == "member").astype(bool)
    partner = (role == "partner").astype(bool)
    adversary = (role == "adversary").astype(bool)
    gdp = np.array([n.gdp_busd for n in nations], dtype=float)
    share = np.array([n.defence_share_pct for n in nations], dtype=float) / 100.0
    annual = gdp * share
    steady = cap.steady_state_capability(annual, s.capability.depreciation_per_year, s.step_months)
    capability = np.array(
        [
            n.capability_busd if n.capability_busd is not None else k
            for n, k in zip(nations, steady, strict=True)
        ],
        dtype=float,
    )
    interests = np.array([n.interests for n in nations], dtype=float)
    ideal = np.array([np.nan if n.ideal_point is None else n.ideal_point for n in nations])
    align = trust_mech.alignment(
        interests, ideal, s.alignment.ideal_point_weight, s.alignment.ideal_point_scale
    )
    t = s.trust
    base = trust_mech.baseline(align, member, t.baseline_min, t.baseline_max, t.member_bonus)
    exposure = np.array([n.exposure for n in nations], dtype=float)
    state = State(
        iso3=[n.iso3 for n in nations],
        names=[n.name for n in nations],
        role=role,
        member=member,
        partner=partner,
        adversary=adversary,
        gdp=gdp,
        growth_pct=np.array([n.gdp_growth_pct_per_year for n in nations], dtype=float),
        defence_share=share,
        capability=capability,
        readiness=np.array([n.readiness for n in nations], dtype=float),
        interests=interests,
        exposure=exposure,
        resolve=np.array([n.resolve for n in nations], dtype=float),
        sovereignty=np.array([n.sovereignty_sensitivity for n in nations], dtype=float),
        ideal_point=ideal,
        aspirant=np.array([n.aspirant for n in nations], dtype=bool),
        armed=share > 0,
        budget_fixed=np.array([n.budget_fixed for n in nations], dtype=bool),
        demand=np.array(
            [s.burden.demand_pct if n.demand_pct is None else n.demand_pct for n in nations]
        )
        / 100.0,
        alignment=align,
        trust_baseline=base,
        trust=base.copy(),
        interop=initial_interoperability(s, member, partner),
        engagement=np.array([n.engagement for n in nations], dtype=float),
        threat=np.zeros(len(nations)),
        influence=np.zeros(len(nations)),
        diverted=np.zeros(len(nations)),
        accession_requested=np.zeros(len(nations), dtype=bool),
        resolve0=np.array([n.resolve for n in nations], dtype=float),
        presence=np.zeros(len(nations)),
        p_fail=np.zeros(len(nations)),
        p_prevail=np.zeros(len(nations)),
        p_alone=np.zeros(len(nations)),
        p_respond=np.zeros(len(nations)),
        adversary_threat=0.0,
        aggression=s.adversary.aggression,
        aggression_level=s.adversary.aggression,
        evidence_respond=prior_evidence(s)[0],
        evidence_concede=prior_evidence(s)[1],
    )
    refresh_perceptions(state, s)
    return state


def prior_evidence(s: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """The adversary's prior Beta pseudo-counts (respond, concede) for [members, partners]."""
    a = s.adversary
    prior = np.array([a.prior_response, a.prior_response_partners])
    return prior * a.prior_strength, (1.0 - prior) * a.prior_strength


def set_member(state: State, s: Scenario, index: int) -> None:
    """Make a nation a member (accession): role, institutional trust baseline, influence."""
    state.role[index] = "member"
    state.member[index] = True
    state.partner[index] = False
    state.aspirant[index] = False
    t = s.trust
    state.trust_baseline = trust_mech.baseline(
        state.alignment, state.member, t.baseline_min, t.baseline_max, t.member_bonus
    )
    refresh_perceptions(state, s)


def refresh_perceptions(state: State, s: Scenario) -> None:
    """Recompute threat perception and influence from the current stocks and trust."""
    state.threat = cap.threat_perception(
        state.exposure, state.capability, state.adversary_capability, state.aggression
    )
    c = s.capability
    state.influence = cap.influence(
        state.capability,
        state.trust,
        state.member,
        c.influence_capability_exponent,
        c.influence_trust_exponent,
    )
