"""Crises, the escalation ladder and the security spiral: rules by hand, behaviour in runs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose
from pytest import approx

from simulation import load_scenario
from simulation.mechanisms import aftermath, crises, spiral
from simulation.mechanisms import escalation as ladder
from simulation.model import AllianceModel
from simulation.runner import run
from tests.synthetic import alliance

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


# ------------------------------------------------------------------ rules, computed by hand
def test_challenge_values_by_hand():
    """A foreseen crisis: respond w.p. 0.5 (commitment, D = 0.6) or stand alone (D = 0)."""
    p = crises.CrisisParams(audience_cost=0.1, hold_share=0.5, military_cost=0.2, war_cost=2.0)
    # rationality 0: the expected utility is the plain mean of the three reactions
    # commitment, stake 0.5, D 0.6, failure cost 1: back -0.1; hold 0.1 - 0.2 = -0.1;
    # escalate 0.2 - 0.6 - 0.2 - 2 = -2.6; mean -0.933333
    # alone, D 0: back -0.1; hold 0.25; escalate 0.5 - 0.4 = 0.1; mean 0.083333
    value = ladder.challenge_values(0.5, 0.5, 0.6, 0.0, ladder.MILITARY, p, 1.0, 0.0)
    assert value == approx(0.5 * (-2.8 / 3) + 0.5 * (0.25 / 3))
    # very rational: the best reaction in each branch: max(-0.1, -0.1, -2.6), max(.., 0.25, ..)
    value = ladder.challenge_values(0.5, 0.5, 0.6, 0.0, ladder.MILITARY, p, 1.0, 1e4)
    assert value == approx(0.5 * -0.1 + 0.5 * 0.25)
    # vectorised over targets: a surer response lowers the value
    values = ladder.challenge_values(
        np.array([0.5, 0.5]), np.array([0.2, 0.9]), 0.6, 0.0, ladder.MILITARY, p, 1.0, 8.0
    )
    assert values[1] < values[0]


def test_expected_utility_of_a_logit_chooser():
    u = np.array([0.0, 1.0])
    # lambda ln 3: weights [1, 3] -> (0 + 3) / 4
    assert ladder.expected_utility(u, math.log(3.0)) == approx(0.75)


def test_role_group():
    assert ladder.role_group(True, False) == "members"
    assert ladder.role_group(False, True) == "partners"
    assert ladder.role_group(False, False) == "others"


def test_choice_probabilities_by_hand():
    # lambda 2, u = [0 (no challenge), 0.5, 0]: exp([0, 1, 0]) = [1, e, 1] / (2 + e)
    p = ladder.choice_probabilities(np.array([0.5, 0.0]), 2.0, 0.0)
    e = math.e
    assert_allclose(p, [1 / (2 + e), e / (2 + e), 1 / (2 + e)])
    assert_allclose(p, [0.211942, 0.576117, 0.211942], atol=1e-6)
    # rationality 0: every option equally likely, whatever the utilities
    assert_allclose(ladder.choice_probabilities(np.array([5.0, -3.0]), 0.0, 1.0), [1 / 3] * 3)
    # a status quo worth more lowers every challenge's probability
    assert ladder.choice_probabilities(np.array([0.5]), 2.0, 0.5)[1] == approx(0.5)


def test_draw_is_the_inverse_cdf():
    p = np.array([0.211942, 0.576117, 0.211942])
    assert ladder.draw(0.2, p) == 0
    assert ladder.draw(0.22, p) == 1
    assert ladder.draw(0.78, p) == 1
    assert ladder.draw(0.79, p) == 2
    assert ladder.draw(0.999999, p) == 2


def test_opportunity_hazard():
    # 3 a year, one month: P = 1 - exp(-0.25) = 0.221199
    assert ladder.opportunity(0.2211, 3.0, 1) is True
    assert ladder.opportunity(0.2213, 3.0, 1) is False
    assert ladder.opportunity(0.0, 0.0, 1) is False


PAYOFFS = crises.CrisisParams(
    audience_cost=0.1,
    hold_share=0.5,
    support_cost=0.1,
    military_cost=0.2,
    war_cost=2.0,
    local_war_cost=0.4,
)


def test_reaction_utilities_by_hand():
    # stake 0.5, D 0.6: gain 0.2; back -0.1; hold 0.5 * 0.2 - c;
    # escalate 0.2 - failure_cost * 0.6 - c - fight cost
    mil = ladder.reaction_utilities(0.5, 0.6, ladder.MILITARY, PAYOFFS, 0.0)
    assert_allclose(mil, [-0.1, -0.1, -2.0])
    sup = ladder.reaction_utilities(0.5, 0.6, ladder.SUPPORT, PAYOFFS, 0.5)
    assert_allclose(sup, [-0.1, 0.0, -0.6])  # 0.2 - 0.3 - 0.1 - 0.4


def test_war_only_when_both_stand_firm():
    # facing a commitment with a war cost of 2, escalation is the least likely move
    u = ladder.reaction_utilities(0.5, 0.6, ladder.MILITARY, PAYOFFS, 0.0)
    p = ladder.choice_probabilities(u[1:], 8.0, u[0])
    # exp(8 * [-0.1, -0.1, -2.0]): escalation 1 / (2 + exp(-15.2)) * exp(-15.2) ~ 1.2e-7
    assert p[2] == approx(math.exp(-15.2) / (2 + math.exp(-15.2)))
    assert p[0] == approx(p[1])


def test_response_level():
    assert ladder.response_level(True, np.zeros(4), 0.3, ladder.MILITARY) == ladder.MILITARY
    assert ladder.response_level(True, np.zeros(4), 0.3, ladder.SUPPORT) == ladder.SUPPORT
    # not adopted: the highest lesser rung with a quorum of willing influence
    assert ladder.response_level(False, np.array([1, 0.5, 0.2, 0.1]), 0.3, 3) == ladder.POLITICAL
    assert ladder.response_level(False, np.array([1, 0.5, 0.4, 0.0]), 0.3, 3) == ladder.SUPPORT
    assert ladder.response_level(False, np.array([1, 0.1, 0.1, 0.0]), 0.3, 3) == ladder.NONE
    assert ladder.response_level(False, np.array([1, 0.5, 0.4, 0.0]), 0.3, 1) == ladder.POLITICAL


def test_evidence_and_aggression():
    assert ladder.evidence(ladder.MILITARY) == (1.0, 0.0)
    assert ladder.evidence(ladder.NONE) == (0.0, 1.0)
    assert_allclose(ladder.evidence(ladder.SUPPORT), (2 / 3, 1 / 3))
    assert ladder.aggression_after(0.5, 1.0, 0.2, 0.1) == approx(0.6)
    assert ladder.aggression_after(0.5, 0.25, 0.2, 0.1) == approx(0.525)
    assert ladder.aggression_after(0.5, 0.0, 0.2, 0.1) == approx(0.45)


def test_abandonment():
    t = np.full((3, 3), 0.5)
    np.fill_diagonal(t, 1.0)
    aftermath.abandonment(t, 0, [0, 1], [2, 0], 0.2, 0.5)
    # target 0: in non-supporter 2: 0.5 * 0.8 = 0.4; in supporter 1: 0.5 + 0.5 * 0.5 = 0.75
    assert t[0, 2] == approx(0.4) and t[0, 1] == approx(0.75)
    assert t[1, 0] == 0.5 and t[0, 0] == 1.0


def test_entrapment():
    resolve = np.array([0.8, 0.6, 0.5])
    aftermath.entrapment(resolve, [0, 1], np.array([0.1, 0.5, 0.0]), 0.3, 0.25)
    assert_allclose(resolve, [0.6, 0.6, 0.5])


def test_spiral_rules_by_hand():
    assert spiral.aggression_level(0.4, 0.5, 1.0, 0.5) == approx(0.55)  # 0.4 + 0.25 * 0.6
    assert spiral.aggression_level(0.4, 0.5, 0.0, 0.5) == 0.4
    p = spiral.SpiralParams(arms_response=0.5, readiness_response=0.5)
    share, ready = spiral.arms_targets(np.array([0.05]), np.array([0.6]), 0.5, 1.0, p)
    assert_allclose(share, [0.0625])  # 0.05 * (1 + 0.5 * 0.5)
    assert_allclose(ready, [0.7])  # 0.6 + 0.25 * 0.4


# ------------------------------------------------------------------ behaviour in the model
def _synthetic(**sections):
    return alliance(6, seed=2, exposure=[0.6, 0.6, 0.6, 0.6, 0.0, 0.0], **sections)


def test_challenges_spread_over_targets_of_similar_utility():
    """Four equally exposed members: no target takes all challenges (the argmax rule did).

    At the fitted rationality, with a status quo worth less than challenging (so that there are
    enough challenges to count).
    """
    scenario = _synthetic(
        adversary={"aggression": 0.9, "challenge_rate_per_year": 12.0},
        crises={"status_quo_utility": -1.0},
    )
    result = run(scenario, steps=120, replications=3)
    ev = result.events[result.events.event.isin(("crisis", "challenge"))]
    counts = ev.actor.value_counts()
    assert len(ev) >= 20, "too few challenges to judge the spread"
    assert len(counts) >= 3
    assert counts.iloc[0] / counts.sum() < 0.6


def _exercise_only_spiral(weight: float, tempo: float):
    """Exercises whose only effect on the adversary is the spiral (no signal, no gains, no cost)."""
    return _synthetic(
        adversary={"aggression": 0.6, "challenge_rate_per_year": 12.0, "exercise_signal": 0.0},
        exercises={
            "tempo_per_year": tempo,
            "interop_gain": 0.0,
            "trust_gain": 0.0,
            "readiness_gain": 0.0,
            "cost_busd_per_participant": 0.0,
            "spiral_gain": 0.1,
        },
        spiral={"threat_weight": weight, "aggression_response": 1.0},
    )


def _challenges(scenario, seeds=range(4)) -> list[int]:
    return [run(scenario, steps=120, seed=s).summary["challenges"] for s in seeds]


def test_suspending_exercises_lowers_challenges_when_the_spiral_is_weighted():
    with_ex = _challenges(_exercise_only_spiral(1.0, 24.0))
    without = _challenges(_exercise_only_spiral(1.0, 0.0))
    assert sum(without) < sum(with_ex)
    assert all(w <= x for w, x in zip(without, with_ex, strict=True))


def test_suspending_exercises_changes_nothing_the_adversary_does_at_weight_zero():
    assert _challenges(_exercise_only_spiral(0.0, 24.0)) == _challenges(
        _exercise_only_spiral(0.0, 0.0)
    )


def test_spiral_raises_adversary_arms_and_readiness():
    scenario = _exercise_only_spiral(1.0, 24.0)
    ts = run(scenario, steps=60, seed=1).timeseries
    assert ts.adversary_readiness.iloc[-1] > ts.adversary_readiness.iloc[0]
    assert ts.adversary_defence_share.iloc[-1] > ts.adversary_defence_share.iloc[0]
    # at weight 0 exercises leave the adversary's arms where crises alone put them
    flat = run(_exercise_only_spiral(0.0, 24.0), steps=60, seed=1).timeseries
    none = run(_exercise_only_spiral(0.0, 0.0), steps=60, seed=1).timeseries
    assert_allclose(flat.adversary_readiness, none.adversary_readiness)
    assert_allclose(flat.adversary_defence_share, none.adversary_defence_share)


def test_support_short_of_war_strengthens_a_partner():
    """Arms and intelligence raise the partner's own forces and its chance to hold alone."""
    model = AllianceModel(_synthetic(), seed=0)
    s = model.state
    target, backers = 0, np.array([1, 2])
    s.member[target], s.partner[target] = False, True  # make nation 0 a partner
    before_k, before_r = s.capability.copy(), s.readiness.copy()
    alone_before = crises.defence_at(model, target, np.zeros(0, int), ladder.NONE, True)
    aftermath.consequences(model, target, ladder.SUPPORT, backers, None)
    p = model.spec.crises
    delivered = p.arms_transfer_share * before_k[backers]
    assert_allclose(s.capability[backers], before_k[backers] - delivered)
    assert s.capability[target] == approx(before_k[target] + delivered.sum())
    gap = 1 - before_r[target]
    assert s.readiness[target] == approx(before_r[target] + p.intel_readiness_gain * gap)
    alone_after = crises.defence_at(model, target, np.zeros(0, int), ladder.NONE, True)
    assert alone_after > alone_before


def test_no_adversary_gives_null_deterrence_and_crisis_keys():
    result = run(load_scenario(SCENARIOS / "mediterranean_dialogue.yaml"), steps=12)
    summary = result.summary
    for key in ("deterrence", "challenges", "crises", "wars", "response_military"):
        assert summary[key] is None, key
    assert result.timeseries.deterrence.isna().all()
    assert result.timeseries.deterrence_min.isna().all()


def test_deterrence_aggregations_are_ordered():
    model = AllianceModel(load_scenario(SCENARIOS / "baltic_efp.yaml"), seed=0)
    assert model.deterrence_min <= model.deterrence_mean <= 1.0
    assert model.deterrence_min <= model.deterrence <= 1.0


def test_counts_add_up():
    result = run(
        _synthetic(adversary={"aggression": 0.9, "challenge_rate_per_year": 12.0}),
        steps=120,
        replications=2,
    )
    for rep in result.summary["replications"]:
        assert rep["challenges"] == sum(rep[f"challenges_{g}"] for g in ladder.ROLE_GROUPS)
        assert rep["challenges"] == rep["backed_down"] + rep["held"] + rep["escalated"]
        assert rep["crises"] == sum(rep[f"response_{r}"] for r in ladder.RUNGS)
        assert rep["crises_conceded"] == rep["response_none"]
        assert rep["wars"] <= rep["response_military"]
