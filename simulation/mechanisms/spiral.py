"""The security spiral (phase 14): the adversary's threat perception drives what it does.

The adversary's threat perception of the alliance ``x`` (0-1) rises with allied exercises
(``exercises.spiral_gain``) and accessions (``adversary.enlargement_threat_gain``) and fades by
``adversary.threat_decay_per_year`` (phase 2). The spiral makes it act (Jervis 1976, ch. 3;
Glaser 1997, *World Politics* 50(1); Richardson's action-reaction arms race, 1960). With
``w = threat_weight`` and the adversary's initial aggression ``a0``, readiness ``r0`` and defence
share ``s0``:

* **aggression**: the level its aggression relaxes to (phase 2) is
  ``a* = a0 + w * aggression_response * x * (1 - a0)``; challenge propensity follows, since the
  stake of every challenge is ``aggression * exposure`` (:mod:`~simulation.mechanisms.crises`);
* **arms build-up**: its defence share moves toward ``s0 * (1 + w * arms_response * x)`` and its
  readiness toward ``r0 + w * readiness_response * x * (1 - r0)``, each closing
  ``adjustment_per_year`` of the gap per year (the adversary's readiness is otherwise held at
  ``r0``, phase 1).

``threat_weight`` is the lever of the exercise debate: exercises also signal resolve
(``adversary.exercise_signal``, Fearon 1997) and raise the allies' readiness, which deters; the
spiral is their provocative side (Bernhardt and Sukin 2021 find North Korea answers US-ROK
exercises with provocations; Kuo and Blankenship 2022 find no general escalation). At ``w = 0``
the adversary's threat perception changes nothing it does (the model before the spiral);
at ``w = 1`` it acts fully on it. The default 0.5 is an assumption between the two readings.
The response coefficients are assumptions (no estimate of Soviet, Russian, Chinese or North
Korean reaction functions is used); see ``docs/calibration.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.rates import close_gap, per_step
from simulation.outputs import level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class SpiralParams:
    """The security spiral: how the adversary's threat perception drives its behaviour."""

    threat_weight: float = param(
        0.5,
        doc="Weight of the adversary's threat perception in its aggression and arms (0: "
        "exercises only deter; 1: full provocation side)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    aggression_response: float = param(
        0.5,
        doc="Share of the gap to 1 that full threat adds to the adversary's aggression level",
        unit="0-1",
        lo=0,
        hi=1,
    )
    arms_response: float = param(
        0.5,
        doc="Relative rise of the adversary's defence share at full threat",
        unit="fraction of the initial share",
        lo=0,
        hi=5,
    )
    readiness_response: float = param(
        0.5,
        doc="Share of the gap to full readiness that full threat adds to the adversary's",
        unit="0-1",
        lo=0,
        hi=1,
    )
    adjustment_per_year: float = param(
        0.3,
        doc="Share of the gap to its targets the adversary's share and readiness close per year",
        unit="1/year",
        lo=0,
        hi=1,
    )


def aggression_level(a0: float, threat: float, weight: float, response: float) -> float:
    """The aggression the adversary relaxes to: ``a0 + w * response * x * (1 - a0)``."""
    return a0 + weight * response * threat * (1.0 - a0)


def arms_targets(
    share0: np.ndarray, readiness0: np.ndarray, threat: float, weight: float, p: SpiralParams
) -> tuple[np.ndarray, np.ndarray]:
    """The defence share and readiness the adversary's arms build-up moves toward."""
    drive = weight * threat
    return share0 * (1.0 + p.arms_response * drive), close_gap(
        readiness0, p.readiness_response * drive
    )


# --------------------------------------------------------------------------- the phase
SECTION = "spiral"
Params = SpiralParams


def init(model: AllianceModel) -> None:
    """Remember the adversary's initial defence share and readiness (its reference levels)."""
    s = model.state
    model.adversary_reference = (s.defence_share.copy(), s.readiness.copy())


def step(model: AllianceModel) -> None:
    """Phase 14: the adversary's aggression level and arms respond to its threat perception."""
    p, s = model.spec.spiral, model.state
    if not s.adversary.any():
        return
    s.aggression_level = aggression_level(
        model.spec.adversary.aggression, s.adversary_threat, p.threat_weight, p.aggression_response
    )
    share0, readiness0 = model.adversary_reference
    share, ready = arms_targets(share0, readiness0, s.adversary_threat, p.threat_weight, p)
    rate = per_step(p.adjustment_per_year, 12.0, model.months)
    adv = s.adversary
    s.defence_share[adv] += rate * (share[adv] - s.defence_share[adv])
    s.readiness[adv] += rate * (ready[adv] - s.readiness[adv])


def adversary_readiness(model: AllianceModel) -> float:
    """Mean readiness of the adversary bloc (0-1; NaN without an adversary)."""
    s = model.state
    return float(s.readiness[s.adversary].mean()) if s.adversary.any() else float("nan")


def adversary_defence_share(model: AllianceModel) -> float:
    """Defence share of the adversary bloc's GDP (%, NaN without an adversary)."""
    s = model.state
    if not s.adversary.any():
        return float("nan")
    return float(100.0 * (s.gdp * s.defence_share)[s.adversary].sum() / s.gdp[s.adversary].sum())


OUTPUTS = (level(adversary_readiness), level(adversary_defence_share))
