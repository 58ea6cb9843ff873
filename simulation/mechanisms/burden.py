"""Burden sharing (DESIGN 3.2, mechanism 4): yearly defence budgets as a public-good game.

Once a year every member sets its defence share of GDP. Spending ``m_j = s_j * Y_j`` (billion
USD a year) produces defence services. A share ``rho`` (``private_benefit_share``) of them is
private to the spender (national tasks, territorial defence, industry): the joint-product model
of Sandler (1977) and Murdoch and Sandler (1984). The rest is an alliance public good that spills
over to ally ``i`` with weight ``sigma_ij = T[i, j] * Q[i, j]``: trust (will the ally come?) times
interoperability (can its forces fight alongside?). With ``rho = 0`` this is Olson and
Zeckhauser's (1966) pure public good.

Member ``i`` wants defence services ``D_i* = alpha_i * Y_i`` with
``alpha_i = d_i * (1 + threat_sensitivity * threat_i)`` (``d_i`` is ``nations[].demand_pct`` or,
by default, ``burden.demand_pct``, over 100), and gets
``m_i + (1 - rho) * S_i`` from its own spending and allies' spillovers
``S_i = sum_{j != i} sigma_ij m_j``. Its best response (Nash, given last year's allied
spending) is::

    m_i* = max(rho * alpha_i * Y_i,  alpha_i * Y_i - (1 - rho) * S_i)

The private part cannot be bought from allies, so ``rho * D_i*`` is a floor. Under a pure public
good small members, whose demand allies' spillovers already meet, spend little: the
"exploitation of the great by the small", a positive rank correlation between size and burden.
Joint products weaken that link.

Pledge pressure pulls the target toward the pledge from below:
``target = s* + pressure * max(0, pledge - s*)`` (the Wales 2% pledge as a policy lever; peer
pressure and US demands in the NATO record). Budgets are sticky: the share closes
``adjustment_per_year`` of the gap to the target each year (incrementalism in defence budgets).
Targets stay within ``[min_share_pct, max_share_pct]``: spending comes out of GDP. Members with
``budget_fixed`` keep their share (their budget is set outside the modelled alliance) but still
spill over to the others. Members with no armed forces (an initial share of 0, as Iceland) take
no part in the budget game: they keep 0 and are not counted as free riders.

Perceived free riding: every other armed member loses ``free_riding_trust_cost * shortfall_j`` of
its trust in member ``j`` each year, where ``shortfall_j = max(0, pledge - s_j) / pledge``.
"""

from __future__ import annotations

import numpy as np


def spillover_weights(trust: np.ndarray, interop: np.ndarray, member: np.ndarray) -> np.ndarray:
    """``sigma[i, j] = T[i, j] * Q[i, j]`` between distinct members, 0 elsewhere."""
    sigma = trust * interop * np.outer(member, member)
    np.fill_diagonal(sigma, 0.0)
    return sigma


def demand_share(threat: np.ndarray, demand: np.ndarray, threat_sensitivity: float) -> np.ndarray:
    """Desired defence services as a fraction of GDP: ``demand * (1 + sensitivity * threat)``.

    ``demand`` is each nation's demand with no threat, as a fraction of GDP.
    """
    return demand * (1.0 + threat_sensitivity * threat)


def best_response_share(
    gdp: np.ndarray,
    share: np.ndarray,
    alpha: np.ndarray,
    sigma: np.ndarray,
    private_benefit_share: float,
) -> np.ndarray:
    """Each member's best-response defence share given allies' current spending."""
    spending = gdp * share
    spill = sigma @ spending
    rho = private_benefit_share
    wanted = alpha * gdp
    best = np.maximum(rho * wanted, wanted - (1.0 - rho) * spill)
    return np.divide(best, gdp, out=np.zeros_like(gdp), where=gdp > 0)


def target_share(best: np.ndarray, pledge: float, pressure: float) -> np.ndarray:
    """Best response pulled toward the pledge from below by ``pressure``."""
    return best + pressure * np.maximum(0.0, pledge - best)


def adjust_share(
    share: np.ndarray, target: np.ndarray, adjustment: float, lo: float, hi: float
) -> np.ndarray:
    """Close ``adjustment`` of the gap to the target clipped to ``[lo, hi]``.

    The bounds apply to the target, so a share outside them (a wartime budget above the ceiling)
    returns gradually, like any other change of budget.
    """
    return share + adjustment * (np.clip(target, lo, hi) - share)


def shortfall(share: np.ndarray, pledge: float) -> np.ndarray:
    """Relative shortfall from the pledge, ``max(0, pledge - s) / pledge`` (0 if no pledge)."""
    if pledge <= 0:
        return np.zeros_like(share)
    return np.maximum(0.0, pledge - share) / pledge


def free_riding_trust(
    trust: np.ndarray, member: np.ndarray, short: np.ndarray, cost: float
) -> None:
    """Members lose ``cost * shortfall_j`` of their trust in each free rider ``j`` (in place)."""
    keep = 1.0 - cost * short[None, :] * np.outer(member, member)
    trust *= keep
    np.fill_diagonal(trust, 1.0)
