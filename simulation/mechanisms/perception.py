"""Perception (phase 2): threat perception, influence, and the adversary's fading alarm and memory.

Rules (one step of ``m`` months):

* Every nation's threat perception and every member's negotiating influence are recomputed from
  the current stocks and trust (the rules are in :mod:`~simulation.mechanisms.capability`:
  balance of threat, Walt 1987; influence weighted by capability and trust).
* The adversary's threat perception of the alliance (raised by exercises and enlargement, the
  security spiral; Jervis 1976) fades by ``threat_decay_per_year``:
  ``x <- x * (1 - decay) ** (m / 12)``.
* The adversary's aggression relaxes toward its level (its initial value, raised by the security
  spiral, :mod:`~simulation.mechanisms.spiral`), closing ``aggression_recovery_per_year`` of the
  gap per year (crises move it; see :mod:`~simulation.mechanisms.crises`).
* The adversary's evidence about allied responses (Beta pseudo-counts for members and partners)
  fades back to its prior: ``e <- prior + memory ** (m / 12) * (e - prior)`` with
  ``memory_per_year`` (0.8 by default, an assumption: old crises count for less; Press 2005 on
  how reputations for resolve are judged mainly by current capabilities and interests).

This module owns the ``adversary`` section (:class:`AdversaryParams`), which the deterrence,
crisis, exercise and enlargement phases read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.mechanisms.rates import close_gap, per_step
from simulation.outputs import level
from simulation.parameters import param
from simulation.state import prior_evidence, refresh_perceptions

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class AdversaryParams:
    """The adversary bloc: perceived aggression, its learning about the alliance, challenges."""

    aggression: float = param(
        0.5,
        doc="Initial aggression of the adversary (drives its challenges)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    threat_decay_per_year: float = param(
        0.3,
        doc="Share of the adversary's threat perception of the alliance that fades per year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    prior_response: float = param(
        0.7,
        doc="Adversary's prior probability that the alliance responds to a challenge",
        unit="0-1",
        lo=0.001,
        hi=0.999,
    )
    prior_response_partners: float = param(
        0.3,
        doc="Adversary's prior probability that the alliance responds to a challenge of a "
        "partner (no treaty obligation; beliefs about members and partners are learned apart)",
        unit="0-1",
        lo=0.001,
        hi=0.999,
    )
    prior_strength: float = param(
        10.0,
        doc="Weight of that prior, in pseudo-observations",
        unit="pseudo-observations",
        lo=0.01,
        hi=1e6,
    )
    memory_per_year: float = param(
        0.8,
        doc="Share of the adversary's evidence about the alliance kept after a year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    challenge_rate_per_year: float = param(
        3.0,
        doc="Opportunities per year on which the adversary considers a challenge (Poisson; on "
        "each it may decline, see crises.rationality) (fitted)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    failure_cost: float = param(
        0.2,
        doc="Cost to the adversary of an escalation that fails (paid with the probability that "
        "the defence prevails), in stake units",
        lo=0,
        hi=100,
    )
    contest_exponent: float = param(
        1.0, doc="Exponent of the contest success function (1 = ratio form)", lo=0.01, hi=10
    )
    allied_projection: float = param(
        0.25,
        doc="Share of allies' ready capability that can be brought to bear at a target in a "
        "crisis (reinforcement at a distance); the target's own forces count in full",
        unit="0-1",
        lo=0,
        hi=1,
    )
    partner_support: float = param(
        0.3,
        doc="Weight of allies' capability counted in a partner's defence",
        unit="0-1",
        lo=0,
        hi=1,
    )
    exercise_signal: float = param(
        0.05,
        doc="Pseudo-observations of alliance resolve the adversary takes from one exercise, "
        "scaled by the share of members taking part",
        unit="pseudo-observations",
        lo=0,
        hi=10,
    )
    aggression_recovery_per_year: float = param(
        0.2,
        doc="Share of the gap between aggression and its initial value closed per year (crisis "
        "outcomes shift aggression; it relaxes back without new ones)",
        unit="1/year",
        lo=0,
        hi=1,
    )
    aggression_gain: float = param(
        0.1,
        doc="Share of its gap to 1 that aggression closes after a concession",
        unit="0-1",
        lo=0,
        hi=1,
    )
    aggression_loss: float = param(
        0.05, doc="Share of aggression lost after a deterred challenge", unit="0-1", lo=0, hi=1
    )
    enlargement_threat_gain: float = param(
        0.1,
        doc="Share of the gap to 1 the adversary's threat perception closes on an accession",
        unit="0-1",
        lo=0,
        hi=1,
    )


# --------------------------------------------------------------------------- the phase
SECTION = "adversary"
Params = AdversaryParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: perceptions and the adversary's priors are built with the state."""


def step(model: AllianceModel) -> None:
    """Phase 2: threat and influence; the adversary's alarm, aggression and evidence relax."""
    s, a, months = model.state, model.spec.adversary, model.months
    refresh_perceptions(s, model.spec)
    s.adversary_threat *= (1.0 - a.threat_decay_per_year) ** (months / 12.0)
    relax = per_step(a.aggression_recovery_per_year, 12.0, months)
    s.aggression = close_gap(s.aggression, relax, s.aggression_level)
    keep = a.memory_per_year ** (months / 12.0)
    prior_r, prior_c = prior_evidence(model.spec)
    s.evidence_respond = prior_r + keep * (s.evidence_respond - prior_r)
    s.evidence_concede = prior_c + keep * (s.evidence_concede - prior_c)


def threat_mean(model: AllianceModel) -> float:
    """Members' mean threat perception (0-1)."""
    return float(model.state.threat[model.state.member].mean())


def aggression(model: AllianceModel) -> float:
    """The adversary's aggression (0-1)."""
    return float(model.state.aggression)


def adversary_threat(model: AllianceModel) -> float:
    """The adversary's threat perception of the alliance (0-1)."""
    return float(model.state.adversary_threat)


OUTPUTS = (level(threat_mean), level(aggression), level(adversary_threat))
