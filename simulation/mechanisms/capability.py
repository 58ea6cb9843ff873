"""Force generation and upkeep: economy, capability stock, readiness, threat and influence.

Rules (one step of ``m`` months):

* GDP grows at ``g`` % per year: ``gdp *= (1 + g / 100) ** (m / 12)``.
* Capability is a perpetual-inventory stock of defence spending (the method used for defence
  capital stocks; Hartley and Sandler 1995, *Handbook of Defense Economics*, ch. 2):
  ``K <- K * (1 - delta) ** (m / 12) + spending - diverted``, with ``spending = gdp * share * m/12``
  (billion USD) and ``diverted`` the money spent in the previous step on exercises, forward
  presence, missions and strategic communication (deducted from the next step's investment, at
  most the whole of it);
  ``K >= 0``. The initial stock is the steady state of this update at the initial spending.
  The default ``delta = 0.1`` per year is an assumption (a ten-year service life).
* Readiness fades toward a floor without training: ``r <- r - rate_m * (r - floor)``; the
  adversary's readiness does not fade here: the security spiral (:mod:`.spiral`) moves it.
* Interoperability fades without training: ``Q <- Q * (1 - decay) ** (m / 12)`` off the diagonal.
* Threat perception of nation ``i`` (0-1): exposure times the adversary's share of the dyad's
  capability, scaled by perceived aggression,
  ``threat_i = exposure_i * K_adv / (K_adv + K_i) * (0.5 + 0.5 * aggression)``
  (balance-of-threat: proximity, aggregate power and aggressive intentions; Walt 1987).
* Negotiating influence of member ``i`` (sums to 1 over members):
  ``(K_i / sum K)^a * (mean trust received_i)^b``, normalised; larger and more trusted members
  weigh more, as in accounts of NATO bargaining (e.g. Thies 2009, *Why NATO Endures*).
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
class CapabilityParams:
    """Capability stock (perpetual inventory), readiness decay and negotiating influence."""

    depreciation_per_year: float = param(
        0.1, doc="Depreciation of the capability stock", unit="1/year", lo=0.001, hi=1
    )
    readiness_decay_per_month: float = param(
        0.03,
        doc="Share of the gap to the readiness floor lost per month",
        unit="1/month",
        lo=0,
        hi=1,
    )
    readiness_floor: float = param(
        0.3, doc="Readiness reached with no training", unit="0-1", lo=0, hi=1
    )
    influence_capability_exponent: float = param(
        0.5, doc="Exponent of capability share in negotiating influence", lo=0, hi=5
    )
    influence_trust_exponent: float = param(
        1.0, doc="Exponent of mean trust received in negotiating influence", lo=0, hi=5
    )


def grow_gdp(gdp: np.ndarray, growth_pct_per_year: np.ndarray, months: float) -> np.ndarray:
    """GDP after ``months`` of growth at the given yearly rates (billion USD)."""
    return gdp * (1.0 + growth_pct_per_year / 100.0) ** (months / 12.0)


def spending(gdp: np.ndarray, defence_share: np.ndarray, months: float) -> np.ndarray:
    """Defence spending over ``months`` (billion USD); ``defence_share`` is a fraction of GDP."""
    return gdp * defence_share * months / 12.0


def accumulate_capability(
    capability: np.ndarray,
    spent: np.ndarray,
    diverted: np.ndarray,
    depreciation_per_year: float,
    months: float,
) -> np.ndarray:
    """Perpetual inventory: depreciate the stock, add spending net of diverted money, floor 0.

    Diverted money (exercises, presence, missions, strategic communication) is paid from the
    defence budget, so it is capped at the step's spending: a small ally's investment can fall to
    zero, but its existing stock is not eaten by activity costs.
    """
    diverted = np.minimum(diverted, spent)
    kept = capability * (1.0 - depreciation_per_year) ** (months / 12.0)
    return np.maximum(kept + spent - diverted, 0.0)


def steady_state_capability(
    annual_spending: np.ndarray, depreciation_per_year: float, months: float
) -> np.ndarray:
    """Stock that the step update keeps constant at constant spending.

    ``K* = s_m / (1 - (1 - delta) ** (m / 12))`` with ``s_m`` the spending of one step of ``m``
    months; close to ``annual spending / delta`` (within 5 % at monthly steps and delta 0.1).
    """
    per_step_spending = annual_spending * months / 12.0
    return per_step_spending / (1.0 - (1.0 - depreciation_per_year) ** (months / 12.0))


def decay_readiness(
    readiness: np.ndarray, floor: float, decay_per_month: float, months: float
) -> np.ndarray:
    """Readiness moves toward ``floor`` by ``1 - (1 - rate) ** months`` of the gap."""
    share = per_step(decay_per_month, 1.0, months)
    return readiness - share * (readiness - floor)


def decay_interoperability(interop: np.ndarray, decay_per_year: float, months: float) -> None:
    """Scale off-diagonal interoperability down by ``(1 - decay) ** (months / 12)`` in place."""
    factor = (1.0 - decay_per_year) ** (months / 12.0)
    diag = interop.diagonal().copy()
    interop *= factor
    np.fill_diagonal(interop, diag)


def threat_perception(
    exposure: np.ndarray,
    capability: np.ndarray,
    adversary_capability: float,
    aggression: float,
) -> np.ndarray:
    """Each nation's perceived threat from the adversary bloc, in [0, 1]."""
    total = adversary_capability + capability
    ratio = np.divide(adversary_capability, total, out=np.zeros_like(capability), where=total > 0)
    return exposure * ratio * (0.5 + 0.5 * aggression)


def influence(
    capability: np.ndarray,
    trust: np.ndarray,
    member: np.ndarray,
    capability_exponent: float,
    trust_exponent: float,
) -> np.ndarray:
    """Negotiating influence: zero for non-members, sums to 1 over members."""
    out = np.zeros(len(capability))
    idx = np.flatnonzero(member)
    if len(idx) == 0:
        return out
    cap = capability[idx]
    share = cap / cap.sum() if cap.sum() > 0 else np.full(len(idx), 1.0 / len(idx))
    sub = trust[np.ix_(idx, idx)]
    k = len(idx)
    received = (sub.sum(axis=0) - sub.diagonal()) / (k - 1) if k > 1 else np.ones(1)
    raw = share**capability_exponent * received**trust_exponent
    total = raw.sum()
    out[idx] = raw / total if total > 0 else 1.0 / len(idx)
    return out


# --------------------------------------------------------------------------- the phase
SECTION = "capability"
Params = CapabilityParams


def init(model: AllianceModel) -> None:
    """Nothing to set up: the stocks are built with the state (:mod:`simulation.state`)."""


def step(model: AllianceModel) -> None:
    """Phase 1: GDP growth, spending into capability; readiness, Q and resolve relax."""
    s, p, months = model.state, model.spec.capability, model.months
    s.gdp = grow_gdp(s.gdp, s.growth_pct, months)
    spent = spending(s.gdp, s.defence_share, months)
    s.capability = accumulate_capability(
        s.capability, spent, s.diverted, p.depreciation_per_year, months
    )
    s.diverted = np.zeros(s.n)
    faded = decay_readiness(s.readiness, p.readiness_floor, p.readiness_decay_per_month, months)
    s.readiness = np.where(s.adversary, s.readiness, faded)
    decay_interoperability(s.interop, model.spec.interoperability.decay_per_year, months)
    recovery = per_step(model.spec.crises.resolve_recovery_per_year, 12.0, months)
    s.resolve = close_gap(s.resolve, recovery, s.resolve0)


def readiness_mean(model: AllianceModel) -> float:
    """Mean readiness of members (0-1)."""
    return float(model.state.readiness[model.state.member].mean())


def capability_busd(model: AllianceModel) -> float:
    """Members' total capability stock (billion USD)."""
    return float(model.state.capability[model.state.member].sum())


OUTPUTS = (level(readiness_mean), level(capability_busd))
