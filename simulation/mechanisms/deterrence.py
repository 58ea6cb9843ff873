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
* ``p_alone_t``: the contest function for the target's own forces and forward presence alone
  (``c_t = 0``), what defends it when the alliance does not answer (read by the crisis phase).

Deterrence is defined per target: ``p_fail_t`` (column ``p_fail`` of the nations table). It is
aggregated three ways, each 0-1: ``deterrence``, the exposure-weighted mean over members (the
headline index: exposed members weigh most); ``deterrence_mean``, the plain mean over members;
``deterrence_min``, the minimum over members within the adversary's reach (exposure > 0; the
weakest link). Without an adversary all three are undefined (NaN in the table, ``null`` in JSON):
there is nobody to deter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.outputs import level

if TYPE_CHECKING:
    from simulation.model import AllianceModel


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


# --------------------------------------------------------------------------- the phase
SECTION = None  # reads the adversary's parameters (perception) and forward presence
Params = None


def init(model: AllianceModel) -> None:
    """The adversary's first estimate, so that step 0 reports deterrence (after presence)."""
    step(model)


def step(model: AllianceModel) -> None:
    """Phase 11: the adversary's estimate, for every nation, that a challenge would fail."""
    s, a, fp = model.state, model.spec.adversary, model.spec.presence
    local = local_capability(
        s.capability, s.readiness, s.trust, s.interop, s.member, coverage(model), s.presence
    )
    reach = adversary_reach(s.exposure, s.adversary_capability, adversary_readiness(model))
    s.p_prevail = prevail_probability(local, reach, a.contest_exponent)
    committed = covered(model)
    p_respond = response_probability(
        credibility_by_nation(model, committed),
        s.presence,
        fp.strength_busd,
        fp.tripwire_weight if fp.enabled else 0.0,
        committed,
    )
    # A target the alliance is not committed to resists alone with probability = its resolve.
    s.p_respond = np.where(committed, p_respond, s.resolve)
    s.p_fail = s.p_respond * s.p_prevail
    alone = local_capability(
        s.capability, s.readiness, s.trust, s.interop, s.member, np.zeros(s.n), s.presence
    )
    s.p_alone = prevail_probability(alone, reach, a.contest_exponent)


def covered(model: AllianceModel) -> np.ndarray:
    """Nations whose challenge opens an alliance decision (members; partners if supported)."""
    s = model.state
    if not model.spec.collective_defence:
        return np.zeros(s.n, dtype=bool)
    return s.member | (s.partner & model.spec.crises.support_partners)


def credibility_by_nation(model: AllianceModel, committed: np.ndarray) -> np.ndarray:
    """The adversary's belief that the alliance would respond, for each nation.

    0 where the alliance would not even decide (nations it is not committed to).
    """
    s = model.state
    members_belief, partners_belief = s.credibility
    belief = np.where(s.member, members_belief, partners_belief)
    return np.where(committed, belief, 0.0)


def coverage(model: AllianceModel) -> np.ndarray:
    """``c_t``: allied projection for members, times partner_support for partners."""
    s, a = model.state, model.spec.adversary
    if not model.spec.collective_defence:
        return np.zeros(s.n)
    support = a.partner_support if model.spec.crises.support_partners else 0.0
    return a.allied_projection * np.where(s.member, 1.0, np.where(s.partner, support, 0.0))


def adversary_readiness(model: AllianceModel) -> float:
    """Mean readiness of the adversary bloc (0 without an adversary)."""
    s = model.state
    return float(s.readiness[s.adversary].mean()) if s.adversary.any() else 0.0


def prevail_with(
    model: AllianceModel, target: int, responders: np.ndarray, weight: float = 1.0
) -> float:
    """Probability that the responders' local capability prevails at the target.

    The target's own forces and forward presence count in full, the other responders'
    ``weight * allied_projection`` of their ready forces (``weight`` < 1 for support short of
    war).
    """
    s, a = model.state, model.spec.adversary
    if len(responders) == 0:
        return 0.0  # nobody came: the challenge succeeds
    mask = np.zeros(s.n, dtype=bool)
    mask[responders] = True
    mask[target] = False  # its own forces count in full below, not as allied help
    projection = np.full(s.n, a.allied_projection * weight)
    local = local_capability(
        s.capability, s.readiness, s.trust, s.interop, mask, projection, s.presence
    )[target]
    reach = adversary_reach(s.exposure, s.adversary_capability, adversary_readiness(model))
    return float(prevail_probability(np.array([local]), reach[[target]], a.contest_exponent)[0])


def deterrence(model: AllianceModel) -> float:
    """Adversary's estimate that a challenge of a member fails, exposure-weighted (0-1)."""
    s = model.state
    if not s.adversary.any():
        return float("nan")
    return deterrence_index(s.p_fail, s.exposure, s.member)


def deterrence_mean(model: AllianceModel) -> float:
    """Adversary's estimate that a challenge of a member fails, plain mean over members (0-1)."""
    s = model.state
    if not s.adversary.any() or not s.member.any():
        return float("nan")
    return float(s.p_fail[s.member].mean())


def deterrence_min(model: AllianceModel) -> float:
    """Lowest estimate that a challenge fails over members within the adversary's reach (0-1)."""
    s = model.state
    reachable = s.member & (s.exposure > 0)
    if not s.adversary.any() or not reachable.any():
        return float("nan")
    return float(s.p_fail[reachable].min())


def credibility(model: AllianceModel) -> float:
    """Adversary's belief that the alliance responds to a challenge of a member (0-1)."""
    return float(model.state.credibility[0])


def credibility_partners(model: AllianceModel) -> float:
    """Adversary's belief that the alliance responds to a challenge of a partner (0-1)."""
    return float(model.state.credibility[1])


OUTPUTS = (
    level(deterrence),
    level(deterrence_mean),
    level(deterrence_min),
    level(credibility),
    level(credibility_partners),
)
