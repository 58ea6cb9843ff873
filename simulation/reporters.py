"""Model-level reporters collected every step (scalars only: Mesa deep-copies each value).

Each reporter is a property of :class:`ReportersMixin` that calls the one definition in
:mod:`simulation.metrics` or :mod:`simulation.mechanisms.deterrence`. ``MODEL_REPORTERS`` lists
the columns of the per-step table, in order.
"""

from __future__ import annotations

import numpy as np

from simulation import metrics
from simulation.mechanisms import deterrence as det

STEP_COUNTS = (
    "proposals",
    "adopted",
    "exercises",
    "challenges",
    "crises",
    "crises_deterred",
    "crises_defended",
    "crises_conceded",
    "hybrid_campaigns",
)
"""Reporters that count events in the step (summed over the run in the summary)."""

LEVELS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "interest_alignment",
    "deterrence",
    "credibility",
    "credibility_partners",
    "consensus_rate",
    "decision_latency",
    "mean_dilution",
    "missions_active",
    "readiness_mean",
    "defence_share_mean",
    "capability_busd",
    "threat_mean",
    "aggression",
    "adversary_threat",
    "partner_engagement",
    "accession_requests",
    "burden_size_correlation",
    "members",
)
"""Reporters that give the state at the end of the step."""

MODEL_REPORTERS = LEVELS + STEP_COUNTS
"""Columns of the per-step table, in order."""


class ReportersMixin:
    """Per-step scalar reporters of an :class:`~simulation.model.AllianceModel`."""

    @property
    def mean_trust(self) -> float:
        """Mean directed trust between distinct members (0-1)."""
        return metrics.member_pair_mean(self.state.trust, self.state.member)

    @property
    def interoperability(self) -> float:
        """Mean interoperability between distinct members (0-1)."""
        return metrics.member_pair_mean(self.state.interop, self.state.member)

    @property
    def interest_alignment(self) -> float:
        """One minus the dispersion of members' interests (0-1)."""
        return metrics.interest_alignment(self.state.interests, self.state.member)

    @property
    def consensus_rate(self) -> float:
        """Laplace-smoothed share of proposals adopted in the trailing window (0-1)."""
        window = self.decision_window()
        return metrics.consensus_rate(sum(a for _, a, _, _ in window), len(window))

    @property
    def decision_latency(self) -> float:
        """Mean decision latency in the trailing window (days; NaN if no decision)."""
        window = self.decision_window()
        return float(np.mean([lat for _, _, lat, _ in window])) if window else float("nan")

    @property
    def mean_dilution(self) -> float:
        """Mean dilution of decisions in the trailing window (0-1; NaN if no decision)."""
        window = self.decision_window()
        return float(np.mean([d for *_, d in window])) if window else float("nan")

    @property
    def cohesion(self) -> float:
        """Weighted geometric mean of member trust, alignment and consensus rate (0-1)."""
        m = self.spec.metrics
        return metrics.cohesion(
            self.mean_trust,  # over ordered pairs: the same as the symmetrised trust's mean
            self.interest_alignment,
            self.consensus_rate,
            (m.trust_weight, m.alignment_weight, m.consensus_weight),
        )

    @property
    def deterrence(self) -> float:
        """Adversary's estimate that a challenge of a member fails, exposure-weighted (0-1)."""
        s = self.state
        return det.deterrence_index(s.p_fail, s.exposure, s.member)

    @property
    def credibility(self) -> float:
        """Adversary's belief that the alliance responds to a challenge of a member (0-1)."""
        return float(self.state.credibility[0])

    @property
    def credibility_partners(self) -> float:
        """Adversary's belief that the alliance responds to a challenge of a partner (0-1)."""
        return float(self.state.credibility[1])

    @property
    def missions_active(self) -> int:
        """Out-of-area missions under way."""
        return len(self.missions)

    @property
    def readiness_mean(self) -> float:
        """Mean readiness of members (0-1)."""
        return float(self.state.readiness[self.state.member].mean())

    @property
    def defence_share_mean(self) -> float:
        """Mean defence spending of members (% of GDP)."""
        return float(self.state.defence_share[self.state.member].mean() * 100.0)

    @property
    def capability_busd(self) -> float:
        """Members' total capability stock (billion USD)."""
        return float(self.state.capability[self.state.member].sum())

    @property
    def threat_mean(self) -> float:
        """Members' mean threat perception (0-1)."""
        return float(self.state.threat[self.state.member].mean())

    @property
    def aggression(self) -> float:
        """The adversary's aggression (0-1)."""
        return float(self.state.aggression)

    @property
    def adversary_threat(self) -> float:
        """The adversary's threat perception of the alliance (0-1)."""
        return float(self.state.adversary_threat)

    @property
    def partner_engagement(self) -> float:
        """Partners' mean engagement with the alliance (0-1; NaN without partners)."""
        p = self.state.partner
        return float(self.state.engagement[p].mean()) if p.any() else float("nan")

    @property
    def accession_requests(self) -> int:
        """Aspirants whose accession request is pending or being ratified.

        A blocked request leaves the count until the aspirant asks again.
        """
        return int(self.state.accession_requested.sum())

    @property
    def burden_size_correlation(self) -> float:
        """Spearman correlation of members' GDP and defence share (-1..1)."""
        s = self.state
        return metrics.spearman(s.gdp[s.member], s.defence_share[s.member])

    @property
    def members(self) -> int:
        """Number of members."""
        return int(self.state.member.sum())


def _count_reporter(name: str) -> property:
    def get(self) -> int:
        return self.step_counts[name]

    get.__doc__ = f"Number of {name.replace('_', ' ')} this step."
    return property(get)


for _name in STEP_COUNTS:
    setattr(ReportersMixin, _name, _count_reporter(_name))
