"""The crisis calibration targets (docs/calibration.md, docs/replication.md), each a test.

The full checks run every target's scenarios for 20 replications of their decade and are marked
``slow``; the fast versions run fewer replications with the tolerance stated in each docstring,
so that the default suite still guards the key results.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from analysis.crisis_record import TARGETS, crisis_stats, pooled_share
from simulation import load_scenario
from simulation.runner import run

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
TARGET = {t.name: t for t in TARGETS}


@cache
def stats(name: str, replications: int, variant: str | None = None) -> dict:
    result = run(
        load_scenario(SCENARIOS / f"{name}.yaml"), variant=variant, replications=replications
    )
    return crisis_stats(result)


def within(name: str, value: float | None) -> None:
    t = TARGET[name]
    assert value is not None, f"{name}: no cases to measure"
    assert t.lo <= value <= t.hi, f"{name} = {value:.3f} outside [{t.lo}, {t.hi}] ({t.source})"


# ------------------------------------------------------------------ fast versions (default run)
@pytest.mark.parametrize("scenario", ["nato_1964", "nato_1985"])
def test_no_nato_warsaw_pact_war_fast(scenario):
    """No NATO-Warsaw Pact war: none in 5 replications of the decade (full: <= 1 in 20)."""
    assert stats(scenario, 5)["wars"] == 0


@pytest.mark.parametrize("scenario", ["nato_1964", "nato_1985"])
def test_member_challenges_of_the_recorded_order_fast(scenario):
    """Challenges to members of the order of the record (MID/ICB), 5 replications."""
    within(
        f"member_challenges_per_decade_{scenario}",
        stats(scenario, 5)["challenges_members_per_decade"],
    )


def test_baltic_hosts_challenged_less_under_efp_fast():
    """The eFP lowers challenges of EST, LVA, LTU (10 decades each).

    The absolute target (at most 0.25 a decade) is not met: see the slow, strict-xfail
    test_baltic_hosts_unchallenged_under_efp.
    """
    efp = stats("baltic_efp", 10)["baltic_challenges_per_decade"]
    none = stats("baltic_efp", 10, "no_efp")["baltic_challenges_per_decade"]
    assert none > efp, (efp, none)


def test_commitments_honoured_and_deterrence_success_fast():
    """Leeds et al. and Huth-Russett shares, fast: within twice their tolerance.

    Pooled over four scenarios with member crises, 3 replications (the full test pools every
    scenario over 20).
    """
    pooled = [stats(n, 3) for n in ("nato_2024", "baltic_efp", "pfp_enlargement", "five_eyes")]
    for name, share, weight in (
        ("honoured_share", "honoured", "member_crises"),
        ("immediate_deterrence_success", "immediate_success", "signalled_crises"),
    ):
        value = pooled_share(pooled, share, weight)
        t = TARGET[name]
        half = (t.hi - t.lo) / 2
        assert value is not None and t.lo - half <= value <= t.hi + half, (name, value)


# ------------------------------------------------------------------ full versions (slow)
ALL = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["nato_1964", "nato_1985"])
def test_no_nato_warsaw_pact_war(scenario):
    within(f"alliance_wars_per_decade_{scenario}", stats(scenario, 20)["alliance_wars_per_decade"])


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["nato_1964", "nato_1985"])
def test_member_challenges_of_the_recorded_order(scenario):
    within(
        f"member_challenges_per_decade_{scenario}",
        stats(scenario, 20)["challenges_members_per_decade"],
    )


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="residual (docs/calibration.md): 0.35 a decade at the fitted point, the band is 0-0.25; "
    "jointly infeasible with the nato_1964 challenge target under the scenarios' adversary inputs",
)
def test_baltic_hosts_unchallenged_under_efp():
    within(
        "baltic_challenges_per_decade_efp", stats("baltic_efp", 20)["baltic_challenges_per_decade"]
    )


@pytest.mark.slow
def test_commitments_honoured_as_leeds_long_mitchell():
    pooled = [stats(n, 20) for n in ALL]
    within("honoured_share", pooled_share(pooled, "honoured", "member_crises"))


@pytest.mark.slow
def test_immediate_deterrence_success_as_huth_russett():
    pooled = [stats(n, 20) for n in ALL]
    within(
        "immediate_deterrence_success",
        pooled_share(pooled, "immediate_success", "signalled_crises"),
    )
