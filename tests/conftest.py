"""Shared fixtures for the mechanism and invariant tests."""

from __future__ import annotations

import dataclasses

import pytest

from simulation.schema import ConsensusParams, ProposalKind

# Every ConsensusParams field set explicitly, so that no test depends on the schema's defaults
# (which are being calibrated). Tests override the fields they exercise.
EXPLICIT_CONSENSUS = {
    "enabled": True,
    "rule": "unanimity",
    "proposals_per_year": 12.0,
    "max_rounds": 3,
    "round_days": 7.0,
    "dilution_per_round": 0.5,
    "proposal_spread": 0.1,
    "support_noise_sd": 0.0,
    "support_threshold": 0.7,
    "alignment_weight": 1.0,
    "threat_weight": 0.0,
    "trust_weight": 0.0,
    "sovereignty_weight": 0.0,
    "resolve_weight": 0.0,
    "qmv_threshold": 0.6,
    "silence_break_margin": 0.1,
    "silence_break_trust_cost": 0.05,
    "coalition_min_share": 0.3,
    "block_trust_cost": 0.05,
    "outvoted_trust_cost": 0.0,
    "interest_convergence": 0.0,
    "interest_divergence": 0.0,
    "success_trust_gain": 0.05,
    "proposal_kinds": {"plain": ProposalKind(1.0, 0.0, 0.0, 0.0)},
}


@pytest.fixture(scope="session")
def consensus_params():
    """Factory: ``consensus_params(rule=..., ...)`` -> ConsensusParams with every field explicit.

    Session-scoped (it is a pure function), so it can be used in ``@given`` tests too.
    """
    names = {f.name for f in dataclasses.fields(ConsensusParams)}
    assert names == set(EXPLICIT_CONSENSUS), "ConsensusParams changed: update EXPLICIT_CONSENSUS"

    def make(**overrides) -> ConsensusParams:
        return ConsensusParams(**{**EXPLICIT_CONSENSUS, **overrides})

    return make
