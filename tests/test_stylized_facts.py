"""Stylized facts from the literature, each checked on replications with fixed seeds.

Each test states the fact, its source, and the comparison. The comparisons are on means over
replications paired by seed (common random numbers), so a failure means the mechanism, not the
noise, changed.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from synthetic import alliance, code

from simulation import load_scenario, run
from simulation.rng import replication_seeds
from simulation.runner import run_once
from simulation.scenario import resolve

ROOT = Path(__file__).resolve().parent.parent
SEEDS = replication_seeds(20261122, 8)


def finals(scenario, keys, steps=60, seeds=SEEDS, overrides=()):
    """Summary values of ``keys`` for each seed: {key: array over seeds}."""
    scenario = resolve(scenario, overrides=overrides) if overrides else scenario
    summaries = [run_once(scenario, steps, s)["summary"] for s in seeds]
    return {k: np.array([s[k] for s in summaries], dtype=float) for k in keys}


def final(scenario, key, steps=60, seeds=SEEDS, overrides=()):
    """Summary value of ``key`` for each seed (an array over seeds)."""
    return finals(scenario, [key], steps, seeds, overrides)[key]


@pytest.fixture(scope="module")
def teaching():
    return load_scenario(ROOT / "scenarios" / "teaching.yaml")


def test_more_exercises_raise_interoperability_trust_and_deterrence(teaching):
    """More joint exercises raise interoperability, trust and deterrence.

    Exercises build interoperability and readiness (NATO's Connected Forces Initiative rationale)
    and are costly signals of resolve (Fearon 1997, J. Conflict Resolution 41(1)). Tempo 2 vs 24 a
    year, 60 months, 8 paired seeds: every seed must agree in sign.
    """
    keys = ("interoperability", "mean_trust", "deterrence")
    low = finals(teaching, keys, overrides=["exercises.tempo_per_year=2"])
    high = finals(teaching, keys, overrides=["exercises.tempo_per_year=24"])
    for key in keys:
        assert np.all(high[key] > low[key]), f"{key}: high {high[key]} vs low {low[key]}"


def _decisions(scenario, rule, seeds=SEEDS[:4], steps=36):
    sc = resolve(scenario, overrides=[f"consensus.rule={rule}"])
    adopted, latency = [], []
    for seed in seeds:
        ev = run_once(sc, steps, seed)["events"]
        proposals = ev[(ev.event == "proposal") & (ev.kind.isin(_ROUTINE))]
        adopted.append((proposals.outcome == "adopted").mean())
        latency.append(proposals.latency_days.mean())
    return np.mean(adopted), np.mean(latency)


_ROUTINE = ("crisis_response", "common_funding", "exercise_plan", "sanctions", "out_of_area")


def test_decision_rule_changes_adoption_and_latency():
    """Unanimity adopts least and slowest; majority and coalition rules adopt more, faster.

    Each member is a veto player under unanimity, so the winset shrinks and bargaining lasts
    longer (Tsebelis 2002, Veto Players); qualified majority and coalitions of the willing remove
    vetoes (the EU's move to QMV; Coalitions of the willing in NATO practice). A 16-member
    alliance with dispersed interests.
    """
    sc = alliance(16, seed=3, interest_spread=0.35)
    stats = {
        rule: _decisions(sc, rule)
        for rule in (
            "unanimity",
            "qualified_majority",
            "coalition_of_the_willing",
            "silence_procedure",
        )
    }
    una, qmv, cow, sil = (
        stats[r]
        for r in (
            "unanimity",
            "qualified_majority",
            "coalition_of_the_willing",
            "silence_procedure",
        )
    )
    assert qmv[0] > una[0] and cow[0] > una[0] and sil[0] > una[0]
    assert qmv[1] < una[1] and cow[1] < una[1] and sil[1] < una[1]
    assert cow[0] >= qmv[0]


def test_unanimity_latency_grows_with_membership():
    """Under unanimity, decisions take longer as membership grows.

    More members mean more veto players and a higher chance that one holds out (Tsebelis 2002;
    the NATO enlargement debate on decision-making after 1999). Same interest distribution,
    4, 8, 16 and 32 members.
    """
    latencies = []
    for n in (4, 8, 16, 32):
        sc = alliance(n, seed=5, interest_spread=0.3)
        lat = []
        for seed in SEEDS[:4]:
            ev = run_once(sc, 36, seed)["events"]
            lat.append(ev[(ev.event == "proposal") & ev.kind.isin(_ROUTINE)].latency_days.mean())
        latencies.append(np.mean(lat))
    assert all(b > a for a, b in itertools.pairwise(latencies)), latencies


def _exposed_alliance(**sections):
    # Small exposed members (hosts) and one large distant member; a strong adversary.
    gdp = np.array([20000.0, 3000.0, 2000.0, 60.0, 40.0, 50.0])
    exposure = np.array([0.1, 0.3, 0.3, 1.0, 1.0, 1.0])
    return alliance(
        6,
        seed=1,
        gdp_busd=gdp,
        exposure=exposure,
        adversary_gdp_busd=2000,
        adversary_share_pct=6.0,
        **sections,
    )


def test_forward_presence_lowers_challenges():
    """Forward presence lowers the adversary's challenges.

    A tripwire of allied troops makes a response near certain and adds to the local balance
    (Schelling 1966, Arms and Influence; Huth 1988 on the local balance); NATO's Enhanced Forward
    Presence rests on this logic. Battlegroups in the three exposed members vs none, 120 months,
    8 paired seeds: fewer challenges in total and in no seed more.
    """
    groups = [
        {"host": code(3), "contributors": [code(0), code(1)]},
        {"host": code(4), "contributors": [code(0), code(2)]},
        {"host": code(5), "contributors": [code(1), code(2)]},
    ]
    sections = {"adversary": {"aggression": 0.8, "challenge_rate_per_year": 6.0}}
    with_fp = _exposed_alliance(presence={"battlegroups": groups}, **sections)
    without = _exposed_alliance(presence={"battlegroups": groups, "enabled": False}, **sections)
    a = final(with_fp, "challenges", steps=120)
    b = final(without, "challenges", steps=120)
    assert a.sum() < b.sum() and np.all(a <= b), (a, b)


def test_enforced_pledge_raises_spending(teaching):
    """An enforced spending pledge raises members' defence spending.

    The 2% pledge (Wales 2014) works through peer pressure; enforcing it closes the gap from
    below (Sandler and Hartley 1999, ch. 2, on pledges and free riding). Pressure 1 vs 0.
    """
    a = final(teaching, "defence_share_mean", overrides=["burden.pledge_pressure=0"])
    b = final(teaching, "defence_share_mean", overrides=["burden.pledge_pressure=1"])
    assert np.all(b > a)


def _burden_alliance(rho):
    rng = np.random.default_rng(7)
    gdp = np.round(np.exp(rng.uniform(np.log(20), np.log(20000), 12)), 2)
    return alliance(
        12,
        seed=2,
        gdp_busd=gdp,
        exposure=np.full(12, 0.5),  # equal exposure: size, not threat, drives the outcome
        share_pct=2.0,  # everyone starts equal
        burden={
            "demand": "uniform",  # identical tastes: only size differs (Olson and Zeckhauser)
            "private_benefit_share": rho,
            "pledge_pressure": 0.0,
            "adjustment_per_year": 0.5,
            "min_share_pct": 0.1,
        },
        exercises={"tempo_per_year": 24},
    )


def test_pure_public_good_makes_large_members_carry_more_and_joint_products_weaken_it():
    """Pure public good: large allies carry more; joint products weaken the link.

    Olson and Zeckhauser (1966): with a pure public good, large allies bear a larger share of
    GDP (the exploitation of the great by the small): the rank correlation of GDP and defence
    share is positive. With joint products (private benefits, Sandler 1977; Murdoch and Sandler
    1984) the link weakens. Twelve members with equal exposure, equal initial shares, 20 years.
    """
    pure = final(_burden_alliance(0.0), "burden_size_correlation", steps=240, seeds=SEEDS[:3])
    joint = final(_burden_alliance(0.8), "burden_size_correlation", steps=240, seeds=SEEDS[:3])
    assert pure.mean() > 0.5, pure
    assert joint.mean() < pure.mean() - 0.2, (joint, pure)


def test_abandoned_ally_trusts_less(teaching):
    """An ally that is abandoned in a crisis trusts its allies less afterwards.

    The alliance security dilemma: fear of abandonment follows allies' failure to support
    (Snyder 1984, World Politics 36(4)). Same seed, same shocks: with and without the
    abandonment cost. After the first conceded crisis, the target's trust in the allies that did
    not support it is lower with the cost.
    """
    overrides = [
        "crises.support_threshold=3.0",  # nobody will commit forces: every crisis is conceded
        "adversary.aggression=0.9",
        "adversary.challenge_rate_per_year=12",
    ]
    with_cost = resolve(teaching, overrides=overrides)
    no_cost = resolve(teaching, overrides=[*overrides, "crises.abandonment_trust_cost=0"])
    a = run(with_cost, seed=3, steps=36)
    b = run(no_cost, seed=3, steps=36)
    crises = a.events[(a.events.event == "crisis") & (a.events.response == "none")]
    assert len(crises) > 0, "scenario produced no conceded crisis"
    target = crises.iloc[0].actor
    trust_a = a.pairs[(a.pairs["from"] == target) & a.pairs["to"].isin(_members(a))].trust.mean()
    trust_b = b.pairs[(b.pairs["from"] == target) & b.pairs["to"].isin(_members(b))].trust.mean()
    assert trust_a < trust_b - 0.01, (trust_a, trust_b)


def _members(result):
    n = result.nations
    return set(n[n.role == "member"].iso3)


def test_cohesive_capable_alliance_faces_fewer_challenges():
    """A cohesive, capable alliance faces fewer challenges.

    Huth (1988): the local balance and the defender's record deter. Same alliance with allies'
    trust and interoperability high vs low (institutional trust bonus and exercise tempo),
    paired seeds.
    """
    sections = {"adversary": {"aggression": 0.8, "challenge_rate_per_year": 6.0}}
    strong = _exposed_alliance(
        trust={"member_bonus": 0.3}, exercises={"tempo_per_year": 36}, **sections
    )
    weak = _exposed_alliance(
        trust={"member_bonus": 0.0, "baseline_max": 0.4},
        exercises={"enabled": False},
        **sections,
    )
    a = final(strong, "challenges", steps=120)
    b = final(weak, "challenges", steps=120)
    assert a.sum() < b.sum(), (a, b)
