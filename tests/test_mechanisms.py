"""Hand-computed checks of every public function of the mechanisms and of ``simulation.metrics``.

Each test uses tiny arrays (2-4 nations) and explicit parameters (never the schema defaults, which
are being calibrated); the expected numbers are worked out by hand in the comments. Randomised
functions are checked either with a stub generator that fixes the draws or against the same draws
reproduced from an identically seeded ``numpy.random.Generator``.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pytest import approx
from scipy import stats

from simulation import metrics
from simulation.mechanisms import (
    aftermath,
    burden,
    capability,
    consensus,
    crises,
    deterrence,
    enlargement,
    escalation,
    exercises,
    information,
    negotiation,
    operations,
    partnership,
    perception,
    presence,
    rates,
    spiral,
    trust,
)
from simulation.schema import ProgrammeSpec, ProposalKind

MODULES = {
    "rates": rates,
    "capability": capability,
    "trust": trust,
    "exercises": exercises,
    "consensus": consensus,
    "negotiation": negotiation,
    "perception": perception,
    "partnership": partnership,
    "burden": burden,
    "deterrence": deterrence,
    "crises": crises,
    "ladder": escalation,
    "aftermath": aftermath,
    "spiral": spiral,
    "information": information,
    "presence": presence,
    "operations": operations,
    "enlargement": enlargement,
    "metrics": metrics,
}


def flat(n: int, value: float) -> np.ndarray:
    """An ``n x n`` matrix with ``value`` off the diagonal and 1 on it."""
    m = np.full((n, n), value)
    np.fill_diagonal(m, 1.0)
    return m


def test_every_public_function_is_called_here():
    """Guard: a new public rule function (mechanism or metric) must get a hand-computed test here.

    Functions of the model (a mechanism's ``init``, ``step``, outputs and phase helpers, whose
    first argument is ``model``) run in every simulation and are checked by test_invariants.py,
    test_model_layout.py and the golden baseline instead. A rule may be called through any
    module that exposes it (``consensus.vote`` is ``negotiation.vote``).
    """
    here = Path(__file__).parent
    source = "".join(
        (here / name).read_text(encoding="utf-8")
        for name in ("test_mechanisms.py", "test_crises.py")
    )
    missing = []
    for alias, module in MODULES.items():
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue  # imported helper (e.g. per_step in capability)
            if next(iter(inspect.signature(obj).parameters), None) == "model":
                continue
            callers = [a for a, m in MODULES.items() if getattr(m, name, None) is obj]
            if not any(f"{a}.{name}(" in source for a in callers):
                missing.append(f"{alias}.{name}")
    assert not missing, f"untested public functions: {missing}"


# =============================================================================== rates
def test_per_step_converts_period_rates():
    # 1 - (1 - 0.1) ** (1 / 1) = 0.1
    assert rates.per_step(0.1, 1.0, 1.0) == approx(0.1)
    # 1 - (1 - 0.5) ** (6 / 12) = 1 - sqrt(0.5) = 0.292893...
    assert rates.per_step(0.5, 12.0, 6.0) == approx(1 - math.sqrt(0.5))
    # 1 - (1 - 0.19) ** (24 / 12) = 1 - 0.81 ** 2 = 1 - 0.6561 = 0.3439
    assert rates.per_step(0.19, 12.0, 24.0) == approx(0.3439)
    # a rate of 1 (or more) closes the whole gap in any step
    assert rates.per_step(1.0, 12.0, 1.0) == 1.0
    assert rates.per_step(1.5, 12.0, 1.0) == 1.0
    assert rates.per_step(0.0, 12.0, 5.0) == 0.0


def test_per_step_is_independent_of_step_length():
    # two 6-month steps close the same share as one 12-month step: 1 - (1 - s) ** 2 = r
    s = rates.per_step(0.3, 12.0, 6.0)
    assert 1 - (1 - s) ** 2 == approx(rates.per_step(0.3, 12.0, 12.0)) == approx(0.3)


def test_close_gap():
    # 0.5 + 0.04 * (1 - 0.5) = 0.52
    assert rates.close_gap(0.5, 0.04) == approx(0.52)
    # 0.2 + 0.5 * (0.6 - 0.2) = 0.4
    assert rates.close_gap(0.2, 0.5, target=0.6) == approx(0.4)
    # arrays, elementwise targets: [0 + 0.25 * 1, 0.8 + 0.25 * (0.4 - 0.8)] = [0.25, 0.7]
    out = rates.close_gap(np.array([0.0, 0.8]), 0.25, np.array([1.0, 0.4]))
    assert_allclose(out, [0.25, 0.7])


# =============================================================================== capability
def test_grow_gdp():
    gdp = np.array([100.0, 200.0])
    # 100 * 1.10 ** (24 / 12) = 121; 200 * 1.0 ** 2 = 200
    assert_allclose(capability.grow_gdp(gdp, np.array([10.0, 0.0]), 24), [121.0, 200.0])
    # 100 * 1.21 ** (6 / 12) = 110
    assert_allclose(capability.grow_gdp(gdp[:1], np.array([21.0]), 6), [110.0])
    # shrinking: 100 * 0.9 ** 1 = 90
    assert_allclose(capability.grow_gdp(gdp[:1], np.array([-10.0]), 12), [90.0])


def test_spending():
    # 100 * 0.02 * 6 / 12 = 1.0 and 50 * 0.04 * 6 / 12 = 1.0 (billion USD)
    out = capability.spending(np.array([100.0, 50.0]), np.array([0.02, 0.04]), 6)
    assert_allclose(out, [1.0, 1.0])


def test_accumulate_capability_perpetual_inventory():
    k = np.array([10.0, 1.0])
    spent = np.array([1.0, 0.5])
    diverted = np.array([0.5, 3.0])
    out = capability.accumulate_capability(k, spent, diverted, 0.19, 24)
    # kept = K * (1 - 0.19) ** 2 = K * 0.6561
    # nation 0: 10 * 0.6561 + 1 - 0.5 = 7.061
    # nation 1: diverted 3 is capped at the 0.5 spent: 1 * 0.6561 + 0.5 - 0.5 = 0.6561
    assert_allclose(out, [7.061, 0.6561])


def test_steady_state_capability():
    # yearly steps: spending / (1 - 0.9) = 2 / 0.1 = 20, 5 / 0.1 = 50
    out = capability.steady_state_capability(np.array([2.0, 5.0]), 0.1, 12)
    assert_allclose(out, [20.0, 50.0])
    # and it is a fixed point of the perpetual inventory over one year: 20 * 0.9 + 2 = 20
    kept = capability.accumulate_capability(out, np.array([2.0, 5.0]), np.zeros(2), 0.1, 12)
    assert_allclose(kept, out)
    # monthly steps: (2 / 12) / (1 - 0.9 ** (1 / 12)) = 0.16667 / 0.0087421 = 19.065
    monthly = capability.steady_state_capability(np.array([2.0]), 0.1, 1)
    assert_allclose(monthly, [(2 / 12) / (1 - 0.9 ** (1 / 12))])
    assert 19.0 < monthly[0] < 19.1
    kept = capability.accumulate_capability(monthly, np.array([2 / 12]), np.zeros(1), 0.1, 1)
    assert_allclose(kept, monthly)


def test_decay_readiness_moves_toward_floor():
    r = np.array([0.9, 0.3, 0.1])
    # share = 1 - (1 - 0.5) ** 2 = 0.75 over 2 months
    # 0.9 - 0.75 * (0.9 - 0.3) = 0.45; 0.3 stays; 0.1 - 0.75 * (0.1 - 0.3) = 0.25
    out = capability.decay_readiness(r, 0.3, 0.5, 2)
    assert_allclose(out, [0.45, 0.3, 0.25])
    assert_allclose(r, [0.9, 0.3, 0.1])  # returns a new array


def test_decay_interoperability_in_place_keeps_diagonal():
    q = np.array([[1.0, 0.8, 0.5], [0.8, 1.0, 0.0], [0.5, 0.0, 0.9]])
    capability.decay_interoperability(q, 0.19, 24)
    # factor = (1 - 0.19) ** 2 = 0.6561: 0.8 -> 0.52488, 0.5 -> 0.32805; diagonal untouched
    expected = np.array([[1.0, 0.52488, 0.32805], [0.52488, 1.0, 0.0], [0.32805, 0.0, 0.9]])
    assert_allclose(q, expected)


def test_threat_perception():
    exposure = np.array([1.0, 0.5, 0.0])
    k = np.array([30.0, 10.0, 50.0])
    # aggression 0.6 -> factor 0.5 + 0.5 * 0.6 = 0.8
    # ratios K_adv / (K_adv + K_i) = 10/40 = 0.25, 10/20 = 0.5, 10/60
    # threat = [1 * 0.25 * 0.8, 0.5 * 0.5 * 0.8, 0] = [0.2, 0.2, 0]
    assert_allclose(capability.threat_perception(exposure, k, 10.0, 0.6), [0.2, 0.2, 0.0])
    # no capability anywhere: ratio 0 (no division by zero)
    out = capability.threat_perception(exposure, np.zeros(3), 0.0, 1.0)
    assert_allclose(out, [0.0, 0.0, 0.0])


def test_influence_hand_value():
    k = np.array([9.0, 1.0, 100.0])  # nation 2 is not a member
    t = np.array([[1.0, 0.4, 0.0], [0.8, 1.0, 0.0], [0.0, 0.0, 1.0]])
    member = np.array([True, True, False])
    # capability shares among members: 0.9, 0.1; ** 0.5 -> 3/sqrt(10), 1/sqrt(10)
    # mean trust received: nation 0 from 1: T[1, 0] = 0.8; nation 1 from 0: T[0, 1] = 0.4
    # raw = [3 * 0.8, 1 * 0.4] / sqrt(10) = [2.4, 0.4] / sqrt(10) -> normalised [6/7, 1/7]
    out = capability.influence(k, t, member, 0.5, 1.0)
    assert_allclose(out, [6 / 7, 1 / 7, 0.0])
    assert out[member].sum() == approx(1.0)


def test_influence_edge_cases():
    t = flat(3, 1.0)
    member = np.array([True, True, True])
    # exponents (1, 0) with full trust: influence is the capability share [0.2, 0.3, 0.5]
    out = capability.influence(np.array([2.0, 3.0, 5.0]), t, member, 1.0, 0.0)
    assert_allclose(out, [0.2, 0.3, 0.5])
    # no capability: equal shares
    out = capability.influence(np.zeros(3), t, member, 1.0, 1.0)
    assert_allclose(out, [1 / 3, 1 / 3, 1 / 3])
    # nobody trusts anybody (raw all 0): equal shares, no NaN
    out = capability.influence(np.array([1.0, 2.0, 3.0]), np.eye(3), member, 1.0, 1.0)
    assert_allclose(out, [1 / 3, 1 / 3, 1 / 3])
    # one member: all the influence; no member: none
    one = np.array([False, True, False])
    assert_allclose(capability.influence(np.ones(3), t, one, 0.5, 1.0), [0.0, 1.0, 0.0])
    assert_allclose(capability.influence(np.ones(3), t, np.zeros(3, bool), 0.5, 1.0), 0.0)


# =============================================================================== trust
def test_alignment_without_ideal_points():
    x = np.array([[0.2, 0.8], [0.6, 0.4]])
    # mean |diff| = (0.4 + 0.4) / 2 = 0.4 -> alignment 0.6
    out = trust.alignment(x, np.array([np.nan, np.nan]), 0.5, 1.0)
    assert_allclose(out, [[1.0, 0.6], [0.6, 1.0]])


def test_alignment_with_ideal_points():
    x = np.array([[0.2, 0.8], [0.6, 0.4], [0.2, 0.8]])
    ip = np.array([0.0, 1.0, np.nan])
    out = trust.alignment(x, ip, 0.5, 1.0)
    # pair (0, 1), both known: 0.5 * exp(-|0 - 1| / 1) + 0.5 * 0.6 = 0.183940 + 0.3 = 0.483940
    assert out[0, 1] == approx(0.5 * math.exp(-1.0) + 0.3)
    # pairs with the unknown ideal point use interests only: (1, 2) -> 0.6, (0, 2) -> 1.0
    assert out[1, 2] == approx(0.6)
    assert out[0, 2] == approx(1.0)
    assert_allclose(out, out.T)
    assert_allclose(np.diag(out), 1.0)
    # scale 2 and weight 1: exp(-1 / 2) = 0.606531
    out = trust.alignment(x, ip, 1.0, 2.0)
    assert out[0, 1] == approx(math.exp(-0.5))


def test_baseline_with_member_bonus():
    a = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.2], [0.2, 0.2, 1.0]])
    member = np.array([True, True, False])
    out = trust.baseline(a, member, 0.1, 0.7, 0.15)
    # members 0-1: 0.1 + 0.6 * 0.5 + 0.15 = 0.55; with nation 2: 0.1 + 0.6 * 0.2 = 0.22
    expected = np.array([[1.0, 0.55, 0.22], [0.55, 1.0, 0.22], [0.22, 0.22, 1.0]])
    assert_allclose(out, expected)
    # clipped: 0.1 + 0.6 * 1 + 0.5 = 1.2 -> 1
    out = trust.baseline(flat(2, 1.0), np.array([True, True]), 0.1, 0.7, 0.5)
    assert_allclose(out, flat(2, 1.0))


def test_update_trust_one_step():
    t = np.array([[1.0, 0.4], [0.8, 1.0]])
    b = np.array([[1.0, 0.5], [0.5, 1.0]])
    out = trust.update_trust(t, b, 0.1, 0.2, 1)
    # d = 0.2, r = 0.1
    # T01 = 0.4 + 0.2 * (0.5 - 0.4) + 0.1 * (0.8 - 0.4) = 0.4 + 0.02 + 0.04 = 0.46
    # T10 = 0.8 + 0.2 * (0.5 - 0.8) + 0.1 * (0.4 - 0.8) = 0.8 - 0.06 - 0.04 = 0.70
    assert_allclose(out, [[1.0, 0.46], [0.70, 1.0]])
    assert_allclose(t, [[1.0, 0.4], [0.8, 1.0]])  # input untouched
    # two months: d = 1 - 0.8 ** 2 = 0.36, r = 1 - 0.9 ** 2 = 0.19
    # T01 = 0.4 + 0.36 * 0.1 + 0.19 * 0.4 = 0.512
    assert trust.update_trust(t, b, 0.1, 0.2, 2)[0, 1] == approx(0.512)


def test_update_trust_clips_when_rates_are_large():
    t = np.array([[1.0, 0.4], [0.8, 1.0]])
    b = np.array([[1.0, 0.9], [0.9, 1.0]])
    # d = r = 1: T <- B + T.T - T; T01 = 0.9 + 0.8 - 0.4 = 1.3 -> 1; T10 = 0.9 + 0.4 - 0.8 = 0.5
    out = trust.update_trust(t, b, 1.0, 1.0, 1)
    assert_allclose(out, [[1.0, 1.0], [0.5, 1.0]])


def test_lower_trust_in():
    t = flat(3, 0.5)
    trust.lower_trust_in(t, [0, 1], [2], 0.2)
    # 0.5 * (1 - 0.2) = 0.4 for T[0, 2] and T[1, 2]; nothing else changes
    expected = flat(3, 0.5)
    expected[0, 2] = expected[1, 2] = 0.4
    assert_allclose(t, expected)
    # a holder that is also a target keeps T[i, i] = 1
    t = flat(3, 0.5)
    trust.lower_trust_in(t, [0, 2], [2], 0.5)
    assert t[2, 2] == 1.0
    assert t[0, 2] == approx(0.25)
    # empty groups or share 0: no-op
    t = flat(3, 0.5)
    trust.lower_trust_in(t, [], [2], 0.5)
    trust.lower_trust_in(t, [0], [], 0.5)
    trust.lower_trust_in(t, [0], [1], 0.0)
    assert_allclose(t, flat(3, 0.5))


def test_raise_trust_among():
    t = flat(3, 0.5)
    trust.raise_trust_among(t, [0, 1], 0.5)
    # 0.5 + 0.5 * (1 - 0.5) = 0.75 both ways between 0 and 1; pairs with 2 untouched
    expected = flat(3, 0.5)
    expected[0, 1] = expected[1, 0] = 0.75
    assert_allclose(t, expected)
    # a group of one, or share 0: no-op
    trust.raise_trust_among(t, [2], 0.5)
    trust.raise_trust_among(t, [0, 2], 0.0)
    assert_allclose(t, expected)


# =============================================================================== exercises
def test_exercise_count_is_poisson_with_the_step_mean():
    # mean 12 * 6 / 12 = 6: the same draw as rng.poisson(6.0) from an identical generator
    for seed in range(5):
        got = exercises.exercise_count(np.random.default_rng(seed), 12.0, 6)
        assert got == np.random.default_rng(seed).poisson(6.0)
    assert exercises.exercise_count(np.random.default_rng(0), 0.0, 6) == 0


def test_draw_exercise_basic_properties():
    rng = np.random.default_rng(42)
    members = np.array([0, 1, 2, 3])
    partners = np.array([4, 5])
    exposure = np.array([0.1, 0.9, 0.5, 0.0, 0.7, 0.3])
    for size in (2, 3, 4, 6, 10):
        for _ in range(100):
            ex = exercises.draw_exercise(rng, members, partners, exposure, size, 0.4, 1.0)
            p = ex.participants
            assert ex.host in members
            assert p[0] == ex.host
            assert len(set(p.tolist())) == len(p)  # no duplicates
            assert len(p) == min(size, 6)  # size capped by the nations available
            assert set(p.tolist()) <= set(range(6))


def test_draw_exercise_partner_share():
    rng = np.random.default_rng(1)
    members = np.array([0, 1, 2, 3])
    partners = np.array([4, 5])
    exposure = np.full(6, 0.5)
    # inclusiveness 0: no partner while members can fill the 3 other slots
    for _ in range(50):
        ex = exercises.draw_exercise(rng, members, partners, exposure, 4, 0.0, 1.0)
        assert not np.isin(ex.participants, partners).any()
    # inclusiveness 1: 3 partner slots, only 2 partners -> both partners and 1 other member
    for _ in range(50):
        ex = exercises.draw_exercise(rng, members, partners, exposure, 4, 1.0, 1.0)
        assert np.isin(partners, ex.participants).all()
        assert np.isin(ex.participants, members).sum() == 2  # host + 1
    # no partners at all: every slot goes to members
    ex = exercises.draw_exercise(rng, members, np.array([], int), exposure, 4, 1.0, 1.0)
    assert sorted(ex.participants.tolist()) == [0, 1, 2, 3]
    # binomial share: 10 members, 10 partners, size 5 -> 4 slots, mean 4 * 0.5 = 2 partners
    members, partners = np.arange(10), np.arange(10, 20)
    counts = [
        np.isin(
            exercises.draw_exercise(
                rng, members, partners, np.full(20, 0.5), 5, 0.5, 1.0
            ).participants,
            partners,
        ).sum()
        for _ in range(2000)
    ]
    assert np.mean(counts) == approx(2.0, abs=0.15)


def test_draw_exercise_host_exposure_bias():
    rng = np.random.default_rng(7)
    members = np.array([0, 1, 2, 3])
    exposure = np.array([0.0, 0.0, 0.0, 1.0])
    # bias 10: weights 0.05 ** 10 vs 1.05 ** 10, a ratio of ~6e-14: nation 3 always hosts
    hosts = [
        exercises.draw_exercise(rng, members, np.array([], int), exposure, 2, 0.0, 10.0).host
        for _ in range(200)
    ]
    assert set(hosts) == {3}
    # bias 0: uniform over members
    hosts = [
        exercises.draw_exercise(rng, members, np.array([], int), exposure, 2, 0.0, 0.0).host
        for _ in range(2000)
    ]
    freq = np.bincount(hosts, minlength=4) / 2000
    assert_allclose(freq, 0.25, atol=0.05)


def test_apply_exercise_on_3x3():
    q = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])
    t = np.array([[1.0, 0.6, 0.4], [0.7, 1.0, 0.5], [0.8, 0.9, 1.0]])
    r = np.array([0.5, 0.5, 0.9])
    exercises.apply_exercise(np.array([0, 2]), t, q, r, 0.5, 0.25, 0.2)
    # Q02 = Q20 = 0.2 + 0.5 * 0.8 = 0.6; pairs with nation 1 untouched
    assert_allclose(q, [[1.0, 0.5, 0.6], [0.5, 1.0, 0.3], [0.6, 0.3, 1.0]])
    # T02 = 0.4 + 0.25 * 0.6 = 0.55; T20 = 0.8 + 0.25 * 0.2 = 0.85
    assert_allclose(t, [[1.0, 0.6, 0.55], [0.7, 1.0, 0.5], [0.85, 0.9, 1.0]])
    # readiness: 0.5 + 0.2 * 0.5 = 0.6; 0.9 + 0.2 * 0.1 = 0.92; nation 1 untouched
    assert_allclose(r, [0.6, 0.5, 0.92])


def test_spiral():
    # 0.5 + (0.2 * 2 / 4) * (1 - 0.5) = 0.55
    assert exercises.spiral(0.5, 2, 4, 0.2) == approx(0.55)
    assert exercises.spiral(0.5, 0, 0, 0.2) == 0.5


# =============================================================================== consensus
def test_utilities_hand_value(consensus_params):
    p = consensus_params(
        alignment_weight=1.0,
        threat_weight=0.5,
        trust_weight=0.5,
        resolve_weight=0.3,
        sovereignty_weight=0.6,
        support_threshold=0.75,
    )
    kind = ProposalKind(1.0, 0.5, 0.4, 1.0)
    prop = consensus.Proposal("k", 0, np.array([0.4, 0.6]), ambition=0.5)
    x = np.array([[0.2, 0.8], [1.0, 0.0]])
    threat = np.array([0.6, 0.2])
    t_prop = np.array([1.0, 0.5])
    sov = np.array([0.5, 1.0])
    shocks = np.array([0.1, -0.2])
    resolve = np.array([0.8, 0.4])
    u = consensus.utilities(prop, kind, x, threat, t_prop, sov, shocks, p, resolve)
    # voter 0: align 1 - (0.2 + 0.2) / 2 = 0.8; threat 0.5 * 0.5 * 0.6 = 0.15;
    #   trust 0.5 * 1 = 0.5; resolve 0.3 * 1 * 0.8 = 0.24; sovereignty 0.6 * 0.5 * 0.4 * 0.5
    #   = 0.06; 0.8 + 0.15 + 0.5 + 0.24 - 0.06 + 0.1 - 0.75 = 0.98
    # voter 1: align 1 - (0.6 + 0.6) / 2 = 0.4; threat 0.05; trust 0.25; resolve 0.12;
    #   sovereignty 0.6 * 1 * 0.4 * 0.5 = 0.12; 0.4 + 0.05 + 0.25 + 0.12 - 0.12 - 0.2 - 0.75
    #   = -0.25
    assert_allclose(u, [0.98, -0.25])
    # without resolve (default 0): [0.98 - 0.24, -0.25 - 0.12] = [0.74, -0.37]
    u = consensus.utilities(prop, kind, x, threat, t_prop, sov, shocks, p)
    assert_allclose(u, [0.74, -0.37])
    # a treaty obligation of 0.3 is added to every voter: [0.98 + 0.3, -0.25 + 0.3]
    prop.obligation = 0.3
    u = consensus.utilities(prop, kind, x, threat, t_prop, sov, shocks, p, resolve)
    assert_allclose(u, [1.28, 0.05])


UTIL = np.array([0.5, 0.1, -0.05, 0.3])
INFL = np.array([0.4, 0.3, 0.2, 0.1])


def test_vote_unanimity(consensus_params):
    p = consensus_params(rule="unanimity")
    out = consensus.vote("unanimity", UTIL, INFL, p)
    # one member (index 2) below 0 vetoes; support share 0.4 + 0.3 + 0.1 = 0.8
    assert not out.adopted
    assert_array_equal(out.blockers, [False, False, True, False])
    assert_array_equal(out.supporters, [True, True, False, True])
    assert not out.silence_breakers.any()
    assert out.support_share == approx(0.8)
    # utility exactly 0 counts as support
    out = consensus.vote("unanimity", np.array([0.0, 0.2]), np.array([0.5, 0.5]), p)
    assert out.adopted and not out.blockers.any() and out.support_share == approx(1.0)


def test_vote_silence_procedure(consensus_params):
    p = consensus_params(rule="silence_procedure", silence_break_margin=0.1)
    # -0.05 > -0.1: the opponent stays silent, the proposal passes, nobody breaks
    out = consensus.vote("silence_procedure", UTIL, INFL, p)
    assert out.adopted
    assert not out.silence_breakers.any() and not out.blockers.any()
    assert out.supporters.all()
    # -0.15 < -0.1: it breaks silence, the proposal fails; breakers reported as blockers
    u = np.array([0.5, 0.1, -0.15, 0.3])
    out = consensus.vote("silence_procedure", u, INFL, p)
    assert not out.adopted
    assert_array_equal(out.silence_breakers, [False, False, True, False])
    assert_array_equal(out.blockers, out.silence_breakers)
    assert_array_equal(out.supporters, [True, True, False, True])
    # exactly -margin does not break
    u = np.array([0.5, -0.25])
    assert consensus.vote("silence_procedure", u, np.array([0.5, 0.5]), p).adopted is False
    p2 = consensus_params(rule="silence_procedure", silence_break_margin=0.25)
    assert consensus.vote("silence_procedure", u, np.array([0.5, 0.5]), p2).adopted is True


def test_vote_qualified_majority(consensus_params):
    # supporters' influence share: 0.4 + 0.3 + 0.1 = 0.8
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.8)
    out = consensus.vote("qualified_majority", UTIL, INFL, p)
    assert out.adopted and not out.blockers.any()  # 0.8 >= 0.8; outvoted do not block
    assert_array_equal(out.supporters, [True, True, False, True])
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.85)
    out = consensus.vote("qualified_majority", UTIL, INFL, p)
    assert not out.adopted  # 0.8 < 0.85
    assert_array_equal(out.blockers, [False, False, True, False])
    # by influence, not head count: 1 of 4 supporters holding 0.7 of influence
    u = np.array([1.0, -1.0, -1.0, -1.0])
    out = consensus.vote("qualified_majority", u, np.array([0.7, 0.1, 0.1, 0.1]), p)
    assert out.support_share == approx(0.7)
    assert consensus.vote("qualified_majority", u, np.array([0.7, 0.1, 0.1, 0.1]), p).adopted is (
        False
    )
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.6)
    assert consensus.vote("qualified_majority", u, np.array([0.7, 0.1, 0.1, 0.1]), p).adopted


def test_vote_coalition_of_the_willing(consensus_params):
    u = np.array([-1.0, -1.0, 0.2, 0.3])
    # supporters 2 and 3 hold 0.2 + 0.1 = 0.3 of influence
    p = consensus_params(rule="coalition_of_the_willing", coalition_min_share=0.3)
    out = consensus.vote("coalition_of_the_willing", u, INFL, p)
    assert out.adopted and not out.blockers.any()
    assert_array_equal(out.supporters, [False, False, True, True])
    assert out.support_share == approx(0.3)
    p = consensus_params(rule="coalition_of_the_willing", coalition_min_share=0.35)
    out = consensus.vote("coalition_of_the_willing", u, INFL, p)
    assert not out.adopted
    assert_array_equal(out.blockers, [True, True, False, False])
    # a coalition needs at least one member, even with a minimum share of 0
    p = consensus_params(rule="coalition_of_the_willing", coalition_min_share=0.0)
    assert not consensus.vote("coalition_of_the_willing", -np.ones(4), INFL, p).adopted


def test_vote_zero_influence_and_unknown_rule(consensus_params):
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.5)
    # no influence at all: share by head count, 2 of 4 = 0.5
    out = consensus.vote("qualified_majority", np.array([1.0, 1.0, -1.0, -1.0]), np.zeros(4), p)
    assert out.support_share == approx(0.5) and out.adopted
    with pytest.raises(ValueError, match="unknown decision rule"):
        consensus.vote("majority", UTIL, INFL, p)


# negotiation fixture: 3 nations, voters 0 and 2; utility = alignment - 0.7 (other weights 0)
NEG_X = np.array([[0.5, 0.5], [0.9, 0.9], [0.0, 0.0]])
NEG_KIND = ProposalKind(1.0, 0.0, 0.0, 0.0)


def negotiate(p, position, influence=(0.5, 0.0, 0.5), interests=NEG_X):
    proposal = consensus.Proposal("plain", 0, np.array(position, dtype=float))
    return consensus.negotiate(
        proposal,
        NEG_KIND,
        np.array([0, 2]),
        interests,
        np.zeros(3),
        flat(3, 0.5),
        np.zeros(3),
        np.array(influence, dtype=float),
        np.zeros(2),
        p,
    )


def test_negotiate_dilution_path(consensus_params):
    p = consensus_params(
        rule="unanimity", support_threshold=0.7, dilution_per_round=0.5, max_rounds=3, round_days=7
    )
    d = negotiate(p, [0.5, 0.5])
    # round 1: u0 = 1 - 0 - 0.7 = 0.3; u2 = 1 - 0.5 - 0.7 = -0.2 -> vetoed by nation 2
    # dilution: position moves 0.5 of the way to the holdout's mean [0, 0] -> [0.25, 0.25];
    #   ambition 1 * (1 - 0.5) = 0.5
    # round 2: u0 = 1 - 0.25 - 0.7 = 0.05; u2 = 1 - 0.25 - 0.7 = 0.05 -> adopted
    assert d.adopted
    assert d.rounds == 2
    assert d.latency_days == approx(2 * 7)
    assert d.dilution == approx(0.5)
    assert d.proposal.ambition == approx(0.5)
    assert_allclose(d.proposal.position, [0.25, 0.25])
    assert_array_equal(d.supporters, [0, 2])  # nation indices, not voter positions
    assert len(d.blockers) == 0 and len(d.silence_breakers) == 0
    assert d.support_share == approx(1.0)


def test_negotiate_one_round_only(consensus_params):
    p = consensus_params(rule="unanimity", dilution_per_round=0.5, max_rounds=1, round_days=7)
    d = negotiate(p, [0.5, 0.5])
    # no time to negotiate: blocked in round 1, position and ambition unchanged
    assert not d.adopted
    assert d.rounds == 1 and d.latency_days == approx(7) and d.dilution == approx(0.0)
    assert_allclose(d.proposal.position, [0.5, 0.5])
    assert_array_equal(d.blockers, [2])
    assert_array_equal(d.supporters, [0])
    assert d.support_share == approx(0.5)


def test_negotiate_runs_out_of_rounds(consensus_params):
    p = consensus_params(
        rule="unanimity", support_threshold=0.9, dilution_per_round=0.5, max_rounds=3, round_days=7
    )
    x = np.array([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    d = negotiate(p, [1.0, 1.0], interests=x)
    # round 1: u0 = 1 - 0.9 = 0.1, u2 = 0 - 0.9 = -0.9 -> position [0.5, 0.5], ambition 0.5
    # round 2: u0 = u2 = 0.5 - 0.9 = -0.4, both hold out; their mean is [0.5, 0.5] -> position
    #   unchanged, ambition 0.25
    # round 3 (last): both still -0.4 -> not adopted; no dilution after the last round
    assert not d.adopted
    assert d.rounds == 3 and d.latency_days == approx(21)
    assert d.dilution == approx(0.75)
    assert_allclose(d.proposal.position, [0.5, 0.5])
    assert_array_equal(d.blockers, [0, 2])


def test_negotiate_silence_breakers_are_remembered(consensus_params):
    p = consensus_params(
        rule="silence_procedure",
        silence_break_margin=0.1,
        dilution_per_round=0.5,
        max_rounds=3,
        round_days=2,
    )
    d = negotiate(p, [0.5, 0.5])
    # round 1: u2 = -0.2 < -0.1 -> nation 2 breaks silence; round 2 passes as above
    assert d.adopted and d.rounds == 2 and d.latency_days == approx(4)
    assert_array_equal(d.silence_breakers, [2])
    assert len(d.blockers) == 0


def test_negotiate_majority_rules_pass_in_round_one(consensus_params):
    # nation 0 (influence 0.7) supports, nation 2 (0.3) opposes
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.6)
    d = negotiate(p, [0.5, 0.5], influence=(0.7, 0.0, 0.3))
    assert d.adopted and d.rounds == 1 and d.dilution == 0.0
    assert d.support_share == approx(0.7)
    assert_array_equal(d.supporters, [0])
    assert len(d.blockers) == 0
    p = consensus_params(rule="coalition_of_the_willing", coalition_min_share=0.3)
    d = negotiate(p, [0.5, 0.5], influence=(0.7, 0.0, 0.3))
    assert d.adopted and d.rounds == 1
    assert_array_equal(d.supporters, [0])


def test_negotiate_weighs_trust_in_the_subject(consensus_params):
    # utility = alignment (1: interests at the position) + 0.5 * T[i, trusted] - 1.2
    p = consensus_params(rule="unanimity", trust_weight=0.5, support_threshold=1.2, max_rounds=1)
    t = np.array([[1.0, 0.2, 0.0], [0.0, 1.0, 0.0], [0.9, 0.6, 1.0]])
    x = np.full((3, 2), 0.5)
    voters = np.array([0, 2])

    def run(subject, obligation=0.0):
        prop = consensus.Proposal("k", 0, np.array([0.5, 0.5]), subject=subject)
        prop.obligation = obligation
        args = (np.zeros(3), t, np.zeros(3), np.array([0.5, 0.0, 0.5]), np.zeros(2), p)
        return prop, consensus.negotiate(prop, NEG_KIND, voters, x, *args)

    # no subject: trust in the proposer 0: 1 + 0.5 * 1 - 1.2 = 0.3 and 1 + 0.5 * 0.9 - 1.2 = 0.25
    prop, d = run(None)
    assert prop.trusted == 0
    assert d.adopted
    # subject 1: 1 + 0.5 * 0.2 - 1.2 = -0.1 (veto) and 1 + 0.5 * 0.6 - 1.2 = 0.1
    prop, d = run(1)
    assert prop.trusted == 1
    assert not d.adopted
    assert_array_equal(d.blockers, [0])
    # an obligation of 0.2 lifts the holdout to 0.1: adopted
    _, d = run(1, obligation=0.2)
    assert d.adopted


def test_draw_proposal():
    kinds = {"never": ProposalKind(0.0, 0.5, 0.5, 0.0), "always": ProposalKind(2.0, 0.1, 0.1, 0.0)}
    x = np.array([[0.1, 0.2], [0.3, 0.4], [0.9, 0.8]])
    members = np.array([0, 2])
    influence = np.array([0.0, 0.3, 1.0])  # among members all weight on nation 2
    rng = np.random.default_rng(3)
    for _ in range(20):
        prop = consensus.draw_proposal(rng, kinds, members, influence, x, 0.0)
        assert prop.kind == "always"
        assert prop.proposer == 2
        assert_allclose(prop.position, x[2])  # spread 0: the proposer's interests
        assert prop.ambition == 1.0
    # wide spread: positions stay in [0, 1]; interests are not modified
    before = x.copy()
    for _ in range(20):
        prop = consensus.draw_proposal(rng, kinds, members, influence, x, 5.0)
        assert ((prop.position >= 0) & (prop.position <= 1)).all()
    assert_array_equal(x, before)
    # no influence among members: proposer drawn uniformly among them
    proposers = {
        consensus.draw_proposal(rng, kinds, members, np.zeros(3), x, 0.0).proposer
        for _ in range(50)
    }
    assert proposers == {0, 2}


# =============================================================================== partnership
PROG = ProgrammeSpec(
    name="P",
    partners=("PPP",),
    activities_per_year=6.0,
    exchange_share=0.5,
    trust_gain=0.2,
    interop_gain=0.25,
    engagement_gain=0.1,
    engagement_decay_per_year=0.1,
    accession_engagement=0.6,
    accession_interoperability=0.5,
)


class StubRng:
    """Fixes the draws of ``run_activity``: the member chosen and the uniform."""

    def __init__(self, member: int, uniform: float):
        self.member, self.uniform = member, uniform
        self.offered: list[list[int]] = []

    def choice(self, a):
        self.offered.append(np.asarray(a).tolist())
        return self.member

    def random(self):
        return self.uniform


def partnership_arrays():
    t = np.array([[1.0, 0.3, 0.3], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]])
    q = np.array([[1.0, 0.2, 0.2], [0.2, 1.0, 0.7], [0.2, 0.7, 1.0]])
    return t, q, np.array([0.4, 0.0, 0.0])


def test_run_activity_personnel_exchange():
    t, q, e = partnership_arrays()
    q0 = q.copy()
    rng = StubRng(member=2, uniform=0.1)  # 0.1 < exchange_share 0.5 -> exchange
    kind, member = partnership.run_activity(rng, 0, np.array([1, 2]), t, q, e, PROG)
    assert (kind, member) == ("personnel_exchange", 2)
    assert rng.offered == [[1, 2]]  # the member is drawn among members
    # T[0, 2] = 0.3 + 0.2 * 0.7 = 0.44; T[2, 0] = 0.5 + 0.2 * 0.5 = 0.6
    assert t[0, 2] == approx(0.44) and t[2, 0] == approx(0.6)
    assert t[0, 1] == 0.3 and t[1, 0] == 0.5  # the other member untouched
    assert_array_equal(q, q0)  # no training
    # engagement 0.4 + 0.1 * 0.6 = 0.46
    assert e[0] == approx(0.46)


def test_run_activity_training():
    t, q, e = partnership_arrays()
    t0 = t.copy()
    rng = StubRng(member=2, uniform=0.9)  # 0.9 >= 0.5 -> training
    kind, member = partnership.run_activity(rng, 0, np.array([1, 2]), t, q, e, PROG)
    assert (kind, member) == ("training", 2)
    # Q[0, 2] = Q[2, 0] = 0.2 + 0.25 * 0.8 = 0.4; Q[0, 1] untouched
    assert q[0, 2] == approx(0.4) and q[2, 0] == approx(0.4)
    assert q[0, 1] == 0.2
    assert_array_equal(t, t0)  # no exchange
    assert e[0] == approx(0.46)


def test_run_activity_branches_with_a_seeded_generator():
    rng = np.random.default_rng(11)
    t, q, e = partnership_arrays()
    always_exchange = ProgrammeSpec(**{**PROG.__dict__, "exchange_share": 1.0})
    never_exchange = ProgrammeSpec(**{**PROG.__dict__, "exchange_share": 0.0})
    for _ in range(20):
        kind, m = partnership.run_activity(rng, 0, np.array([1, 2]), t, q, e, always_exchange)
        assert kind == "personnel_exchange" and m in (1, 2)
        kind, m = partnership.run_activity(rng, 0, np.array([1, 2]), t, q, e, never_exchange)
        assert kind == "training" and m in (1, 2)


def test_activity_counts_and_decay_engagement():
    # mean 6 * 6 / 12 = 3 for each of 4 partners: the draws of rng.poisson(3.0, 4)
    got = partnership.activity_counts(np.random.default_rng(3), 4, 6.0, 6)
    assert_array_equal(got, np.random.default_rng(3).poisson(3.0, size=4))
    e = np.array([0.5, 0.2])
    partnership.decay_engagement(e, 0.19, 24)
    # (1 - 0.19) ** 2 = 0.6561: 0.5 -> 0.32805, 0.2 -> 0.13122 (in place)
    assert_allclose(e, [0.32805, 0.13122])


def test_ready_to_apply():
    q = np.array([[1.0, 0.4, 0.6], [0.4, 1.0, 0.0], [0.6, 0.0, 1.0]])
    members = np.array([1, 2])
    # engagement 0.6 >= 0.6 and mean Q = (0.4 + 0.6) / 2 = 0.5 >= 0.5 -> ready
    assert partnership.ready_to_apply(0, np.array([0.6, 0, 0]), q, members, PROG) is True
    assert partnership.ready_to_apply(0, np.array([0.59, 0, 0]), q, members, PROG) is False
    q2 = q.copy()
    q2[0, 2] = 0.58  # mean (0.4 + 0.58) / 2 = 0.49 < 0.5
    assert partnership.ready_to_apply(0, np.array([0.9, 0, 0]), q2, members, PROG) is False
    # no members: mean Q counts as 0
    assert not partnership.ready_to_apply(0, np.array([0.9, 0, 0]), q, np.array([], int), PROG)


# =============================================================================== burden
def test_spillover_weights():
    t = np.array([[1.0, 0.5, 0.9], [0.8, 1.0, 0.9], [0.9, 0.9, 1.0]])
    q = np.array([[1.0, 0.6, 0.9], [0.5, 1.0, 0.9], [0.9, 0.9, 1.0]])
    sigma = burden.spillover_weights(t, q, np.array([True, True, False]))
    # between members: 0.5 * 0.6 = 0.3 and 0.8 * 0.5 = 0.4; zero on the diagonal and for 2
    assert_allclose(sigma, [[0.0, 0.3, 0.0], [0.4, 0.0, 0.0], [0.0, 0.0, 0.0]])


def test_demand_share():
    # 0.02 * (1 + 1.5 * [0, 0.5]) = [0.02, 0.035]; per-nation demand 0.04: 0.04 * 1.75 = 0.07
    out = burden.demand_share(np.array([0.0, 0.5, 0.5]), np.array([0.02, 0.02, 0.04]), 1.5)
    assert_allclose(out, [0.02, 0.035, 0.07])


BR_GDP = np.array([100.0, 10.0])
BR_SHARE = np.array([0.03, 0.01])  # spending [3, 0.1]
BR_ALPHA = np.array([0.02, 0.02])  # wanted [2, 0.2]
BR_SIGMA = np.array([[0.0, 0.5], [0.5, 0.0]])  # spillovers S = [0.5 * 0.1, 0.5 * 3] = [0.05, 1.5]


def test_best_response_pure_public_good():
    # rho = 0: m* = max(0, wanted - S) = [2 - 0.05, max(0, 0.2 - 1.5)] = [1.95, 0]
    # shares = [1.95 / 100, 0 / 10] = [0.0195, 0]: the small ally free rides
    out = burden.best_response_share(BR_GDP, BR_SHARE, BR_ALPHA, BR_SIGMA, 0.0)
    assert_allclose(out, [0.0195, 0.0])


def test_best_response_private_good():
    # rho = 1: m* = max(wanted, wanted - 0) = wanted -> shares = alpha = [0.02, 0.02]
    out = burden.best_response_share(BR_GDP, BR_SHARE, BR_ALPHA, BR_SIGMA, 1.0)
    assert_allclose(out, [0.02, 0.02])


def test_best_response_joint_products():
    # rho = 0.5: m* = max(0.5 * wanted, wanted - 0.5 * S)
    #   = [max(1, 2 - 0.025), max(0.1, 0.2 - 0.75)] = [1.975, 0.1] -> [0.01975, 0.01]
    out = burden.best_response_share(BR_GDP, BR_SHARE, BR_ALPHA, BR_SIGMA, 0.5)
    assert_allclose(out, [0.01975, 0.01])


def test_best_response_zero_gdp():
    out = burden.best_response_share(
        np.array([0.0, 10.0]), np.array([0.0, 0.01]), np.array([0.02, 0.02]), np.zeros((2, 2)), 0.0
    )
    # no division by zero: share 0 for a zero-GDP nation; 0.2 / 10 = 0.02 for the other
    assert_allclose(out, [0.0, 0.02])


def test_target_share_with_pledge_pressure():
    # below the pledge: 0.01 + 0.5 * (0.02 - 0.01) = 0.015; above it: unchanged 0.03
    out = burden.target_share(np.array([0.01, 0.03]), 0.02, 0.5)
    assert_allclose(out, [0.015, 0.03])
    assert_allclose(burden.target_share(np.array([0.01]), 0.02, 0.0), [0.01])


def test_adjust_share_within_bounds():
    share = np.array([0.01, 0.05, 0.02, 0.006])
    target = np.array([0.03, 0.01, 0.2, 0.0])
    out = burden.adjust_share(share, target, 0.5, 0.005, 0.1)
    # the target is clipped to [0.005, 0.1] first, then half the gap is closed:
    # 0.01 + 0.5 * (0.03 - 0.01) = 0.02; 0.05 + 0.5 * (0.01 - 0.05) = 0.03;
    # 0.02 + 0.5 * (0.1 - 0.02) = 0.06; 0.006 + 0.5 * (0.005 - 0.006) = 0.0055
    assert_allclose(out, [0.02, 0.03, 0.06, 0.0055])
    # a share above the ceiling returns gradually: 0.2 + 0.5 * (0.1 - 0.2) = 0.15
    assert_allclose(burden.adjust_share(np.array([0.2]), np.array([0.3]), 0.5, 0.005, 0.1), [0.15])
    # full adjustment lands inside the bounds at once
    out = burden.adjust_share(np.array([0.2, 0.0]), np.array([0.3, 0.0]), 1.0, 0.005, 0.1)
    assert_allclose(out, [0.1, 0.005])


def test_shortfall():
    # max(0, 0.02 - s) / 0.02 = [0.5, 0, 0]
    out = burden.shortfall(np.array([0.01, 0.02, 0.03]), 0.02)
    assert_allclose(out, [0.5, 0.0, 0.0])
    assert_allclose(burden.shortfall(np.array([0.01, 0.0]), 0.0), [0.0, 0.0])


def test_free_riding_trust():
    t = flat(3, 0.8)
    member = np.array([True, True, False])
    burden.free_riding_trust(t, member, np.array([0.5, 0.0, 1.0]), 0.2)
    # member 1 in member 0: 0.8 * (1 - 0.2 * 0.5) = 0.72; in member 1 (no shortfall): 0.8;
    # nothing changes for the non-member 2, whatever its shortfall
    expected = flat(3, 0.8)
    expected[1, 0] = 0.72
    assert_allclose(t, expected)


# =============================================================================== deterrence
def test_local_capability_three_nations():
    k = np.array([10.0, 20.0, 40.0])
    r = np.array([0.5, 0.5, 0.25])  # ready = [5, 10, 10]
    t = np.array([[1.0, 0.5, 0.2], [0.8, 1.0, 0.6], [0.1, 0.1, 1.0]])
    q = np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]])
    member = np.array([True, True, False])
    coverage = np.array([1.0, 1.0, 0.5])
    fp = np.array([0.0, 3.0, 0.0])
    out = deterrence.local_capability(k, r, t, q, member, coverage, fp)
    # help weights w[j, t] = T[j, t] Q[j, t] for members j != t:
    #   from 0: to 1 0.5 * 0.5 = 0.25, to 2 0.2 * 0.5 = 0.1; from 1: to 0 0.4, to 2 0.3
    # allied[0] = 10 * 0.4 = 4; allied[1] = 5 * 0.25 = 1.25; allied[2] = 5 * 0.1 + 10 * 0.3 = 3.5
    # E = [5 + 4, 10 + 1.25 + 3, 10 + 0.5 * 3.5] = [9, 14.25, 11.75]
    assert_allclose(out, [9.0, 14.25, 11.75])


def test_adversary_reach():
    # exposure * K_adv * r_adv = [1, 0.5, 0] * 100 * 0.6 = [60, 30, 0]
    out = deterrence.adversary_reach(np.array([1.0, 0.5, 0.0]), 100.0, 0.6)
    assert_allclose(out, [60.0, 30.0, 0.0])


def test_prevail_probability_contest_function():
    e, a = np.array([9.0, 30.0, 5.0, 0.0]), np.array([27.0, 10.0, 0.0, 0.0])
    # g = 1: 9 / 36 = 0.25, 30 / 40 = 0.75; no reach -> 1 (also when both are 0)
    assert_allclose(deterrence.prevail_probability(e, a, 1.0), [0.25, 0.75, 1.0, 1.0])
    # g = 2: 81 / (81 + 729) = 0.1, 900 / 1000 = 0.9
    assert_allclose(deterrence.prevail_probability(e, a, 2.0), [0.1, 0.9, 1.0, 1.0])


def test_belief():
    # 3 / (3 + 1) = 0.75
    assert deterrence.belief(3.0, 1.0) == approx(0.75)
    assert deterrence.belief(7.0, 3.0) == approx(0.7)


def test_response_probability_with_tripwire():
    presence_ = np.array([0.0, 1.5, 6.0])
    coverage = np.array([1.0, 1.0, 0.5])
    out = deterrence.response_probability(0.6, presence_, 3.0, 0.5, coverage)
    # base = 0.6 * coverage = [0.6, 0.6, 0.3]; trip = 0.5 * min(1, FP / 3) = [0, 0.25, 0.5]
    # [0.6, 0.6 + 0.4 * 0.25, 0.3 + 0.7 * 0.5] = [0.6, 0.7, 0.65]
    assert_allclose(out, [0.6, 0.7, 0.65])
    # per-nation beliefs (members vs partners) with a 0/1 coverage mask:
    # base = [0.6, 0.3, 0]; trip = [0, 0.25, 0] -> [0.6, 0.3 + 0.7 * 0.25, 0] = [0.6, 0.475, 0]
    out = deterrence.response_probability(
        np.array([0.6, 0.3, 0.9]), np.array([0.0, 1.5, 0.0]), 3.0, 0.5, np.array([1, 1, 0])
    )
    assert_allclose(out, [0.6, 0.475, 0.0])
    # no tripwire strength: credibility times coverage
    assert_allclose(
        deterrence.response_probability(0.6, presence_, 0.0, 0.5, coverage), [0.6, 0.6, 0.3]
    )


def test_deterrence_index():
    p_fail = np.array([0.2, 0.6, 0.9])
    member = np.array([True, True, False])
    # (0.2 * 1 + 0.6 * 0.5) / (1 + 0.5) = 1/3; the non-member is ignored
    assert deterrence.deterrence_index(p_fail, np.array([1.0, 0.5, 1.0]), member) == approx(1 / 3)
    # no exposed member: plain mean (0.2 + 0.6) / 2 = 0.4
    assert deterrence.deterrence_index(p_fail, np.array([0.0, 0.0, 1.0]), member) == approx(0.4)
    assert math.isnan(deterrence.deterrence_index(p_fail, np.zeros(3), np.zeros(3, bool)))


# crises, the escalation ladder and the spiral: tests/test_crises.py


# =============================================================================== information
def test_campaign_damage():
    row = np.array([1.0, 0.5, 0.2])
    out = information.campaign_damage(row, 45.0, 0.2, 90.0, 0.5, 0.6)
    # time 45 / 90 = 0.5; shield 1 - 0.6 * 0.5 = 0.7
    # 0.2 * (1 - A) * 0.5 * 0.7 = 0.07 * [0, 0.5, 0.8] = [0, 0.035, 0.056]
    assert_allclose(out, [0.0, 0.035, 0.056])
    # undetected longer than the reference: time factor capped at 1 -> [0, 0.07, 0.112]
    assert_allclose(information.campaign_damage(row, 180.0, 0.2, 90.0, 0.5, 0.6), [0, 0.07, 0.112])


def test_detection_days():
    # inside the group: exponential with mean 60 * 0.3 = 18; outside: mean 60
    got = information.detection_days(np.random.default_rng(7), 60.0, True, 0.3)
    assert got == approx(np.random.default_rng(7).exponential(18.0))
    got = information.detection_days(np.random.default_rng(7), 60.0, False, 0.3)
    assert got == approx(np.random.default_rng(7).exponential(60.0))
    assert information.detection_days(np.random.default_rng(7), 0.0, False, 0.3) == 0.0


def test_apply_campaign():
    t = flat(3, 0.5)
    information.apply_campaign(t, 0, np.array([0, 1, 2]), np.array([0.9, 0.2, 0.5]))
    # both directions between target 0 and others: 0.5 * 0.8 = 0.4 (nation 1),
    # 0.5 * 0.5 = 0.25 (nation 2); the target's own damage entry is ignored; 1-2 untouched
    expected = flat(3, 0.5)
    expected[0, 1] = expected[1, 0] = 0.4
    expected[0, 2] = expected[2, 0] = 0.25
    assert_allclose(t, expected)


# =============================================================================== presence
def test_presence_by_host():
    # two units at 1 (3 and 2 billion), one at 3 (3 billion)
    out = presence.presence_by_host(4, [(1, 3.0), (1, 2.0), (3, 3.0)])
    assert_allclose(out, [0.0, 5.0, 0.0, 3.0])


def test_contributor_costs():
    groups = [(1, [0, 2]), (3, [0]), (2, [])]
    out = presence.contributor_costs(4, groups, 0.6, 6)
    # each unit costs 0.6 * 6 / 12 = 0.3: split 0.15 / 0.15 between 0 and 2, 0.3 to 0 alone;
    # a unit without contributors costs nobody
    assert_allclose(out, [0.45, 0.0, 0.15, 0.0])


def test_duplicate_battlegroup_contributor_is_rejected():
    # costs are split equally among those listed, so a contributor listed twice would halve the
    # unit's cost: the scenario loader rejects it (the pure function trusts its input)
    import yaml

    from simulation.errors import ScenarioError
    from simulation.scenario import scenario_from_mapping

    root = Path(__file__).resolve().parent.parent
    data = yaml.safe_load((root / "scenarios" / "teaching.yaml").read_text(encoding="utf-8"))
    data["presence"] = {"battlegroups": [{"host": "EEE", "contributors": ["AAA", "AAA"]}]}
    with pytest.raises(ScenarioError, match="listed twice"):
        scenario_from_mapping(data)


def test_reassure():
    t = flat(3, 0.5)
    presence.reassure(t, [(0, [1, 0, 2])], 0.19, 24)
    # share = 1 - 0.81 ** 2 = 0.3439; host 0 in 1 and 2: 0.5 + 0.3439 * 0.5 = 0.67195;
    # the host listed as its own contributor is skipped; contributors' trust in the host unchanged
    expected = flat(3, 0.5)
    expected[0, 1] = expected[0, 2] = 0.67195
    assert_allclose(t, expected)


# =============================================================================== operations
def test_shares_and_fair_shares():
    assert_allclose(operations.shares(np.array([3.0, 1.0])), [0.75, 0.25])
    assert_allclose(operations.shares(np.zeros(2)), [0.5, 0.5])  # nothing given: equal split
    assert_allclose(operations.fair_shares(np.array([300.0, 100.0])), [0.75, 0.25])


def test_cooperate():
    t, q = flat(3, 0.4), flat(3, 0.5)
    operations.cooperate(t, q, np.array([0, 1]), 0.5, 0.25)
    # Q01 = 0.5 + 0.5 * 0.5 = 0.75; T01 = 0.4 + 0.25 * 0.6 = 0.55; pairs with 2 untouched
    eq, et = flat(3, 0.5), flat(3, 0.4)
    eq[0, 1] = eq[1, 0] = 0.75
    et[0, 1] = et[1, 0] = 0.55
    assert_allclose(q, eq)
    assert_allclose(t, et)


def test_unfairness_trust():
    t = flat(3, 0.5)
    c = np.array([0, 1, 2])
    actual, fair = np.array([0.5, 0.1, 0.4]), np.array([0.25, 0.5, 0.25])
    short = operations.unfairness_trust(t, c, actual, fair, 0.5)
    # shortfall of 1: (0.5 - 0.1) / 0.5 = 0.8; over-contributors 0 and 2 lose
    # 0.5 * 0.8 = 0.4 of their trust in 1: 0.5 * 0.6 = 0.3
    assert_allclose(short, [0.0, 0.8, 0.0])
    expected = flat(3, 0.5)
    expected[0, 1] = expected[2, 1] = 0.3
    assert_allclose(t, expected)


def test_step_mission_cost_split():
    t, q = flat(3, 0.5), flat(3, 0.5)
    mission = operations.Mission("m", np.array([0, 1]), np.array([3.0, 1.0]), end_step=10)
    gdp = np.array([100.0, 100.0, 50.0])
    costs = operations.step_mission(mission, t, q, gdp, 12, 0.5, 0.2, 0.4, 2.0)
    # 12-month step: per-step shares equal the yearly ones
    # cooperation: Q01 = 0.5 + 0.5 * 0.5 = 0.75; T01 = T10 = 0.5 + 0.2 * 0.5 = 0.6
    # actual shares [0.75, 0.25], fair [0.5, 0.5]; shortfall of 1: 0.25 / 0.5 = 0.5
    # over-contributor 0 loses 0.4 * 0.5 = 0.2 of its trust in 1: 0.6 * 0.8 = 0.48
    # costs: [0.75, 0.25] * 2 = [1.5, 0.5]
    assert_allclose(costs, [1.5, 0.5])
    assert q[0, 1] == approx(0.75) and q[1, 0] == approx(0.75)
    assert t[0, 1] == approx(0.48) and t[1, 0] == approx(0.6)
    assert_allclose(t[2], [0.5, 0.5, 1.0])  # non-contributor untouched
    assert_allclose(q[:, 2], [0.5, 0.5, 1.0])
    # six-month step: costs [0.75, 0.25] * 2 * 6 / 12 = [0.75, 0.25]
    costs = operations.step_mission(mission, flat(3, 0.5), flat(3, 0.5), gdp, 6, 0.5, 0.2, 0.4, 2.0)
    assert_allclose(costs, [0.75, 0.25])


# =============================================================================== enlargement
def test_ratification_months_no_holdouts():
    delays, holdouts = enlargement.ratification_months(
        np.random.default_rng(5), np.array([0.0, 0.3, 0.9]), 10.0, 0.0, 12.0
    )
    assert not holdouts.any()
    # the same draws as the generator's first exponential(10, 3)
    assert_allclose(delays, np.random.default_rng(5).exponential(10.0, 3))


def test_ratification_months_all_hold_out():
    # probability 1 * (1 - 0) = 1: every member holds out (uniforms are < 1)
    delays, holdouts = enlargement.ratification_months(
        np.random.default_rng(5), np.zeros(4), 10.0, 1.0, 12.0
    )
    assert holdouts.all()
    ref = np.random.default_rng(5)
    base, _, extra = ref.exponential(10.0, 4), ref.random(4), ref.exponential(12.0, 4)
    assert_allclose(delays, base + extra)
    # fully aligned members never hold out: 1 * (1 - 1) = 0
    _, holdouts = enlargement.ratification_months(
        np.random.default_rng(5), np.ones(4), 10.0, 1.0, 12.0
    )
    assert not holdouts.any()
    # zero means: no delay at all
    delays, holdouts = enlargement.ratification_months(
        np.random.default_rng(5), np.zeros(3), 0.0, 1.0, 0.0
    )
    assert holdouts.all()
    assert_allclose(delays, 0.0)


# =============================================================================== metrics
def test_member_pair_mean():
    m = np.array([[1.0, 0.2, 0.4], [0.6, 1.0, 0.8], [0.9, 0.9, 1.0]])
    # members 0 and 2: (0.4 + 0.9) / 2 = 0.65
    assert metrics.member_pair_mean(m, np.array([True, False, True])) == approx(0.65)
    # all: (0.2 + 0.4 + 0.6 + 0.8 + 0.9 + 0.9) / 6 = 3.8 / 6
    assert metrics.member_pair_mean(m, np.ones(3, bool)) == approx(3.8 / 6)
    assert math.isnan(metrics.member_pair_mean(m, np.array([False, True, False])))


def test_interest_alignment():
    x = np.array([[0.0, 1.0], [1.0, 1.0], [0.5, 0.5]])
    # members 0, 1: sd of [0, 1] = 0.5, sd of [1, 1] = 0 -> mean 0.25 -> 1 - 2 * 0.25 = 0.5
    assert metrics.interest_alignment(x, np.array([True, True, False])) == approx(0.5)
    # identical interests: 1; a single member: 1
    assert metrics.interest_alignment(x[[1, 1]], np.array([True, True])) == approx(1.0)
    assert metrics.interest_alignment(x, np.array([True, False, False])) == 1.0


def test_consensus_rate_has_no_prior():
    assert np.isnan(metrics.consensus_rate(0, 0))  # an empty window says nothing
    assert metrics.consensus_rate(3, 4) == approx(0.75)
    assert metrics.consensus_rate(10, 10) == 1.0
    assert metrics.consensus_rate(0, 10) == 0.0


def test_cohesion_leaves_out_an_unknown_component():
    # no decision in the window: (0.8 * 0.5) ** (1 / 2)
    assert metrics.cohesion(0.8, 0.5, float("nan")) == approx(0.4**0.5)


def test_window_mean_by_hand():
    series = np.array([9.0, 1.0, 2.0, np.nan, 4.0])
    assert metrics.window_mean(series, 3) == approx(3.0)  # (2 + 4) / 2, NaN left out
    assert metrics.window_mean(series, 1) == 4.0
    assert metrics.window_mean(series, 100) == approx(4.0)  # (9 + 1 + 2 + 4) / 4
    assert np.isnan(metrics.window_mean(np.array([np.nan]), 1))


def test_cohesion_geometric_mean():
    # (0.8 * 0.5 * 0.4) ** (1 / 3) = 0.16 ** (1 / 3) = 0.542884
    assert metrics.cohesion(0.8, 0.5, 0.4) == approx(0.16 ** (1 / 3))
    # weights (2, 1, 1): (0.8 ** 2 * 0.5 * 0.4) ** (1 / 4) = 0.128 ** 0.25 = 0.598140
    assert metrics.cohesion(0.8, 0.5, 0.4, (2.0, 1.0, 1.0)) == approx(0.128**0.25)
    # a collapsing component collapses cohesion: (0.9 ** 2 * 1e-12) ** (1 / 3) ~ 9.3e-5
    assert metrics.cohesion(0.9, 0.9, 0.0) == approx((0.81 * 1e-12) ** (1 / 3))
    assert metrics.cohesion(0.9, 0.9, 0.0) < 1e-3
    # ... unless its weight is 0: sqrt(0.8 * 0.5) = 0.632456
    assert metrics.cohesion(0.8, 0.5, 0.0, (1.0, 1.0, 0.0)) == approx(math.sqrt(0.4))
    # components are clipped to [0, 1]
    assert metrics.cohesion(1.5, 1.0, 1.0) == approx(1.0)
    assert math.isnan(metrics.cohesion(0.5, 0.5, 0.5, (0.0, 0.0, 0.0)))


def test_spearman_hand_value_with_ties():
    x = np.array([1.0, 2.0, 2.0, 3.0, 5.0])
    y = np.array([2.0, 1.0, 4.0, 4.0, 3.0])
    # ranks x: [1, 2.5, 2.5, 4, 5]; y: [2, 1, 4.5, 4.5, 3]; mean 3 each
    # dx = [-2, -0.5, -0.5, 1, 2]; dy = [-1, -2, 1.5, 1.5, 0]
    # sum dx dy = 2 + 1 - 0.75 + 1.5 + 0 = 3.75; sum dx^2 = sum dy^2 = 9.5 -> 3.75 / 9.5
    assert metrics.spearman(x, y) == approx(3.75 / 9.5)
    assert metrics.spearman(x, y) == approx(stats.spearmanr(x, y).statistic)
    assert metrics.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == approx(1.0)
    assert metrics.spearman([1, 2, 3, 4], [40, 30, 20, 10]) == approx(-1.0)


def test_spearman_matches_scipy_on_random_ties():
    rng = np.random.default_rng(2024)
    for _ in range(50):
        n = int(rng.integers(3, 12))
        x = rng.integers(0, 4, n).astype(float)  # many ties
        y = rng.integers(0, 4, n).astype(float)
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            continue
        assert metrics.spearman(x, y) == approx(stats.spearmanr(x, y).statistic)


def test_spearman_nan_cases():
    assert math.isnan(metrics.spearman([1.0, 2.0], [2.0, 1.0]))  # fewer than 3 values
    assert math.isnan(metrics.spearman([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]))  # constant x
    assert math.isnan(metrics.spearman([1.0, 2.0, 3.0], [5.0, 5.0, 5.0]))  # constant y


def test_spearman_propagates_nan_like_scipy():
    x, y = np.array([1.0, 2.0, np.nan, 4.0]), np.array([1.0, 2.0, 3.0, 5.0])
    assert math.isnan(stats.spearmanr(x, y).statistic)
    assert math.isnan(metrics.spearman(x, y))


def test_average_ranks():
    # [3, 1, 3, 2] -> 1 is rank 1, 2 rank 2, the two 3s share (3 + 4) / 2 = 3.5
    assert_allclose(metrics.average_ranks(np.array([3.0, 1.0, 3.0, 2.0])), [3.5, 1.0, 3.5, 2.0])
    x = np.array([5.0, 5.0, 5.0, 1.0, 7.0, 1.0])
    assert_allclose(metrics.average_ranks(x), stats.rankdata(x))


# --------------------------------------------------------------------------- issue 12 rules
def test_derived_demand_inverts_the_budget_rules_by_hand():
    # nation 0: share 0.03 >= pledge 0.02, so b = 0.03; spillover share c = 0.5 ** rho = 0.5:
    #   alpha = min(0.03 / 0.5, 0.03 + 0.5 * 0.5) = min(0.06, 0.28) = 0.06 (the private floor)
    # nation 1: share 0.011 < pledge: b = (0.011 - 0.3 * 0.02) / 0.7 = 0.005 / 0.7;
    #   c = 0.01: alpha = min(b / 0.5, b + 0.005) = b + 0.005 = 0.0121429
    # threat 0.5, sensitivity 2: d = alpha / 2
    d = burden.derived_demand(
        np.array([0.03, 0.011]), np.array([0.5, 0.01]), np.array([0.5, 0.5]), 0.5, 2.0, 0.02, 0.3
    )
    assert_allclose(d, [0.03, (0.005 / 0.7 + 0.005) / 2])


@pytest.mark.parametrize("rho", [0.0, 0.4, 1.0])
def test_derived_demand_makes_the_observed_share_the_target(rho):
    rng = np.random.default_rng(4)
    gdp = rng.uniform(10, 1000, 6)
    share = rng.uniform(0.01, 0.04, 6)
    sigma = rng.uniform(0, 0.6, (6, 6))
    np.fill_diagonal(sigma, 0.0)
    threat = rng.uniform(0, 1, 6)
    spill = sigma @ (gdp * share) / gdp
    d = burden.derived_demand(share, spill, threat, rho, 1.5, 0.02, 0.3)
    alpha = burden.demand_share(threat, d, 1.5)
    best = burden.best_response_share(gdp, share, alpha, sigma, rho)
    assert_allclose(burden.target_share(best, 0.02, 0.3), share, atol=1e-12)


def test_converge_interests_by_hand():
    x = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    exercises.converge_interests(x, np.array([0, 1]), 0.1)
    # mean of rows 0, 1 is [0.5, 0.5]; each closes 10 % of its gap; row 2 untouched
    assert_allclose(x, [[0.05, 0.95], [0.95, 0.05], [0.5, 0.5]])


def test_drift_interests_by_hand(consensus_params):
    p = consensus_params(interest_convergence=0.1, interest_divergence=0.5)
    x = np.array([[0.2, 0.2], [0.8, 0.9], [0.6, 0.6]])
    prop = consensus.Proposal(kind="plain", proposer=0, position=np.array([0.4, 0.4]))
    adopted = consensus.Decision(prop, True, 1, 7.0, 0.0, 1.0, np.array([0]), np.array([], int))
    negotiation.drift_interests(x, adopted, p)
    assert_allclose(x[0], [0.22, 0.22])  # 0.2 + 0.1 * (0.4 - 0.2)
    blocked = consensus.Decision(prop, False, 1, 7.0, 0.0, 0.5, np.array([2]), np.array([1]))
    negotiation.drift_interests(x, blocked, p)
    assert_allclose(x[1], [1.0, 1.0])  # 0.8 + 0.5 * 0.4 = 1.0; 0.9 + 0.25 -> clipped to 1
    assert_allclose(x[2], [0.6, 0.6])  # supporters of a blocked proposal do not move


def test_outvoted_members_pay_a_sovereignty_cost_under_qmv(consensus_params):
    p = consensus_params(rule="qualified_majority", qmv_threshold=0.5)
    # three voters; the third opposes (negative utility) but the first two hold 80 % of influence
    x = np.array([[0.5, 0.5], [0.5, 0.5], [0.0, 0.0]])
    prop = consensus.Proposal(kind="plain", proposer=0, position=np.array([0.5, 0.5]))
    kind = ProposalKind(1.0, 0.0, 0.0, 0.0)
    decision = negotiation.negotiate(
        prop,
        kind,
        np.arange(3),
        x,
        np.zeros(3),
        np.ones((3, 3)),
        np.zeros(3),
        np.array([0.4, 0.4, 0.2]),
        np.zeros(3),
        dataclasses.replace(p, support_threshold=0.8),
    )
    assert decision.adopted and list(decision.outvoted) == [2]


def test_ratification_months_by_procedure_and_dispute():
    # members 0 (parliament, mean 3), 1 (executive, mean 0.5), 2 (parliament, dispute of mean 8)
    means = enlargement.member_means(3, [1], 3.0, 0.5)
    assert_allclose(means, [3.0, 0.5, 3.0])
    disputes = enlargement.dispute_matrix(4, [(2, 3, 8.0)])
    assert disputes[2, 3] == 8.0 and disputes.sum() == 8.0
    delays, holdouts = enlargement.ratification_months(
        np.random.default_rng(11), np.ones(3), means, 0.0, 12.0, disputes[:3, 3], 4.0
    )
    # the dispute names the holdout: only member 2, whatever its alignment (all are aligned)
    assert holdouts.tolist() == [False, False, True]
    ref = np.random.default_rng(11)
    base = ref.exponential(1.0, 3) * [3.0, 0.5, 3.0]  # standard exponentials times each mean
    ref.random(3)
    ref.exponential(12.0, 3)
    extra = ref.gamma(4.0, [1.0, 1.0, 2.0])  # scale = mean / shape for the disputed member
    assert_allclose(delays, base + extra * [0, 0, 1])


def test_ratification_latency_grows_with_the_number_of_members():
    # expected maximum of n exponential delays with mean m is m * H_n (harmonic number)
    rng = np.random.default_rng(3)
    for n, h_n in ((1, 1.0), (4, 25 / 12), (16, sum(1 / k for k in range(1, 17)))):
        latest = [
            enlargement.ratification_months(rng, np.ones(n), 2.0, 0.0, 0.0)[0].max()
            for _ in range(4000)
        ]
        assert abs(np.mean(latest) - 2.0 * h_n) < 0.1 * 2.0 * h_n
