"""Forward presence (DESIGN 3.2, mechanism 6): multinational units stationed in exposed members.

Each battlegroup (NATO's Enhanced Forward Presence since 2017: a framework nation and
contributors in Estonia, Latvia, Lithuania and Poland) adds its ``strength_busd`` (default
``presence.strength_busd``) of capability to its
host's local defence (see :mod:`simulation.mechanisms.deterrence`) and a tripwire that raises the
adversary's estimate that the alliance will respond. It costs ``cost_busd_per_year``, split
equally among its contributors and diverted from their capability investment. The host's trust in
each contributor closes ``host_trust_gain_per_year`` of its gap per year (reassurance). Defaults
are assumptions: a battlegroup of about 1,000-1,500 troops with equipment and rotation costs of a
few hundred million USD a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.rates import close_gap, per_step
from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel


@dataclass(frozen=True)
class BattlegroupSpec:
    """A multinational unit stationed in a host member."""

    host: str = param(doc="ISO3 of the host member")
    contributors: tuple[str, ...] = param(doc="ISO3 of contributing members (framework first)")
    strength_busd: float | None = param(
        None,
        doc="Capability this unit adds to its host (default: presence.strength_busd)",
        unit="billion USD",
        lo=0,
        hi=1e4,
    )


@dataclass(frozen=True)
class PresenceParams:
    """Forward presence (mechanism 6): multinational units in exposed members."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    battlegroups: tuple[BattlegroupSpec, ...] = param(doc="The stationed units", default=())
    strength_busd: float = param(
        3.0,
        doc="Capability a battlegroup adds to its host's local defence",
        unit="billion USD",
        lo=0,
        hi=1e4,
    )
    cost_busd_per_year: float = param(
        0.6,
        doc="Yearly cost of a battlegroup, split equally among its contributors",
        unit="billion USD per year",
        lo=0,
        hi=1e4,
    )
    tripwire_weight: float = param(
        0.5,
        doc="How much a battlegroup raises the adversary's estimate that the alliance responds "
        "(share of the gap to 1)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    host_trust_gain_per_year: float = param(
        0.1,
        doc="Share of the host's trust gap toward each contributor closed per year",
        unit="1/year",
        lo=0,
        hi=1,
    )


def presence_by_host(n: int, units: Sequence[tuple[int, float]]) -> np.ndarray:
    """Capability stationed at each nation (billion USD), from (host, strength) pairs."""
    out = np.zeros(n)
    for host, strength_busd in units:
        out[host] += strength_busd
    return out


def contributor_costs(
    n: int, groups: Sequence[tuple[int, Sequence[int]]], cost_busd_per_year: float, months: float
) -> np.ndarray:
    """Each nation's cost of the battlegroups this step (billion USD)."""
    out = np.zeros(n)
    for _, contributors in groups:
        if len(contributors):
            out[list(contributors)] += cost_busd_per_year * months / 12.0 / len(contributors)
    return out


def reassure(
    trust: np.ndarray,
    groups: Sequence[tuple[int, Sequence[int]]],
    gain_per_year: float,
    months: float,
) -> None:
    """Hosts' trust in their contributors closes part of its gap (in place)."""
    share = per_step(gain_per_year, 12.0, months)
    for host, contributors in groups:
        others = [c for c in contributors if c != host]
        trust[host, others] = close_gap(trust[host, others], share)


# --------------------------------------------------------------------------- the phase
SECTION = "presence"
Params = PresenceParams


def init(model: AllianceModel) -> None:
    """Resolve the battlegroups to nation indices and station their strength at the hosts."""
    p, index = model.spec.presence, model.nation_index
    model.battlegroups = [
        (index[bg.host], [index[c] for c in bg.contributors]) for bg in p.battlegroups
    ]
    units = [
        (host, p.strength_busd if bg.strength_busd is None else bg.strength_busd)
        for (host, _), bg in zip(model.battlegroups, p.battlegroups, strict=True)
    ]
    model.state.presence = presence_by_host(model.state.n, units if p.enabled else [])


def step(model: AllianceModel) -> None:
    """Phase 8: forward presence costs its contributors and reassures its hosts."""
    p, s = model.spec.presence, model.state
    if not p.enabled or not model.battlegroups:
        return
    s.diverted += contributor_costs(s.n, model.battlegroups, p.cost_busd_per_year, model.months)
    reassure(s.trust, model.battlegroups, p.host_trust_gain_per_year, model.months)


OUTPUTS = ()
