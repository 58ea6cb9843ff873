"""The per-step table: alliance-wide outputs, and the order of every column.

Each mechanism defines its own outputs (``OUTPUTS`` in its module, see :mod:`simulation.outputs`);
the outputs that belong to no single mechanism (cohesion and its parts) are defined here.
:func:`table_outputs` gathers them all, checks that each name is defined once, and orders the
columns: the published layout (``COLUMN_ORDER``) first, then any output it does not list yet, in
schedule order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from simulation import metrics
from simulation.mechanisms import consensus, trust
from simulation.mechanisms.deterrence import deterrence_index
from simulation.outputs import Output, level

if TYPE_CHECKING:
    from simulation.model import AllianceModel


def cohesion(model: AllianceModel) -> float:
    """Weighted geometric mean of member trust, alignment and consensus rate (0-1)."""
    m = model.spec.metrics
    return metrics.cohesion(
        trust.mean_trust(model),  # over ordered pairs: the same as the symmetrised trust's mean
        interest_alignment(model),
        consensus.consensus_rate(model),
        (m.trust_weight, m.alignment_weight, m.consensus_weight),
    )


def interoperability(model: AllianceModel) -> float:
    """Mean interoperability between distinct members (0-1)."""
    return metrics.member_pair_mean(model.state.interop, model.state.member)


def interest_alignment(model: AllianceModel) -> float:
    """One minus the dispersion of members' interests (0-1)."""
    return metrics.interest_alignment(model.state.interests, model.state.member)


def cohesion_initial_members(model: AllianceModel) -> float:
    """Cohesion over the fixed panel of step-0 members (0-1; consensus rate alliance-wide)."""
    m, s, panel = model.spec.metrics, model.state, model.initial_member
    return metrics.cohesion(
        metrics.member_pair_mean(s.trust, panel),
        metrics.interest_alignment(s.interests, panel),
        consensus.consensus_rate(model),
        (m.trust_weight, m.alignment_weight, m.consensus_weight),
    )


def deterrence_initial_members(model: AllianceModel) -> float:
    """Deterrence over the fixed panel of step-0 members (0-1)."""
    s = model.state
    return deterrence_index(s.p_fail, s.exposure, model.initial_member)


def defence_share_initial_members(model: AllianceModel) -> float:
    """Mean defence share of the step-0 members (% of GDP)."""
    return float(model.state.defence_share[model.initial_member].mean() * 100.0)


ALLIANCE_OUTPUTS = (
    level(cohesion),
    level(interoperability),
    level(interest_alignment),
    level(cohesion_initial_members),
    level(deterrence_initial_members),
    level(defence_share_initial_members),
)
"""Outputs of the alliance as a whole."""

COLUMN_ORDER = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "interest_alignment",
    "deterrence",
    "credibility",
    "credibility_partners",
    "consensus_rate",
    "decision_latency",
    "mean_dilution",
    "missions_active",
    "readiness_mean",
    "defence_share_mean",
    "cohesion_initial_members",
    "deterrence_initial_members",
    "defence_share_initial_members",
    "capability_busd",
    "threat_mean",
    "aggression",
    "adversary_threat",
    "partner_engagement",
    "accession_requests",
    "burden_size_correlation",
    "members",
    "proposals",
    "adopted",
    "exercises",
    "challenges",
    "crises",
    "crises_deterred",
    "crises_defended",
    "crises_conceded",
    "hybrid_campaigns",
)
"""The published column order of the per-step table (levels, then counts)."""


def table_outputs(mechanisms: Iterable) -> tuple[Output, ...]:
    """Every output of the alliance and of ``mechanisms`` (modules), in column order.

    Raises:
        ValueError: two outputs share a name (each column is defined in one place).
    """
    found: dict[str, Output] = {}
    for output in (*ALLIANCE_OUTPUTS, *(o for m in mechanisms for o in m.OUTPUTS)):
        if output.name in found:
            raise ValueError(f"output {output.name!r} is defined twice")
        found[output.name] = output
    order = [n for n in COLUMN_ORDER if n in found] + [n for n in found if n not in COLUMN_ORDER]
    return tuple(found[name] for name in order)


def __getattr__(name: str):
    """``MODEL_REPORTERS``, ``STEP_COUNTS`` and ``LEVELS``, kept here for older imports."""
    if name in ("MODEL_REPORTERS", "STEP_COUNTS", "LEVELS"):
        from simulation import model

        if name == "LEVELS":
            return tuple(o.name for o in model.OUTPUTS if not o.count)
        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
