"""``AllianceModel``: the Mesa model that owns the state and runs the phases in order.

The phase order of one step is written once, in :meth:`AllianceModel.step`, and matches
``docs/ODD.md`` ("Process overview and scheduling"). Phases update the shared arrays in sequence;
inside a phase, pairwise updates are simultaneous (vectorised) unless the phase says otherwise.
Each phase is a short method that calls the pure functions of one mechanism module.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque
from typing import Any

import mesa
import numpy as np

from simulation.agents import Nation
from simulation.mechanisms import (
    burden,
    consensus,
    crises,
    exercises,
    information,
    operations,
    partnership,
    presence,
)
from simulation.mechanisms import capability as cap
from simulation.mechanisms import deterrence as det
from simulation.mechanisms import enlargement as enl
from simulation.mechanisms import trust as trust_mech
from simulation.mechanisms.rates import close_gap, per_step
from simulation.reporters import MODEL_REPORTERS, STEP_COUNTS, ReportersMixin
from simulation.rng import Streams
from simulation.schema import ProposalKind, Scenario
from simulation.state import build_state, prior_evidence, refresh_perceptions, set_member


class AllianceModel(ReportersMixin, mesa.Model):
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
        # Named spec, not scenario: Mesa 3.5 reserves Model.scenario for its own Scenario type.
        self.spec = scenario
        self.streams = Streams(seed)
        self.state = build_state(scenario)
        for i in range(self.state.n):
            Nation(self, i)
        self.events: list[dict[str, Any]] = []
        self.missions: list[operations.Mission] = []
        self.step_counts = dict.fromkeys(STEP_COUNTS, 0)
        self._decisions: deque[tuple[int, bool, float, float]] = deque()
        self._ratifications: dict[int, int] = {}  # aspirant -> step at which it joins
        self._reapply_at: dict[int, int] = {}  # blocked aspirant -> step it may ask again
        index = {iso: i for i, iso in enumerate(self.state.iso3)}
        self._index = index
        self._battlegroups = [
            (index[bg.host], [index[c] for c in bg.contributors])
            for bg in scenario.presence.battlegroups
        ]
        self._intel = np.zeros(self.state.n, dtype=bool)
        self._intel[[index[i] for i in scenario.information.intelligence_group]] = True
        self._station()
        self.assess()
        self.datacollector = mesa.DataCollector(
            model_reporters={name: getattr(type(self), name).fget for name in MODEL_REPORTERS}
        )
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ schedule
    def step(self) -> None:
        """One step: the phases below, in this order (docs/ODD.md, section 3)."""
        self.step_counts = dict.fromkeys(STEP_COUNTS, 0)
        self.upkeep()  # 1. economy, capability, readiness, interoperability and resolve
        self.perceive()  # 2. threat perception, influence, the adversary's fading memory
        self.budget()  # 3. yearly defence budgets (burden sharing)
        self.partner()  # 4. partnership activities, accession requests
        self.enlarge()  # 5. invitations, ratifications, accessions
        self.exercise()  # 6. joint exercises
        self.operate()  # 7. out-of-area missions
        self.station()  # 8. forward presence: costs and reassurance
        self.hybrid()  # 9. disinformation campaigns and their detection
        self.decide()  # 10. routine proposals under the decision rule
        self.assess()  # 11. the adversary's estimate of each target (deterrence)
        self.challenge()  # 12. a challenge, the crisis decision and its aftermath
        self.update_trust()  # 13. trust reciprocity and decay toward the baseline
        self.datacollector.collect(self)

    @property
    def months(self) -> int:
        """Length of one step in months."""
        return self.spec.step_months

    @property
    def year(self) -> float:
        """Calendar time of the current step (fractional year)."""
        return self.spec.start_year + self.steps * self.months / 12.0

    # ------------------------------------------------------------------ 1-3
    def upkeep(self) -> None:
        """Phase 1: GDP growth, spending into capability; readiness, Q and resolve relax."""
        s, p = self.state, self.spec.capability
        s.gdp = cap.grow_gdp(s.gdp, s.growth_pct, self.months)
        spent = cap.spending(s.gdp, s.defence_share, self.months)
        s.capability = cap.accumulate_capability(
            s.capability, spent, s.diverted, p.depreciation_per_year, self.months
        )
        s.diverted = np.zeros(s.n)
        faded = cap.decay_readiness(
            s.readiness, p.readiness_floor, p.readiness_decay_per_month, self.months
        )
        s.readiness = np.where(s.adversary, s.readiness, faded)
        cap.decay_interoperability(
            s.interop, self.spec.interoperability.decay_per_year, self.months
        )
        recovery = per_step(self.spec.crises.resolve_recovery_per_year, 12.0, self.months)
        s.resolve = close_gap(s.resolve, recovery, s.resolve0)

    def perceive(self) -> None:
        """Phase 2: threat and influence; the adversary's alarm, aggression and evidence relax."""
        s, a = self.state, self.spec.adversary
        refresh_perceptions(s, self.spec)
        s.adversary_threat *= (1.0 - a.threat_decay_per_year) ** (self.months / 12.0)
        relax = per_step(a.aggression_recovery_per_year, 12.0, self.months)
        s.aggression = close_gap(s.aggression, relax, a.aggression)
        keep = a.memory_per_year ** (self.months / 12.0)
        prior_r, prior_c = prior_evidence(self.spec)
        s.evidence_respond = prior_r + keep * (s.evidence_respond - prior_r)
        s.evidence_concede = prior_c + keep * (s.evidence_concede - prior_c)

    def budget(self) -> None:
        """Phase 3: once a year, each member moves its defence share toward its best response."""
        p, s = self.spec.burden, self.state
        if not p.enabled or not self._year_ends():
            return
        m = s.member & s.armed
        sigma = burden.spillover_weights(s.trust, s.interop, m)
        setting = m & ~s.budget_fixed
        alpha = burden.demand_share(s.threat, s.demand, p.threat_sensitivity)
        best = burden.best_response_share(
            s.gdp, s.defence_share, alpha, sigma, p.private_benefit_share
        )
        target = burden.target_share(best, p.pledge_pct / 100.0, p.pledge_pressure)
        new = burden.adjust_share(
            s.defence_share,
            target,
            p.adjustment_per_year,
            p.min_share_pct / 100,
            p.max_share_pct / 100,
        )
        s.defence_share = np.where(setting, new, s.defence_share)
        short = burden.shortfall(s.defence_share, p.pledge_pct / 100.0) * m
        burden.free_riding_trust(s.trust, m, short, p.free_riding_trust_cost)

    # ------------------------------------------------------------------ 4-5
    def partner(self) -> None:
        """Phase 4: each programme's activities; aspirants that qualify request accession."""
        s = self.state
        rng = self.streams["partnership"]
        members = s.members
        for prog in self.spec.programmes:
            idx = np.array([self._index[iso] for iso in prog.partners], dtype=int)
            idx = idx[s.partner[idx]]  # partners that joined the alliance leave the programme
            if len(idx) == 0 or len(members) == 0:
                continue
            engagement = s.engagement[idx]
            partnership.decay_engagement(engagement, prog.engagement_decay_per_year, self.months)
            s.engagement[idx] = engagement
            counts = partnership.activity_counts(
                rng, len(idx), prog.activities_per_year, self.months
            )
            for p_idx, count in zip(idx, counts, strict=True):
                for _ in range(int(count)):
                    kind, member = partnership.run_activity(
                        rng, int(p_idx), members, s.trust, s.interop, s.engagement, prog
                    )
                    self._event(kind, actor=s.iso3[p_idx], participants=[s.iso3[member]])
                if (
                    s.aspirant[p_idx]
                    and not s.accession_requested[p_idx]
                    and self._reapply_at.get(int(p_idx), 0) <= self.steps
                    and partnership.ready_to_apply(
                        int(p_idx), s.engagement, s.interop, members, prog
                    )
                ):
                    s.accession_requested[p_idx] = True
                    self._event("accession_request", actor=s.iso3[p_idx], outcome=prog.name)

    def enlarge(self) -> None:
        """Phase 5: invite requesting aspirants by consensus; complete due ratifications."""
        p, s = self.spec.enlargement, self.state
        for aspirant, join_step in sorted(self._ratifications.items()):
            if join_step <= self.steps:
                del self._ratifications[aspirant]
                set_member(s, self.spec, aspirant)
                gain = self.spec.adversary.enlargement_threat_gain
                s.adversary_threat = close_gap(s.adversary_threat, gain)
                self._event("accession", actor=s.iso3[aspirant], outcome="member")
        if not p.enabled:
            return
        pending = [
            int(i)
            for i in np.flatnonzero(s.accession_requested & s.partner)
            if int(i) not in self._ratifications
        ]
        rng = self.streams["enlargement"]
        params = self.spec.consensus
        if p.support_threshold is not None:
            params = dataclasses.replace(params, support_threshold=p.support_threshold)
        for aspirant in pending:
            members = s.members
            proposer = int(members[np.argmax(s.trust[members, aspirant])])
            kind = ProposalKind(0.0, p.threat_relevance, p.sovereignty_cost, 0.0)
            proposal = consensus.Proposal(
                "enlargement", proposer, s.interests[aspirant].copy(), subject=aspirant
            )
            shocks = rng.normal(0.0, params.support_noise_sd, len(members))
            decision = self._negotiate(proposal, kind, members, shocks, params)
            self.apply_decision(decision, subject=s.iso3[aspirant])
            if decision.adopted:
                delays, holdouts = enl.ratification_months(
                    rng,
                    s.alignment[members, aspirant],
                    p.ratification_mean_months,
                    p.holdout_probability,
                    p.holdout_extra_months,
                )
                last = float(delays.max()) if len(delays) else 0.0
                self._ratifications[aspirant] = self.steps + max(1, math.ceil(last / self.months))
                self._event(
                    "invitation",
                    actor=s.iso3[aspirant],
                    participants=[s.iso3[i] for i in members[holdouts]],
                    outcome="ratifying",
                    latency_days=last * 365.25 / 12.0,
                )
            else:
                s.accession_requested[aspirant] = False
                self._reapply_at[aspirant] = self.steps + math.ceil(p.reapply_months / self.months)

    # ------------------------------------------------------------------ 6-9
    def exercise(self) -> None:
        """Phase 6: the step's joint exercises, applied one after another."""
        p, s = self.spec.exercises, self.state
        if not p.enabled or len(s.members) == 0:
            return
        rng = self.streams["exercises"]
        signal = self.spec.adversary.exercise_signal
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
            s.diverted[ex.participants] += p.cost_busd_per_participant
            members_in = int(s.member[ex.participants].sum())
            s.adversary_threat = exercises.spiral(
                s.adversary_threat, members_in, len(s.members), p.spiral_gain
            )
            s.evidence_respond[0] += signal * members_in / len(s.members)
            self.step_counts["exercises"] += 1
            self._event(
                "exercise",
                actor=s.iso3[ex.host],
                participants=[s.iso3[i] for i in ex.participants],
                cost_busd=p.cost_busd_per_participant * len(ex.participants),
            )

    def operate(self) -> None:
        """Phase 7: start scenario missions that are due; run and retire missions."""
        p, s = self.spec.operations, self.state
        if not p.enabled:
            return
        for spec in p.missions:
            if spec.start_step == self.steps - 1:
                idx = np.array([self._index[i] for i in spec.contributions], dtype=int)
                amounts = np.array(list(spec.contributions.values()), dtype=float)
                end = self.steps + math.ceil(spec.duration_months / self.months) - 1
                self._start_mission(spec.name, idx, amounts, end)
        for mission in list(self.missions):
            if mission.end_step < self.steps:
                self.missions.remove(mission)
                self._event("mission_end", actor=mission.name)
                continue
            costs = operations.step_mission(
                mission,
                s.trust,
                s.interop,
                s.gdp,
                self.months,
                p.interop_gain_per_year,
                p.trust_gain_per_year,
                p.fairness_trust_cost,
                p.cost_busd_per_year,
            )
            s.diverted[mission.contributors] += costs

    def _start_mission(self, name: str, idx: np.ndarray, amounts: np.ndarray, end: int) -> None:
        keep = amounts > 0
        if keep.sum() == 0:
            return
        mission = operations.Mission(name, idx[keep], amounts[keep], end)
        self.missions.append(mission)
        self._event(
            "mission_start",
            actor=name,
            participants=[self.state.iso3[i] for i in mission.contributors],
        )

    def station(self) -> None:
        """Phase 8: forward presence costs its contributors and reassures its hosts."""
        p, s = self.spec.presence, self.state
        if not p.enabled or not self._battlegroups:
            return
        s.diverted += presence.contributor_costs(
            s.n, self._battlegroups, p.cost_busd_per_year, self.months
        )
        presence.reassure(s.trust, self._battlegroups, p.host_trust_gain_per_year, self.months)

    def _station(self) -> None:
        p = self.spec.presence
        units = [
            (index, p.strength_busd if bg.strength_busd is None else bg.strength_busd)
            for (index, _), bg in zip(self._battlegroups, p.battlegroups, strict=True)
        ]
        self.state.presence = presence.presence_by_host(self.state.n, units if p.enabled else [])

    def hybrid(self) -> None:
        """Phase 9: disinformation campaigns wedge weakly aligned allies until detected."""
        p, s = self.spec.information, self.state
        members = s.members
        if not p.enabled or len(members) < 2 or not s.adversary.any():
            return
        s.diverted[members] += p.stratcom_level * p.stratcom_cost_busd_per_year * self.months / 12
        rng = self.streams["hybrid"]
        targets = np.flatnonzero(s.member | s.partner)
        weights = s.exposure[targets] + 0.05
        for _ in range(int(rng.poisson(p.campaigns_per_year * self.months / 12.0))):
            target = int(rng.choice(targets, p=weights / weights.sum()))
            in_group = bool(self._intel[target])
            days = information.detection_days(
                rng, p.detection_days, in_group, p.intel_detection_factor
            )
            damage = information.campaign_damage(
                s.alignment[target],
                days,
                p.strength,
                p.reference_days,
                p.stratcom_level,
                p.stratcom_effectiveness,
            )
            information.apply_campaign(s.trust, target, members, damage)
            self.step_counts["hybrid_campaigns"] += 1
            self._event(
                "hybrid_campaign",
                actor=s.iso3[target],
                outcome="intel_group" if in_group else "outside_group",
                latency_days=days,
            )

    # ------------------------------------------------------------------ 10-13
    def decide(self) -> None:
        """Phase 10: routine proposals put to members, decided under the rule after negotiation."""
        p, s = self.spec.consensus, self.state
        members = s.members
        if not p.enabled or len(members) == 0:
            return
        proposals_rng, shocks_rng = self.streams["proposals"], self.streams["consensus"]
        for _ in range(int(proposals_rng.poisson(p.proposals_per_year * self.months / 12.0))):
            proposal = consensus.draw_proposal(
                proposals_rng,
                p.proposal_kinds,
                members,
                s.influence,
                s.interests,
                p.proposal_spread,
            )
            shocks = shocks_rng.normal(0.0, p.support_noise_sd, len(members))
            decision = self._negotiate(
                proposal, p.proposal_kinds[proposal.kind], members, shocks, p
            )
            self.apply_decision(decision)
            if decision.adopted and proposal.kind == "out_of_area":
                self._launch_mission(decision)

    def _negotiate(self, proposal, kind, voters, shocks, params) -> consensus.Decision:
        s = self.state
        return consensus.negotiate(
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

    def _launch_mission(self, decision: consensus.Decision) -> None:
        p, s = self.spec.operations, self.state
        if not (p.enabled and p.launch_from_decisions) or len(decision.supporters) == 0:
            return
        issues = self.spec.issues
        col = issues.index("out_of_area") if "out_of_area" in issues else None
        idx = decision.supporters
        salience = s.interests[idx, col] if col is not None else np.ones(len(idx))
        end = self.steps + math.ceil(p.duration_months / self.months)
        self._start_mission(f"mission-{self.steps}", idx, s.gdp[idx] * salience, end)

    def apply_decision(self, d: consensus.Decision, subject: str | None = None) -> None:
        """Trust consequences of a decision, and its record."""
        p, s = self.spec.consensus, self.state
        if d.adopted:
            trust_mech.raise_trust_among(s.trust, d.supporters, p.success_trust_gain)
        else:
            trust_mech.lower_trust_in(s.trust, d.supporters, d.blockers, p.block_trust_cost)
        if len(d.silence_breakers):
            others = np.setdiff1d(s.members, d.silence_breakers)
            trust_mech.lower_trust_in(
                s.trust, others, d.silence_breakers, p.silence_break_trust_cost
            )
        self._decisions.append((self.steps, d.adopted, d.latency_days, d.dilution))
        self.step_counts["proposals"] += 1
        self.step_counts["adopted"] += int(d.adopted)
        self._event(
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

    def assess(self) -> None:
        """Phase 11: the adversary's estimate, for every nation, that a challenge would fail."""
        s, a, fp = self.state, self.spec.adversary, self.spec.presence
        coverage = self._coverage()
        local = det.local_capability(
            s.capability, s.readiness, s.trust, s.interop, s.member, coverage, s.presence
        )
        reach = det.adversary_reach(s.exposure, s.adversary_capability, self._adversary_readiness())
        s.p_prevail = det.prevail_probability(local, reach, a.contest_exponent)
        covered = self._covered()
        p_respond = det.response_probability(
            self._credibility_by_nation(covered),
            s.presence,
            fp.strength_busd,
            fp.tripwire_weight if fp.enabled else 0.0,
            covered,
        )
        # A target the alliance is not committed to resists alone with probability = its resolve.
        p_respond = np.where(covered, p_respond, s.resolve)
        s.p_fail = p_respond * s.p_prevail

    def _covered(self) -> np.ndarray:
        """Nations whose challenge opens an alliance decision (members; partners if supported)."""
        s, p = self.state, self.spec.crises
        if not self.spec.collective_defence:
            return np.zeros(s.n, dtype=bool)
        return s.member | (s.partner & p.support_partners)

    def _credibility_by_nation(self, covered: np.ndarray) -> np.ndarray:
        """The adversary's belief that the alliance would respond, for each nation.

        0 where the alliance would not even decide (nations it is not committed to).
        """
        s = self.state
        members_belief, partners_belief = s.credibility
        belief = np.where(s.member, members_belief, partners_belief)
        return np.where(covered, belief, 0.0)

    def _coverage(self) -> np.ndarray:
        """``c_t``: allied projection for members, times partner_support for partners."""
        s, a = self.state, self.spec.adversary
        if not self.spec.collective_defence:
            return np.zeros(s.n)
        support = a.partner_support if self.spec.crises.support_partners else 0.0
        return a.allied_projection * np.where(s.member, 1.0, np.where(s.partner, support, 0.0))

    def _adversary_readiness(self) -> float:
        s = self.state
        return float(s.readiness[s.adversary].mean()) if s.adversary.any() else 0.0

    def challenge(self) -> None:
        """Phase 12: the adversary may challenge one target; a crisis decides the response."""
        p, a, s = self.spec.crises, self.spec.adversary, self.state
        rng = self.streams["adversary"]
        # Always three draws (challenge, outcome, resisting alone): common random numbers.
        uniforms = rng.random(3)
        if not p.enabled or not s.adversary.any():
            return
        candidates = np.flatnonzero(s.member | s.partner)
        utility = crises.challenge_utility(s.p_fail, s.exposure, s.aggression, a.failure_cost)
        target = crises.choose_challenge(
            uniforms[0], utility, candidates, a.challenge_rate_per_year, self.months
        )
        if target is None:
            return
        self.step_counts["challenges"] += 1
        covered = bool(self._covered()[target])
        if covered:
            self.step_counts["crises"] += 1
            decision = self._crisis_decision(target)
            responders = decision.supporters if decision.adopted else np.zeros(0, dtype=int)
        else:  # no alliance decision: the target resists alone with probability = its resolve
            alone = uniforms[2] < s.resolve[target]
            decision, responders = None, np.array([target] if alone else [], dtype=int)
        prevail = self._prevail_with(target, responders)
        result = crises.outcome(len(responders) > 0, prevail, float(uniforms[1]))
        self.step_counts[f"crises_{result}"] += int(bool(covered))
        self._aftermath(target, result, decision, responders)
        self._event(
            "crisis" if covered else "challenge",
            actor=s.iso3[target],
            kind=s.role[target],
            participants=[s.iso3[i] for i in responders],
            outcome=result,
            rounds=decision.rounds if decision else None,
            latency_days=decision.latency_days if decision else None,
            support_share=decision.support_share if decision else None,
        )

    def _crisis_decision(self, target: int) -> consensus.Decision:
        p, s = self.spec.crises, self.state
        members = s.members
        proposer = target if s.member[target] else int(members[np.argmax(s.trust[members, target])])
        rounds = p.max_rounds + (p.intel_bonus_rounds if self._intel[target] else 0)
        params = dataclasses.replace(
            self.spec.consensus,
            max_rounds=rounds,
            round_days=p.round_days,
            support_threshold=p.support_threshold,
        )
        kind = ProposalKind(0.0, p.threat_relevance, p.sovereignty_cost, p.resolve_relevance)
        proposal = consensus.Proposal(
            "crisis_response",
            proposer,
            s.interests[target].copy(),
            subject=target,
            obligation=p.treaty_obligation if s.member[target] else 0.0,
        )
        shocks = self.streams["crises"].normal(0.0, params.support_noise_sd, len(members))
        decision = self._negotiate(proposal, kind, members, shocks, params)
        if s.member[target] and target not in decision.supporters:
            decision.supporters = np.append(decision.supporters, target)  # a target defends itself
        self.apply_decision(decision, subject=s.iso3[target])
        return decision

    def _prevail_with(self, target: int, responders: np.ndarray) -> float:
        """Probability that the responders' local capability prevails at the target."""
        s = self.state
        if len(responders) == 0:
            return 0.0  # nobody came: the challenge succeeds
        mask = np.zeros(s.n, dtype=bool)
        mask[responders] = True
        mask[target] = False  # its own forces count in full below, not as allied help
        projection = np.full(s.n, self.spec.adversary.allied_projection)
        local = det.local_capability(
            s.capability, s.readiness, s.trust, s.interop, mask, projection, s.presence
        )[target]
        reach = det.adversary_reach(s.exposure, s.adversary_capability, self._adversary_readiness())
        return float(
            det.prevail_probability(
                np.array([local]), reach[[target]], self.spec.adversary.contest_exponent
            )[0]
        )

    def _aftermath(self, target, result, decision, responders) -> None:
        p, a, s = self.spec.crises, self.spec.adversary, self.state
        if decision is not None:  # the adversary learns only where the alliance had to decide
            which = 0 if s.member[target] else 1
            if result == "conceded":
                s.evidence_concede[which] += 1.0
            else:
                s.evidence_respond[which] += 1.0
        s.aggression = crises.update_aggression(
            s.aggression, result, a.aggression_gain, a.aggression_loss
        )
        if decision is not None:
            backers = decision.supporters  # voted to respond, whether or not the vote carried
            non = np.setdiff1d(s.members, backers)
            crises.abandonment(
                s.trust, target, backers, non, p.abandonment_trust_cost, p.support_trust_gain
            )
            crises.entrapment(
                s.resolve, responders, s.exposure, p.entrapment_exposure, p.entrapment_resolve_cost
            )
        if result == "defended":
            s.readiness[responders] *= 1.0 - p.defend_readiness_cost
            s.capability[responders] *= 1.0 - p.defend_capability_loss

    def update_trust(self) -> None:
        """Phase 13: reciprocity and decay toward the alignment baseline, all pairs at once."""
        p, s = self.spec.trust, self.state
        if p.enabled:
            s.trust = trust_mech.update_trust(
                s.trust, s.trust_baseline, p.reciprocity_per_month, p.decay_per_month, self.months
            )

    def _year_ends(self) -> bool:
        """Whether a calendar year of the run ends within this step (months 12, 24, ...)."""
        return (self.steps * self.months) // 12 > ((self.steps - 1) * self.months) // 12

    # ------------------------------------------------------------------ records
    def _event(self, event: str, **fields: Any) -> None:
        row = {"step": self.steps, "year": round(self.year, 4), "event": event}
        if "participants" in fields:
            fields["participants"] = ";".join(fields["participants"])
        row.update(fields)
        self.events.append(row)

    def decision_window(self) -> list[tuple[int, bool, float, float]]:
        """Decisions (step, adopted, latency_days, dilution) in the trailing metrics window."""
        window_steps = max(1, round(self.spec.metrics.window_months / self.months))
        while self._decisions and self._decisions[0][0] <= self.steps - window_steps:
            self._decisions.popleft()
        return list(self._decisions)
