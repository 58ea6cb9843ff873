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

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.limits import MAX_STEPS
from simulation.mechanisms.rates import close_gap, per_step
from simulation.outputs import level
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.mechanisms.negotiation import Decision
if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class MissionSpec:
    """An out-of-area operation with given national contributions (e.g. KFOR)."""

    name: str = param(doc="Mission name")
    contributions: dict[str, float] = param(
        doc="Contribution of each nation (ISO3 -> troops or any common unit)",
        lo=0,
        hi=1e7,
    )
    start_step: int = param(
        0, doc="Step at which the mission starts", unit="steps", lo=0, hi=MAX_STEPS
    )
    duration_months: int = param(120, doc="Length of the mission", unit="months", lo=1, hi=1200)


@dataclass(frozen=True)
class OperationsParams:
    """Out-of-area operations: peacekeeping and crisis management with national contributions."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    missions: tuple[MissionSpec, ...] = param(doc="Missions given in the scenario", default=())
    launch_from_decisions: bool = param(
        True, doc="An adopted out_of_area proposal launches a mission of its supporters"
    )
    duration_months: int = param(
        24,
        doc="Length of a mission launched by decision",
        unit="months",
        lo=1,
        hi=1200,
    )
    interop_gain_per_year: float = param(
        0.1,
        doc="Share of the interoperability gap closed per year between contributors",
        unit="1/year",
        lo=0,
        hi=1,
    )
    trust_gain_per_year: float = param(
        0.05,
        doc="Share of the trust gap closed per year between contributors",
        unit="1/year",
        lo=0,
        hi=1,
    )
    fairness_trust_cost: float = param(
        0.05,
        doc="Share of trust an under-contributor loses per year from over-contributors, times "
        "its shortfall from its GDP-proportional share",
        unit="1/year",
        lo=0,
        hi=1,
    )
    cost_busd_per_year: float = param(
        1.0,
        doc="Yearly cost of a mission, split by contribution",
        unit="billion USD per year",
        lo=0,
        hi=1e4,
    )


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


# --------------------------------------------------------------------------- the phase
SECTION = "operations"
Params = OperationsParams


def init(model: AllianceModel) -> None:
    """No mission under way at the start."""
    model.missions = []


def step(model: AllianceModel) -> None:
    """Phase 7: start scenario missions that are due; run and retire missions."""
    p, s = model.spec.operations, model.state
    if not p.enabled:
        return
    for spec in p.missions:
        if spec.start_step == model.steps - 1:
            idx = np.array([model.nation_index[i] for i in spec.contributions], dtype=int)
            amounts = np.array(list(spec.contributions.values()), dtype=float)
            end = model.steps + math.ceil(spec.duration_months / model.months) - 1
            start_mission(model, spec.name, idx, amounts, end)
    for mission in list(model.missions):
        if mission.end_step < model.steps:
            model.missions.remove(mission)
            model.record_event("mission_end", actor=mission.name)
            continue
        costs = step_mission(
            mission,
            s.trust,
            s.interop,
            s.gdp,
            model.months,
            p.interop_gain_per_year,
            p.trust_gain_per_year,
            p.fairness_trust_cost,
            p.cost_busd_per_year,
        )
        s.diverted[mission.contributors] += costs


def start_mission(
    model: AllianceModel, name: str, idx: np.ndarray, amounts: np.ndarray, end: int
) -> None:
    """Start a mission of the nations ``idx`` that contribute a positive amount."""
    keep = amounts > 0
    if keep.sum() == 0:
        return
    mission = Mission(name, idx[keep], amounts[keep], end)
    model.missions.append(mission)
    model.record_event(
        "mission_start",
        actor=name,
        participants=[model.state.iso3[i] for i in mission.contributors],
    )


def launch_from_decision(model: AllianceModel, decision: Decision) -> None:
    """An adopted ``out_of_area`` proposal becomes a mission of its supporters."""
    p, s = model.spec.operations, model.state
    if not (p.enabled and p.launch_from_decisions) or len(decision.supporters) == 0:
        return
    issues = model.spec.issues
    col = issues.index("out_of_area") if "out_of_area" in issues else None
    idx = decision.supporters
    salience = s.interests[idx, col] if col is not None else np.ones(len(idx))
    end = model.steps + math.ceil(p.duration_months / model.months)
    start_mission(model, f"mission-{model.steps}", idx, s.gdp[idx] * salience, end)


def missions_active(model: AllianceModel) -> int:
    """Out-of-area missions under way."""
    return len(model.missions)


OUTPUTS = (level(missions_active),)
