"""Burden sharing (DESIGN 3.2, mechanism 4): yearly defence budgets as a public-good game.

Once a year every member sets its defence share of GDP. Spending ``m_j = s_j * Y_j`` (billion
USD a year) produces defence services. A share ``rho`` (``private_benefit_share``) of them is
private to the spender (national tasks, territorial defence, industry): the joint-product model
of Sandler (1977) and Murdoch and Sandler (1984). The rest is an alliance public good that spills
over to ally ``i`` with weight ``sigma_ij = T[i, j] * Q[i, j]``: trust (will the ally come?) times
interoperability (can its forces fight alongside?). With ``rho = 0`` this is Olson and
Zeckhauser's (1966) pure public good.

Member ``i`` wants defence services ``D_i* = alpha_i * Y_i`` with
``alpha_i = d_i * (1 + threat_sensitivity * threat_i)`` and gets
``m_i + (1 - rho) * S_i`` from its own spending and allies' spillovers
``S_i = sum_{j != i} sigma_ij m_j``. Its best response (Nash, given last year's allied
spending) is::

    m_i* = max(rho * alpha_i * Y_i,  alpha_i * Y_i - (1 - rho) * S_i)

The private part cannot be bought from allies, so ``rho * D_i*`` is a floor. Under a pure public
good small members, whose demand allies' spillovers already meet, spend little: the
"exploitation of the great by the small", a positive rank correlation between size and burden.
Joint products weaken that link.

Demand ``d_i`` (fraction of GDP with no threat) is ``nations[].demand_pct / 100`` where given.
Otherwise, with ``demand: observed`` (the default), it is derived so that the observed initial
share ``s_i0`` is the model's equilibrium at the start (:func:`derived_demand`): a share the
nation chose under the threat, the allied spending and the pledge of the start year is its
target then, so a run with no new shocks stays near the data and moves only when threat, pledge,
trust or interoperability move. The derivation inverts the two steps below. Pledge pull:
``b_i = s_i0`` if ``s_i0 >= pledge``, else ``b_i = (s_i0 - pressure * pledge) / (1 - pressure)``
(clipped at 0: a share below ``pressure * pledge`` cannot be an equilibrium and rises toward it).
Best response (increasing in ``alpha``, so invertible): with ``c_i = S_i / Y_i``,
``alpha_i = min(b_i / rho, b_i + (1 - rho) c_i)`` (``b_i + c_i`` when ``rho = 0``); then
``d_i = alpha_i / (1 + threat_sensitivity * threat_i0)``. Non-members get no spillovers
(``c_i = 0``). With ``demand: uniform`` every nation without its own ``demand_pct`` wants
``burden.demand_pct``: the textbook game of identical tastes, in which only size differs (used
for Olson and Zeckhauser's test, :mod:`tests.test_stylized_facts`).

Partners with armed forces set their budgets by the same rule with no allied spillovers and
no pledge (Finland and Sweden before they joined): their demand is derived the same way, so
they move with threat only. Pledge pressure pulls a member's target toward the pledge from below:
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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from simulation import metrics
from simulation.outputs import level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class BurdenParams:
    """Burden sharing (mechanism 4): yearly defence budgets as a public-good game."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    private_benefit_share: float = param(
        0.6,
        doc="Share of defence benefits that are private to the spender (0 = pure public good, "
        "Olson and Zeckhauser 1966; > 0 = joint products, Sandler 1977)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    demand: Literal["observed", "uniform"] = param(
        "observed",
        doc="Demand with no threat of nations without their own demand_pct: observed (derived "
        "so the initial share is the starting equilibrium) or uniform (burden.demand_pct)",
    )
    demand_pct: float = param(
        2.0,
        doc="Defence services a nation with no threat wants, as a share of its GDP "
        "(with demand: uniform)",
        unit="% of GDP",
        lo=0,
        hi=50,
    )
    threat_sensitivity: float = param(
        1.5,
        doc="Rise in demand per unit of threat perception (demand x (1 + this x threat))",
        lo=0,
        hi=100,
    )
    adjustment_per_year: float = param(
        0.2,
        doc="Share of the gap to the target share closed by one yearly budget (inertia)",
        unit="1/year",
        lo=0,
        hi=1,
    )
    pledge_pct: float = param(
        2.0, doc="Spending pledge (NATO Wales 2014: 2%)", unit="% of GDP", lo=0, hi=50
    )
    pledge_pressure: float = param(
        0.3,
        doc="Share of the gap between the target and the pledge closed by pledge pressure",
        unit="0-1",
        lo=0,
        hi=1,
    )
    min_share_pct: float = param(0.5, doc="Floor on defence spending", unit="% of GDP", lo=0, hi=50)
    max_share_pct: float = param(
        10.0, doc="Ceiling on defence spending (budget constraint)", unit="% of GDP", lo=0, hi=60
    )
    free_riding_trust_cost: float = param(
        0.05,
        doc="Share of others' trust in a member lost per year, times its relative shortfall "
        "from the pledge",
        unit="1/year",
        lo=0,
        hi=1,
    )


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


def derived_demand(
    share: np.ndarray,
    spill_share: np.ndarray,
    threat: np.ndarray,
    rho: float,
    threat_sensitivity: float,
    pledge: float,
    pressure: float,
) -> np.ndarray:
    """Demand with no threat under which ``share`` is the target (the inverse of the rules).

    ``spill_share`` is allies' spillover over own GDP, ``S_i / Y_i``. See the module docstring.
    """
    if pressure >= 1.0:
        best = share.copy()
    else:
        best = np.where(share >= pledge, share, (share - pressure * pledge) / (1.0 - pressure))
    best = np.maximum(best, 0.0)
    interior = best + (1.0 - rho) * spill_share
    with np.errstate(over="ignore"):  # a tiny rho: best / rho is inf and min picks interior
        alpha = interior if rho <= 0 else np.minimum(best / rho, interior)
    return alpha / (1.0 + threat_sensitivity * threat)


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


# --------------------------------------------------------------------------- the phase
SECTION = "burden"
Params = BurdenParams


def init(model: AllianceModel) -> None:
    """Derive each nation's demand from its initial share (``demand: observed``)."""
    p, s = model.spec.burden, model.state
    if p.demand != "observed":
        return
    m = s.member & s.armed
    sigma = spillover_weights(s.trust, s.interop, m)
    spill = np.divide(sigma @ (s.gdp * s.defence_share), s.gdp, out=np.zeros(s.n), where=s.gdp > 0)
    args = (s.defence_share, spill, s.threat, p.private_benefit_share, p.threat_sensitivity)
    derived = np.where(
        s.member,
        derived_demand(*args, p.pledge_pct / 100.0, p.pledge_pressure),
        derived_demand(*args, 0.0, 0.0),  # partners: no pledge
    )
    own = np.array([n.demand_pct is not None for n in model.spec.nations])
    s.demand = np.where(own | ~s.armed, s.demand, derived)


def step(model: AllianceModel) -> None:
    """Phase 3: once a year, members and partners move their shares toward their targets."""
    p, s = model.spec.burden, model.state
    if not p.enabled or not model.year_ends():
        return
    m = s.member & s.armed
    sigma = spillover_weights(s.trust, s.interop, m)
    setting = (m | (s.partner & s.armed)) & ~s.budget_fixed
    alpha = demand_share(s.threat, s.demand, p.threat_sensitivity)
    best = best_response_share(s.gdp, s.defence_share, alpha, sigma, p.private_benefit_share)
    pulled = target_share(best, p.pledge_pct / 100.0, p.pledge_pressure)
    target = np.where(s.member, pulled, best)
    new = adjust_share(
        s.defence_share,
        target,
        p.adjustment_per_year,
        p.min_share_pct / 100,
        p.max_share_pct / 100,
    )
    s.defence_share = np.where(setting, new, s.defence_share)
    short = shortfall(s.defence_share, p.pledge_pct / 100.0) * m
    free_riding_trust(s.trust, m, short, p.free_riding_trust_cost)


def defence_share_mean(model: AllianceModel) -> float:
    """Mean defence spending of members (% of GDP)."""
    return float(model.state.defence_share[model.state.member].mean() * 100.0)


def burden_size_correlation(model: AllianceModel) -> float:
    """Spearman correlation of members' GDP and defence share (-1..1)."""
    s = model.state
    return metrics.spearman(s.gdp[s.member], s.defence_share[s.member])


OUTPUTS = (level(defence_share_mean), level(burden_size_correlation))
