"""Joint exercises (DESIGN 3.2, mechanism 1).

Schedule: each step the number of exercises is Poisson with mean ``tempo_per_year * m / 12``
(stream ``exercises``). A host member is drawn with probability proportional to
``(exposure + 0.05) ** host_exposure_bias`` (exposed members host more, as the eastern flank does
since 2014). The other ``size - 1`` slots go to partners with probability
``partner_inclusiveness`` each (binomial count), the rest to members, drawn uniformly without
replacement; ``size`` is capped by the nations available.

Effects of one exercise on its participants ``P`` (saturating, so returns diminish as a pair
approaches full interoperability). Exercises are investments in joint capability (the rationale of
NATO's Connected Forces Initiative, 2012) and costly signals of resolve (Fearon 1997, *J. Conflict
Resolution* 41(1), on sinking costs); the adversary reads them as evidence that the alliance
would respond (``adversary.exercise_signal``, see :mod:`simulation.mechanisms.deterrence`).

* ``Q[i, j] += interop_gain * (1 - Q[i, j])`` for ``i != j`` in ``P`` (default 0.04);
* ``T[i, j] += trust_gain * (1 - T[i, j])`` for ``i != j`` in ``P`` (default 0.01);
* ``readiness_i += readiness_gain * (1 - readiness_i)`` for ``i`` in ``P`` (default 0.05);
* interests: each participant's issue saliences close ``interest_convergence`` of their gap to
  the participants' mean (default 0.002; socialisation through shared training, Gheciu 2005,
  *NATO in the "New Europe"*; the size is an assumption), so interest alignment can rise;
* each participant spends ``cost_busd_per_participant`` (default 0.05 billion USD, an assumption
  of the order of a large NATO exercise's national cost), taken from capability investment;
* security spiral: the adversary's threat perception of the alliance,
  ``s += spiral_gain * (members in P / members) * (1 - s)`` (default 0.02; Jervis 1976;
  Bernhardt and Sukin 2021, *J. Conflict Resolution*, find North Korea answers US-South Korean
  exercises with provocations, while Kuo and Blankenship 2022 find exercises do not in general
  escalate, so the default is small). The perception drives the adversary's aggression and
  arms through the security spiral, weighted by ``spiral.threat_weight``
  (:mod:`~simulation.mechanisms.spiral`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.limits import MAX_NATIONS
from simulation.mechanisms.rates import close_gap
from simulation.outputs import count
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class ExerciseParams:
    """Joint exercises (mechanism 1)."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    tempo_per_year: float = param(
        12.0, doc="Mean number of joint exercises (Poisson)", unit="1/year", lo=0, hi=1000
    )
    size: int = param(
        6, doc="Participants per exercise, host included", unit="nations", lo=2, hi=MAX_NATIONS
    )
    partner_inclusiveness: float = param(
        0.2,
        doc="Probability that a participant slot goes to a partner rather than a member",
        unit="0-1",
        lo=0,
        hi=1,
    )
    host_exposure_bias: float = param(
        1.0,
        doc="Hosts are drawn with probability proportional to (exposure + 0.05) ** bias",
        lo=0,
        hi=10,
    )
    interop_gain: float = param(
        0.04,
        doc="Share of the gap 1 - Q closed between each participant pair per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    trust_gain: float = param(
        0.01,
        doc="Share of the gap 1 - T closed between each participant pair per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    readiness_gain: float = param(
        0.05,
        doc="Share of the gap 1 - readiness closed for each participant per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    interest_convergence: float = param(
        0.002,
        doc="Share of the gap to the participants' mean interests each participant closes per "
        "exercise (socialisation; an assumption, small)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    cost_busd_per_participant: float = param(
        0.05,
        doc="Cost to each participant, deducted from capability investment",
        unit="billion USD",
        lo=0,
        hi=1000,
    )
    spiral_gain: float = param(
        0.02,
        doc="Rise in the adversary's threat perception per exercise, scaled by the exercise's "
        "share of alliance members (security spiral)",
        unit="0-1",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class Exercise:
    """One exercise: host and participants (indices into the nation arrays)."""

    host: int
    participants: np.ndarray


def exercise_count(rng: np.random.Generator, tempo_per_year: float, months: float) -> int:
    """Number of exercises this step (Poisson with mean ``tempo * months / 12``)."""
    return int(rng.poisson(tempo_per_year * months / 12.0))


def draw_exercise(
    rng: np.random.Generator,
    members: np.ndarray,
    partners: np.ndarray,
    exposure: np.ndarray,
    size: int,
    partner_inclusiveness: float,
    host_exposure_bias: float,
) -> Exercise:
    """Draw the host and the participants of one exercise (see module docstring)."""
    weights = (exposure[members] + 0.05) ** host_exposure_bias
    host = int(rng.choice(members, p=weights / weights.sum()))
    slots = min(size, len(members) + len(partners)) - 1
    n_partners = int(rng.binomial(slots, partner_inclusiveness)) if len(partners) else 0
    n_partners = min(n_partners, len(partners))
    others = members[members != host]
    n_members = min(slots - n_partners, len(others))
    n_partners = min(slots - n_members, len(partners))
    chosen_members = rng.choice(others, size=n_members, replace=False) if n_members else []
    chosen_partners = rng.choice(partners, size=n_partners, replace=False) if n_partners else []
    participants = np.concatenate([[host], chosen_members, chosen_partners]).astype(int)
    return Exercise(host=host, participants=participants)


def apply_exercise(
    participants: np.ndarray,
    trust: np.ndarray,
    interop: np.ndarray,
    readiness: np.ndarray,
    interop_gain: float,
    trust_gain: float,
    readiness_gain: float,
) -> None:
    """Raise interoperability, trust and readiness among the participants (in place)."""
    idx = np.ix_(participants, participants)
    interop[idx] = close_gap(interop[idx], interop_gain)
    trust[idx] = close_gap(trust[idx], trust_gain)
    np.fill_diagonal(interop, 1.0)
    np.fill_diagonal(trust, 1.0)
    readiness[participants] = close_gap(readiness[participants], readiness_gain)


def converge_interests(interests: np.ndarray, group: np.ndarray, share: float) -> None:
    """Each nation of ``group`` closes ``share`` of the gap to the group's mean (in place)."""
    if share <= 0 or len(group) < 2:
        return
    x = interests[group]
    interests[group] = x + share * (x.mean(axis=0) - x)


def spiral(adversary_threat: float, members_in: int, members_total: int, gain: float) -> float:
    """The adversary's threat perception after an exercise with ``members_in`` members."""
    if members_total == 0:
        return adversary_threat
    return close_gap(adversary_threat, gain * members_in / members_total)


# --------------------------------------------------------------------------- the phase
SECTION = "exercises"
Params = ExerciseParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: exercises act on the trust, Q and readiness arrays."""


def step(model: AllianceModel) -> None:
    """Phase 6: the step's joint exercises, applied one after another."""
    p, s = model.spec.exercises, model.state
    if not p.enabled or len(s.members) == 0:
        return
    rng = model.streams["exercises"]
    signal = model.spec.adversary.exercise_signal
    for _ in range(exercise_count(rng, p.tempo_per_year, model.months)):
        ex = draw_exercise(
            rng,
            s.members,
            s.partners,
            s.exposure,
            p.size,
            p.partner_inclusiveness,
            p.host_exposure_bias,
        )
        apply_exercise(
            ex.participants,
            s.trust,
            s.interop,
            s.readiness,
            p.interop_gain,
            p.trust_gain,
            p.readiness_gain,
        )
        converge_interests(s.interests, ex.participants, p.interest_convergence)
        s.diverted[ex.participants] += p.cost_busd_per_participant
        members_in = int(s.member[ex.participants].sum())
        s.adversary_threat = spiral(s.adversary_threat, members_in, len(s.members), p.spiral_gain)
        s.evidence_respond[0] += signal * members_in / len(s.members)
        model.step_counts["exercises"] += 1
        model.record_event(
            "exercise",
            actor=s.iso3[ex.host],
            participants=[s.iso3[i] for i in ex.participants],
            cost_busd=p.cost_busd_per_participant * len(ex.participants),
        )


OUTPUTS = (count("exercises", "Number of exercises this step."),)
