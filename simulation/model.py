"""``AllianceModel``: the Mesa model that owns the state and runs the phases in order.

The phase order of one step is written once, in :meth:`AllianceModel.step`, and matches
``docs/ODD.md`` ("Process overview and scheduling"). Phases update the shared arrays in sequence;
inside a phase, pairwise updates are simultaneous (vectorised) unless the phase says otherwise.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import mesa
import numpy as np

from simulation import metrics
from simulation.agents import Nation
from simulation.mechanisms import capability as cap
from simulation.mechanisms import consensus, exercises, partnership
from simulation.mechanisms import trust as trust_mech
from simulation.rng import Streams
from simulation.schema import Scenario
from simulation.state import build_state, refresh_perceptions

MODEL_REPORTERS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "interest_alignment",
    "consensus_rate",
    "decision_latency",
    "proposals",
    "adopted",
    "mean_dilution",
    "exercises",
    "readiness_mean",
    "defence_share_mean",
    "capability_busd",
    "threat_mean",
    "adversary_threat",
    "partner_engagement",
    "accession_requests",
    "burden_size_correlation",
    "members",
)


class AllianceModel(mesa.Model):
    """An alliance, its partners and its adversary, stepped month by month.

    Args:
        scenario: a resolved scenario (variant and overrides already applied).
        seed: the run's root seed; every random stream is spawned from it. Defaults to the
            scenario's ``seed``.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None):
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.seed = seed
        self.scenario = scenario
        self.streams = Streams(seed)
        self.state = build_state(scenario)
        for i in range(self.state.n):
            Nation(self, i)
        self.events: list[dict[str, Any]] = []
        self._decisions: deque[tuple[int, bool, float, float]] = deque()
        self._step_counts = {"proposals": 0, "adopted": 0, "exercises": 0}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: getattr(type(self), name).fget for name in MODEL_REPORTERS}
        )
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ schedule
    def step(self) -> None:
        """One step: the phases below, in this order (docs/ODD.md, section 3)."""
        self._step_counts = dict.fromkeys(self._step_counts, 0)
        self.upkeep()  # 1. economy, capability, readiness and interoperability fade
        self.perceive()  # 2. threat perception and negotiating influence
        self.partner()  # 3. partnership programme activities, accession requests
        self.exercise()  # 4. joint exercises
        self.decide()  # 5. proposals, consensus decisions, negotiation
        self.update_trust()  # 6. trust reciprocity and decay toward the baseline
        self.datacollector.collect(self)

    @property
    def months(self) -> int:
        """Length of one step in months."""
        return self.scenario.step_months

    @property
    def year(self) -> float:
        """Calendar time of the current step (fractional year)."""
        return self.scenario.start_year + self.steps * self.months / 12.0

    # ------------------------------------------------------------------ phases
    def upkeep(self) -> None:
        """Phase 1: GDP growth, spending into capability, readiness and interoperability fade."""
        s, p = self.state, self.scenario.capability
        s.gdp = cap.grow_gdp(s.gdp, s.growth_pct, self.months)
        spent = cap.spending(s.gdp, s.defence_share, self.months)
        s.capability = cap.accumulate_capability(
            s.capability, spent, s.exercise_spending, p.depreciation_per_year, self.months
        )
        s.exercise_spending = np.zeros(s.n)
        s.readiness = cap.decay_readiness(
            s.readiness, p.readiness_floor, p.readiness_decay_per_month, self.months
        )
        cap.decay_interoperability(
            s.interop, self.scenario.interoperability.decay_per_year, self.months
        )

    def perceive(self) -> None:
        """Phase 2: threat perception and influence; the adversary's alarm fades."""
        refresh_perceptions(self.state, self.scenario)
        fade = (1.0 - self.scenario.adversary.threat_decay_per_year) ** (self.months / 12.0)
        self.state.adversary_threat *= fade

    def partner(self) -> None:
        """Phase 3: each programme's activities; aspirants that qualify request accession."""
        s = self.state
        rng = self.streams["partnership"]
        members = s.members
        if len(members) == 0:
            return
        for prog in self.scenario.programmes:
            idx = np.array([s.iso3.index(iso) for iso in prog.partners], dtype=int)
            if len(idx) == 0:
                continue
            engagement = s.engagement[idx]
            partnership.decay_engagement(engagement, prog.engagement_decay_per_year, self.months)
            s.engagement[idx] = engagement
            counts = partnership.activity_counts(
                rng, len(idx), prog.activities_per_year, self.months
            )
            for p_idx, count in zip(idx, counts):
                for _ in range(int(count)):
                    kind, member = partnership.run_activity(
                        rng, int(p_idx), members, s.trust, s.interop, s.engagement, prog
                    )
                    self._event(kind, actor=s.iso3[p_idx], participants=[s.iso3[member]])
                if (
                    s.aspirant[p_idx]
                    and not s.accession_requested[p_idx]
                    and partnership.ready_to_apply(int(p_idx), s.engagement, s.interop, members, prog)
                ):
                    s.accession_requested[p_idx] = True
                    self._event("accession_request", actor=s.iso3[p_idx], outcome=prog.name)

    def exercise(self) -> None:
        """Phase 4: the step's joint exercises, applied one after another."""
        p, s = self.scenario.exercises, self.state
        if not p.enabled or len(s.members) == 0:
            return
        rng = self.streams["exercises"]
        for _ in range(exercises.exercise_count(rng, p.tempo_per_year, self.months)):
            ex = exercises.draw_exercise(
                rng,
                s.members,
                s.partners,
                s.exposure,
                p.size,
                p.partner_inclusiveness,
                p.host_exposure_bias,
            )
            exercises.apply_exercise(
                ex.participants,
                s.trust,
                s.interop,
                s.readiness,
                p.interop_gain,
                p.trust_gain,
                p.readiness_gain,
            )
            s.exercise_spending[ex.participants] += p.cost_busd_per_participant
            members_in = int(s.member[ex.participants].sum())
            s.adversary_threat = exercises.spiral(
                s.adversary_threat, members_in, len(s.members), p.spiral_gain
            )
            self._step_counts["exercises"] += 1
            self._event(
                "exercise",
                actor=s.iso3[ex.host],
                participants=[s.iso3[i] for i in ex.participants],
                cost_busd=p.cost_busd_per_participant * len(ex.participants),
            )

    def decide(self) -> None:
        """Phase 5: proposals put to members, decided under the rule, after negotiation."""
        p, s = self.scenario.consensus, self.state
        members = s.members
        if not p.enabled or len(members) == 0:
            return
        proposals_rng, shocks_rng = self.streams["proposals"], self.streams["consensus"]
        for _ in range(int(proposals_rng.poisson(p.proposals_per_year * self.months / 12.0))):
            proposal = consensus.draw_proposal(
                proposals_rng, p.proposal_kinds, members, s.influence, s.interests, p.proposal_spread
            )
            shocks = shocks_rng.normal(0.0, p.support_noise_sd, len(members))
            decision = consensus.negotiate(
                proposal,
                p.proposal_kinds[proposal.kind],
                members,
                s.interests,
                s.threat,
                s.trust,
                s.sovereignty,
                s.influence,
                shocks,
                p,
            )
            self.apply_decision(decision)

    def apply_decision(self, d: consensus.Decision) -> None:
        """Trust consequences of a decision, and its record."""
        p, s = self.scenario.consensus, self.state
        if d.adopted:
            trust_mech.raise_trust_among(s.trust, d.supporters, p.success_trust_gain)
        else:
            trust_mech.lower_trust_in(s.trust, d.supporters, d.blockers, p.block_trust_cost)
        if len(d.silence_breakers):
            others = np.setdiff1d(s.members, d.silence_breakers)
            trust_mech.lower_trust_in(s.trust, others, d.silence_breakers, p.silence_break_trust_cost)
        self._decisions.append((self.steps, d.adopted, d.latency_days, d.dilution))
        self._step_counts["proposals"] += 1
        self._step_counts["adopted"] += int(d.adopted)
        self._event(
            "proposal",
            actor=s.iso3[d.proposal.proposer],
            kind=d.proposal.kind,
            participants=[s.iso3[i] for i in d.blockers],
            outcome="adopted" if d.adopted else "blocked",
            rounds=d.rounds,
            latency_days=d.latency_days,
            dilution=d.dilution,
            support_share=d.support_share,
        )

    def update_trust(self) -> None:
        """Phase 6: reciprocity and decay toward the alignment baseline, all pairs at once."""
        p, s = self.scenario.trust, self.state
        if p.enabled:
            s.trust = trust_mech.update_trust(
                s.trust, s.trust_baseline, p.reciprocity_per_month, p.decay_per_month, self.months
            )

    # ------------------------------------------------------------------ records
    def _event(self, event: str, **fields: Any) -> None:
        row = {"step": self.steps, "year": round(self.year, 4), "event": event}
        if "participants" in fields:
            fields["participants"] = ";".join(fields["participants"])
        row.update(fields)
        self.events.append(row)

    def _window(self) -> list[tuple[int, bool, float, float]]:
        window_steps = max(1, round(self.scenario.metrics.window_months / self.months))
        while self._decisions and self._decisions[0][0] <= self.steps - window_steps:
            self._decisions.popleft()
        return list(self._decisions)

    # ------------------------------------------------------------------ reporters
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
        window = self._window()
        return metrics.consensus_rate(sum(a for _, a, _, _ in window), len(window))

    @property
    def decision_latency(self) -> float:
        """Mean decision latency in the trailing window (days; NaN if no decision)."""
        window = self._window()
        return float(np.mean([lat for _, _, lat, _ in window])) if window else float("nan")

    @property
    def mean_dilution(self) -> float:
        """Mean dilution of decisions in the trailing window (0-1; NaN if no decision)."""
        window = self._window()
        return float(np.mean([d for *_, d in window])) if window else float("nan")

    @property
    def cohesion(self) -> float:
        """Weighted geometric mean of member trust, alignment and consensus rate (0-1)."""
        m = self.scenario.metrics
        sym = (self.state.trust + self.state.trust.T) / 2.0
        return metrics.cohesion(
            metrics.member_pair_mean(sym, self.state.member),
            self.interest_alignment,
            self.consensus_rate,
            (m.trust_weight, m.alignment_weight, m.consensus_weight),
        )

    @property
    def proposals(self) -> int:
        """Proposals decided this step."""
        return self._step_counts["proposals"]

    @property
    def adopted(self) -> int:
        """Proposals adopted this step."""
        return self._step_counts["adopted"]

    @property
    def exercises(self) -> int:
        """Joint exercises held this step."""
        return self._step_counts["exercises"]

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
        """Aspirants that have requested accession so far."""
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
