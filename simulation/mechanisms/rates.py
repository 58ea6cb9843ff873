"""Conversion of per-period rates to the model's step length."""

from __future__ import annotations


def per_step(rate: float, period_months: float, step_months: float) -> float:
    """Share of a gap closed in one step, given the share ``rate`` closed per period.

    A process that closes a share ``r`` of a gap per period of ``P`` months closes
    ``1 - (1 - r) ** (m / P)`` in a step of ``m`` months, so results do not depend on the step
    length chosen for the scenario.
    """
    if rate >= 1.0:
        return 1.0
    return 1.0 - (1.0 - rate) ** (step_months / period_months)


def close_gap(value, share, target=1.0):
    """Move ``value`` a share ``share`` of the way to ``target`` (the saturating update rule)."""
    return value + share * (target - value)
