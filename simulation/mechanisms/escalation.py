"""Crisis bargaining rules shared by the crisis phase: the challenge choice and the ladder.

Not a phase of its own (:mod:`~simulation.mechanisms.crises` runs them). Pure functions only.

**Challenge as a quantal-response choice** (McKelvey and Palfrey 1995; Signorino 1999 on
strategic choice in crises). On each opportunity the adversary chooses among "no challenge"
(utility ``u_0 = status_quo_utility``) and every reachable target ``t`` (utility ``EU_t``) with
the logit probabilities ``P_k = exp(lambda u_k) / sum_j exp(lambda u_j)``. ``lambda``
(``crises.rationality``, 1/stake units) is the adversary's precision: at 0 every option is
equally likely, as ``lambda`` grows the choice tends to the best option (the old argmax rule).
Choosing "no challenge" on an opportunity is a success of *general* deterrence (Morgan 1977;
Huth 1988); a challenge that meets a response and is withdrawn is a success of *immediate*
deterrence.

**The escalation ladder** (Schelling 1966; Snyder 1984; Fearon 1994, 1997). The defender's
response is a rung: ``none`` (0), ``political`` (political and economic measures, 1),
``support`` (support short of war: arms, intelligence, reinforcement, 2) or ``military``
(military commitment, 3). The adversary then chooses, by the same logit, to back down, to hold
what it took, or to escalate, with utilities in stake units (``stake = aggression * exposure``)::

    U_back     = -audience_cost                                   (Fearon 1994)
    U_hold     = hold_share * stake * (1 - D) - c_R
    U_escalate = stake * (1 - D) - failure_cost * D - c_R - (war_cost if R is military
                                                              else local_war_cost)

``D`` is the probability that the defence present at the rung prevails locally (contest success
function, :mod:`~simulation.mechanisms.deterrence`), ``c_R`` the cost of the defender's response
to the adversary at rung ``R`` (sanctions, arms in the target's hands, a standing commitment).
War between the alliance and the adversary happens only when both stand firm: a military
commitment met by escalation.

**The challenge anticipates the ladder.** The value of challenging ``t`` is the adversary's
expected utility of the crisis it foresees: with probability ``p_respond_t`` (its belief that the
defender answers, :mod:`~simulation.mechanisms.deterrence`) the answer comes at the rung it expects
(military for members, ``partner_max_response`` for partners) and the defence prevails with
``p_prevail_t``; otherwise the target's own forces defend it (members always; others with
probability ``resolve``), prevailing with ``p_alone_t``. In each branch the adversary expects its
own logit reaction, ``sum_k P_k U_k``.
"""

from __future__ import annotations

import math

import numpy as np

RUNGS = ("none", "political", "support", "military")
"""The defender's response levels, lowest first (index = rung)."""

REACTIONS = ("backed_down", "held", "escalated")
"""The adversary's moves after the defender's response."""

NONE, POLITICAL, SUPPORT, MILITARY = range(4)

ROLE_GROUPS = ("members", "partners", "others")
"""How counts split challenges by the target's role."""


def role_group(member: bool, partner: bool) -> str:
    """``members``, ``partners`` or ``others``: how counts split challenges by target role."""
    return "members" if member else "partners" if partner else "others"


def choice_probabilities(utility: np.ndarray, rationality: float, status_quo: float) -> np.ndarray:
    """Logit probabilities of [no challenge, target 1, ..., target k] (sum to 1).

    >>> choice_probabilities(np.array([0.0]), 1.0, 0.0).tolist()
    [0.5, 0.5]
    """
    u = rationality * np.concatenate(([status_quo], np.asarray(utility, dtype=float)))
    e = np.exp(u - u.max())
    return e / e.sum()


def draw(uniform: float, probabilities: np.ndarray) -> int:
    """The option that one U(0, 1) draw picks from ``probabilities`` (inverse CDF)."""
    cumulative = np.cumsum(probabilities)
    return int(
        min(
            np.searchsorted(cumulative, uniform * cumulative[-1], side="right"), len(cumulative) - 1
        )
    )


def opportunity(uniform: float, rate_per_year: float, months: float) -> bool:
    """Whether the adversary has an occasion to challenge this step (Poisson opportunities)."""
    return uniform < 1.0 - math.exp(-rate_per_year * months / 12.0)


def reaction_utilities(stake, defence, rung, p, failure_cost: float) -> np.ndarray:
    """The adversary's utilities of [back down, hold, escalate], along the last axis.

    ``stake``, ``defence`` (``D``) and ``rung`` may be arrays (one entry per target); ``p`` holds
    the ladder's payoffs (``crises`` parameters: ``audience_cost``, ``hold_share``, the rung costs,
    ``war_cost``, ``local_war_cost``); ``failure_cost`` is paid when an escalation fails (with
    probability ``D``).
    """
    stake, defence = np.asarray(stake, dtype=float), np.asarray(defence, dtype=float)
    rung = np.asarray(rung)
    cost = np.array([0.0, p.political_cost, p.support_cost, p.military_cost])[rung]
    fight = np.where(rung == MILITARY, p.war_cost, p.local_war_cost)
    gain = stake * (1.0 - defence)
    back = np.full(np.broadcast(stake, defence, rung).shape, -p.audience_cost)
    hold = p.hold_share * gain - cost
    escalate = gain - failure_cost * defence - cost - fight
    return np.stack(np.broadcast_arrays(back, hold, escalate), axis=-1)


def expected_utility(utilities: np.ndarray, rationality: float) -> np.ndarray:
    """Expected utility of a logit chooser over the last axis: ``sum_k P_k u_k``."""
    u = np.asarray(utilities, dtype=float)
    z = rationality * (u - u.max(axis=-1, keepdims=True))
    w = np.exp(z)
    return (w * u).sum(axis=-1) / w.sum(axis=-1)


def challenge_values(stake, p_respond, d_respond, d_none, rung, p, failure_cost, rationality):
    """``EU_t``: the value of challenging each target, anticipating the ladder.

    With probability ``p_respond`` the defender answers at ``rung`` and the defence prevails with
    ``d_respond``; otherwise it does not answer and what defends the target prevails with
    ``d_none``. In each branch the adversary expects its own logit reaction (backward induction
    with quantal responses; Signorino 1999).
    """
    react = expected_utility(
        reaction_utilities(stake, d_respond, rung, p, failure_cost), rationality
    )
    alone = expected_utility(reaction_utilities(stake, d_none, NONE, p, failure_cost), rationality)
    return p_respond * react + (1.0 - p_respond) * alone


def response_level(adopted: bool, willing_share: np.ndarray, quorum: float, cap: int) -> int:
    """The rung of the defender's response.

    ``military`` if the crisis decision was adopted; otherwise the highest lesser rung whose
    willing members hold at least ``quorum`` of influence (``willing_share[r]`` for rung ``r``:
    coalitions of the willing act without the council, as arms deliveries do); never above
    ``cap``.
    """
    level = MILITARY if adopted else NONE
    if not adopted:
        for rung in (SUPPORT, POLITICAL):
            if willing_share[rung] >= quorum:
                level = rung
                break
    return min(level, cap)


def evidence(rung: int) -> tuple[float, float]:
    """What a crisis teaches the adversary: pseudo-counts (responded, conceded).

    A military commitment counts as a response, no response as a concession, and the rungs
    between count in proportion (``rung / 3``).
    """
    share = rung / MILITARY
    return share, 1.0 - share


def aggression_after(aggression: float, gained: float, gain: float, loss: float) -> float:
    """Aggression after a crisis: a gain closes ``gain * gained`` of the gap to 1.

    ``gained`` (0-1) is the share of the stake the adversary won; a failure (``gained = 0``)
    loses ``loss`` of its aggression.
    """
    if gained > 0:
        return aggression + gain * gained * (1.0 - aggression)
    return aggression * (1.0 - loss)
