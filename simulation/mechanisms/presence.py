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

import numpy as np

from simulation.mechanisms.rates import close_gap, per_step


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
