"""Out-of-area operations: peacekeeping and crisis management with national contributions.

A mission is given in the scenario (e.g. KFOR with its national contributions) or launched when
an ``out_of_area`` proposal is adopted: its contributors are the supporting members, each
contributing in proportion to ``GDP * salience of out_of_area`` (the issue dimension of that
name; 1 if the scenario has none). While a mission runs, every step:

* shared operations build interoperability and trust among contributors: ``Q`` and ``T`` close
  ``interop_gain_per_year`` and ``trust_gain_per_year`` of their gaps per year;
* the mission costs ``cost_busd_per_year``, split by contribution and diverted from capability;
* fairness: a contributor's fair share is its share of the contributors' GDP (the benefit
  principle used in NATO's common-funding formula); one whose actual share falls short loses
  ``fairness_trust_cost * shortfall`` of the trust of each over-contributor per year, with
  ``shortfall = (fair - actual) / fair`` (burden-sharing disputes over ISAF and KFOR; Sandler
  and Hartley 1999, ch. 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.mechanisms.rates import close_gap, per_step


@dataclass
class Mission:
    """A running mission: contributors (nation indices) and their contributions."""

    name: str
    contributors: np.ndarray
    contributions: np.ndarray
    end_step: int


def shares(contributions: np.ndarray) -> np.ndarray:
    """Contributions as shares of the total."""
    total = contributions.sum()
    return (
        contributions / total if total > 0 else np.full(len(contributions), 1 / len(contributions))
    )


def fair_shares(gdp: np.ndarray) -> np.ndarray:
    """GDP-proportional fair shares among the contributors."""
    return gdp / gdp.sum()


def cooperate(trust, interop, contributors, interop_gain, trust_gain) -> None:
    """Contributors' Q and T close the given shares of their gaps (in place)."""
    idx = np.ix_(contributors, contributors)
    interop[idx] = close_gap(interop[idx], interop_gain)
    trust[idx] = close_gap(trust[idx], trust_gain)
    np.fill_diagonal(interop, 1.0)
    np.fill_diagonal(trust, 1.0)


def unfairness_trust(
    trust: np.ndarray, contributors: np.ndarray, actual: np.ndarray, fair: np.ndarray, cost: float
) -> np.ndarray:
    """Over-contributors lose trust in under-contributors; returns each one's shortfall."""
    short = np.maximum(0.0, fair - actual) / np.where(fair > 0, fair, 1.0)
    over = contributors[actual > fair]
    for k, j in enumerate(contributors):
        if short[k] > 0 and len(over):
            trust[over, j] *= 1.0 - cost * short[k]
    return short


def step_mission(
    mission: Mission,
    trust: np.ndarray,
    interop: np.ndarray,
    gdp: np.ndarray,
    months: float,
    interop_gain_per_year: float,
    trust_gain_per_year: float,
    fairness_cost_per_year: float,
    cost_busd_per_year: float,
) -> np.ndarray:
    """One step of a mission; returns each contributor's cost (billion USD)."""
    c = mission.contributors
    cooperate(
        trust,
        interop,
        c,
        per_step(interop_gain_per_year, 12.0, months),
        per_step(trust_gain_per_year, 12.0, months),
    )
    actual = shares(mission.contributions)
    unfairness_trust(
        trust, c, actual, fair_shares(gdp[c]), per_step(fairness_cost_per_year, 12.0, months)
    )
    return actual * cost_busd_per_year * months / 12.0
