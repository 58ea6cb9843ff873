"""The adversary's view of the alliance: local balance, learned credibility, deterrence.

Extended deterrence depends on the local balance of forces and on the defender's record, not on
alliance membership alone (Huth and Russett 1984; Huth 1988). The adversary estimates, for each
possible target ``t``:

* **Effective local capability** of the alliance at ``t`` (billion USD):
  ``E_t = K_t r_t + c_t * sum_{j member, j != t} T[j, t] Q[j, t] r_j K_j + FP_t``, where ``K`` is
  capability, ``r`` readiness, ``T[j, t]`` ally ``j``'s trust in the target (will it come?),
  ``Q`` interoperability (can it fight alongside?), ``c_t`` the coverage of ``t``:
  ``allied_projection`` (the share of allied forces that can reach the theatre in time; 0.25 by
  default, an assumption) for members, times ``partner_support`` for partners, 0 for others and
  for everyone without collective defence; ``FP_t`` is the forward presence at ``t`` (the sum of
  its battlegroups' strengths).
* **Adversary's local capability**: ``A_t = exposure_t * K_adv * r_adv`` (its reach falls with
  distance; ``r_adv`` its readiness).
* **Probability that a response prevails**: the contest success function
  ``E^g / (E^g + A^g)`` (Tullock 1980; Hirshleifer 1989), ``g = contest_exponent``.
* **Probability that the alliance responds**: the adversary's learned belief
  ``a / (a + b)`` (a Beta posterior over past responses; prior ``prior_response`` with
  ``prior_strength`` pseudo-observations; evidence fades back to the prior by
  ``memory_per_year``). Beliefs about members and about partners are kept apart (prior
  ``prior_response_partners`` for partners): reputations for resolve travel poorly between
  commitments of different kinds (Press 2005), and the alliance owes partners no treaty
  obligation. Each exercise adds ``exercise_signal`` times the share of members taking part to
  the members' evidence. Raised at hosts of forward presence by the tripwire:
  ``p + (1 - p) * tripwire_weight * min(1, FP_t / strength)`` (Schelling 1966; Reiter and Poast
  2021 argue small deployments deter only if they shift the local balance, so the weight is a
  lever, 0.5 by default; 0 leaves only the balance channel). The belief is 0 for nations the
  alliance is not committed to (no alliance decision would be taken); such a target resists
  alone with probability equal to its resolve, so there ``p_respond = resolve``.
* ``p_fail_t = p_respond_t * p_prevail_t``: the adversary's estimate that a challenge fails.

``deterrence`` (0-1) is the exposure-weighted mean of ``p_fail`` over members: the adversary's
own estimate that a challenge against a member would fail.
"""

from __future__ import annotations

import numpy as np


def local_capability(
    capability: np.ndarray,
    readiness: np.ndarray,
    trust: np.ndarray,
    interop: np.ndarray,
    member: np.ndarray,
    coverage: np.ndarray,
    presence: np.ndarray,
) -> np.ndarray:
    """``E_t`` for every nation ``t`` (billion USD); ``coverage`` is ``c_t``."""
    ready = capability * readiness
    weights = trust * interop * member[:, None]  # weights[j, t]: ally j's help to t
    np.fill_diagonal(weights, 0.0)
    allied = ready @ weights
    return ready + coverage * allied + presence


def adversary_reach(exposure: np.ndarray, adversary_capability: float, readiness: float):
    """``A_t``: the adversary's capability that can be brought to bear on each nation."""
    return exposure * adversary_capability * readiness


def prevail_probability(local: np.ndarray, adversary: np.ndarray, exponent: float) -> np.ndarray:
    """Contest success function ``E^g / (E^g + A^g)`` (1 where the adversary has no reach)."""
    e, a = np.power(local, exponent), np.power(adversary, exponent)
    total = e + a
    return np.divide(e, total, out=np.ones_like(e), where=total > 0)


def belief(successes: float, failures: float) -> float:
    """Posterior mean of the Beta belief that the alliance responds."""
    return successes / (successes + failures)


def response_probability(
    credibility: np.ndarray,
    presence: np.ndarray,
    strength_busd: float,
    tripwire_weight: float,
    covered: np.ndarray,
) -> np.ndarray:
    """Per-target probability of a response: the belief where covered, raised by tripwires."""
    base = credibility * covered
    if strength_busd <= 0:
        return base
    trip = tripwire_weight * np.minimum(1.0, presence / strength_busd)
    return base + (1.0 - base) * trip


def deterrence_index(p_fail: np.ndarray, exposure: np.ndarray, member: np.ndarray) -> float:
    """Exposure-weighted mean of ``p_fail`` over members (plain mean if no member is exposed)."""
    w = exposure * member
    if w.sum() <= 0:
        return float(p_fail[member].mean()) if member.any() else float("nan")
    return float((p_fail * w).sum() / w.sum())
