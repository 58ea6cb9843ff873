"""The historical NATO scenarios: nato_1964, nato_1985, baltic_efp and pfp_enlargement.

Each scenario validates, every variant resolves, the baseline runs its 120 steps, and one
behaviour per scenario matches what the sources describe (on a few fixed seeds; the source is
named in each test's docstring). The build scripts' ``--check`` is in ``tests/test_sources.py``.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import load_scenario, run
from simulation.mechanisms import enlargement
from simulation.metrics import spearman
from simulation.model import AllianceModel
from simulation.scenario import resolve, variant_names

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
DATA = SCENARIOS / "data"
NAMES = ("nato_1964", "nato_1985", "baltic_efp", "pfp_enlargement")
SEEDS = (7, 8, 9)
HOSTS = ("EST", "LVA", "LTU", "POL")


@cache
def scenario(name: str):
    """The scenario file as loaded (cached: loading is pure)."""
    return load_scenario(SCENARIOS / f"{name}.yaml")


@cache
def result(name: str, variant: str = "baseline", seed: int = 7):
    """One 120-step run (cached, so that tests share runs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(scenario(name), seed=seed, variant=variant, steps=120)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_validates_and_every_variant_resolves(name):
    sc = scenario(name)
    names = variant_names(sc)
    assert len(names) >= 3, "baseline and at least two documented variants"
    for variant in names:
        resolved = resolve(sc, variant)
        assert resolved.variant == variant
        assert len(resolved.nations) == len(sc.nations)


@pytest.mark.parametrize("name", NAMES)
def test_baseline_runs_120_steps(name):
    r = result(name)
    assert len(r.timeseries) == 121  # step 0 and 120 steps
    final = r.timeseries.iloc[-1]
    assert 0.0 <= final["cohesion"] <= 1.0
    assert 0.0 <= final["deterrence"] <= 1.0


def test_nato_1964_data_reproduce_the_spearman_check():
    """Among the 14 armed Allies of 1964, GDP and defence share correlate at 0.62.

    Source: scenarios/data/sources/PROVENANCE.md (Maddison GDP, SIPRI 1964 shares); the sign
    is Olson and Zeckhauser's (1966) "exploitation of the great by the small".
    """
    nations = pd.read_csv(DATA / "nato_1964_nations.csv")
    armed = nations[(nations["role"] == "member") & (nations["defence_share_pct"] > 0)]
    assert len(armed) == 14
    rho = spearman(armed["gdp_busd"].to_numpy(), armed["defence_share_pct"].to_numpy())
    assert rho == pytest.approx(0.62, abs=0.005)


def final_burden_correlation(variant: str, seed: int) -> float:
    """Spearman correlation of GDP and defence share over the armed Allies at the end."""
    n = result("nato_1964", variant, seed).nations
    armed = n[(n["role"] == "member") & (n["iso3"] != "ISL")]
    return spearman(armed["gdp_busd"].to_numpy(), armed["defence_share_pct"].to_numpy())


def size_game(rho: float, seed: int) -> tuple[float, float]:
    """nato_1964 with identical tastes and no threat channel: (rho_S, US share / others' mean).

    ``burden.demand: uniform`` and ``threat_sensitivity: 0`` leave size as the only difference
    between Allies (Olson and Zeckhauser's premise); ten years from the 1964 shares.
    """
    sets = [
        "burden.demand=uniform",
        "burden.threat_sensitivity=0",
        f"burden.private_benefit_share={rho}",
    ]
    model = AllianceModel(resolve(scenario("nato_1964"), overrides=sets), seed=seed)
    for _ in range(120):
        model.step()
    s = model.state
    armed = s.member & s.armed
    usa = s.iso3.index("USA")
    others = armed.copy()
    others[usa] = False
    premium = s.defence_share[usa] / s.defence_share[others].mean()
    return spearman(s.gdp[armed], s.defence_share[armed]), premium


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_nato_1964_pure_public_good_gives_free_riding_joint_products_less(seed):
    """Pure public good: a positive size/burden link; joint products weaken it, not reverse it.

    Sources: Olson and Zeckhauser (1966), "An Economic Theory of Alliances" (pure public good,
    small Allies free ride); Murdoch and Sandler (1984), "Complementarity, Free Riding, and the
    Military Expenditure of NATO Allies" (joint products after flexible response, MC 14/3,
    weaken the link). Measured: rank correlation 0.52 under both regimes (the ranks of the
    smaller Allies are those of the 1964 data still adjusting), US premium about 3.9x under the
    pure public good and 1.4x with private_benefit_share 0.6. Olson and Zeckhauser's 0.49 itself
    is not reproduced (docs/replication.md).
    """
    pure_rho, pure_premium = size_game(0.0, seed)
    joint_rho, joint_premium = size_game(0.6, seed)
    assert pure_rho > 0.3
    assert joint_rho > 0.0  # weakened, not reversed
    assert joint_premium < 0.5 * pure_premium


def frg_deterrence(variant: str, seed: int) -> tuple[np.ndarray, float, list[str]]:
    """FRG p_fail at every step, the other front-line Allies' final mean, FRG crisis outcomes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AllianceModel(resolve(scenario("nato_1985"), variant), seed=seed)
    s = model.state
    frg = s.iso3.index("DEU")
    path = [s.p_fail[frg]]
    for _ in range(120):
        model.step()
        path.append(s.p_fail[frg])
    front = [i for i in range(s.n) if s.member[i] and s.exposure[i] >= 0.7 and i != frg]
    outcomes = [
        e["outcome"] for e in model.events if e["event"] == "crisis" and e["actor"] == "DEU"
    ]
    return np.array(path), float(np.mean(s.p_fail[front])), outcomes


@pytest.mark.parametrize("seed", SEEDS)
def test_nato_1985_deterrence_of_the_frg_holds(seed):
    """The FRG, the exposed front-line state, stays deterred-for and is never conceded.

    Sources: forward defence with six Allies' forces stationed in the FRG and flexible response
    (MC 14/3); no Warsaw Pact challenge of an Ally after the Berlin crises (1958-61). The
    adversary's estimate that a challenge of the FRG fails does not fall over the run, ends above
    that of the other front-line Allies, and is higher than without the stationed forces.
    """
    path, others, outcomes = frg_deterrence("baseline", seed)
    without, _, _ = frg_deterrence("no_forward_defence", seed)
    assert path.min() >= path[0] - 0.02
    assert path[-1] >= path[0]
    assert path[-1] > others
    assert path[-1] > without[-1] + 0.05
    assert "conceded" not in outcomes


def test_baltic_efp_battlegroups_reduce_challenges_of_hosts():
    """The host nations are challenged less with the battlegroups than without (no_efp).

    Source: Warsaw Summit Communique (2016), para. 40: the battlegroups "demonstrate ... Allies'
    solidarity, determination, and ability to act"; the tripwire logic of Schelling (1966).
    Without EFP the calibrated adversary does challenge the exposed hosts. Since challenges are a
    probabilistic choice (issue 11) runs are compared in total over 10 replications of the
    decade, not seed by seed.
    """
    counts = {}
    for variant in ("baseline", "no_efp"):
        ev = run(scenario("baltic_efp"), variant=variant, replications=10, seed=11).events
        counts[variant] = int(
            (ev["event"].isin(["crisis", "challenge"]) & ev["actor"].isin(HOSTS)).sum()
        )
    assert counts["no_efp"] >= 5, f"without EFP the exposed hosts must be challenged: {counts}"
    assert counts["baseline"] < counts["no_efp"], counts


def accessions(seed: int) -> list[tuple[str, int, int, float]]:
    """(aspirant, invitation step, accession step, jump in adversary threat) per accession."""
    r = result("pfp_enlargement", "baseline", seed)
    ev, threat = r.events, r.timeseries["adversary_threat"].to_numpy()
    out = []
    for iso in ("FIN", "SWE"):
        inv = ev[(ev["event"] == "invitation") & (ev["actor"] == iso)]["step"]
        acc = ev[(ev["event"] == "accession") & (ev["actor"] == iso)]["step"]
        if len(acc):
            step = int(acc.iloc[0])
            out.append((iso, int(inv.iloc[-1]), step, float(threat[step] - threat[step - 1])))
    return out


def test_pfp_enlargement_aspirants_join_after_months_of_ratification():
    """Finland and Sweden join within the horizon; ratification takes months; threat jumps.

    Sources: NATO, "Finland joins NATO as 31st Ally" (4 April 2023: about 11 months after the
    application of 18 May 2022, 9 months after the accession protocol); "Sweden officially
    joins NATO" (7 March 2024, after Turkish and Hungarian delays); Russia's stated
    countermeasures to enlargement. Each run's ratifications (invitation to accession) take
    between 3 and 90 months, their median is of the order of Finland's, and the adversary's
    threat perception rises at each accession.
    """
    months = []
    for seed in SEEDS:
        joined = accessions(seed)
        assert sorted(a for a, *_ in joined) == ["FIN", "SWE"], f"seed {seed}: {joined}"
        for _iso, invited, step, jump in joined:
            months.append(step - invited)
            assert jump > 0.02
    assert all(3 <= m <= 90 for m in months), months
    assert 5 <= float(np.median(months)) <= 24, months


# ---------------------------------------------------------------- enlargement politics (issue 12)
FIN_SWE_SEEDS = tuple(range(100, 112))


def named(participants: object) -> list[str]:
    """The ISO3 codes of an event's participants (joined by ; in the event log)."""
    return sorted(participants.split(";")) if isinstance(participants, str) and participants else []


@cache
def ratification_record(seed: int) -> dict[str, tuple[int, int, list[str]]]:
    """Per aspirant: (months from its request to accession, invitation step, named holdouts).

    A 48-step run from January 2022 (the requests come about May 2022, as the applications).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = run(scenario("pfp_enlargement"), seed=seed, steps=48)
    ev, out = r.events, {}
    for iso in ("FIN", "SWE"):
        req = ev[(ev["event"] == "accession_request") & (ev["actor"] == iso)]["step"]
        inv = ev[(ev["event"] == "invitation") & (ev["actor"] == iso)]
        acc = ev[(ev["event"] == "accession") & (ev["actor"] == iso)]["step"]
        if len(inv) and len(acc):
            last = inv.iloc[-1]
            out[iso] = (
                int(acc.iloc[0]) - int(req.iloc[0]),
                int(last["step"]),
                named(last["participants"]),
            )
    return out


def test_pfp_enlargement_holdouts_are_the_members_with_a_listed_dispute():
    """The objecting members are named: Turkey and Hungary, the two Allies with a dispute.

    Source: NATO PA ratification timeline 2022-24 (every other Ally had ratified by the autumn of
    2022; Hungary and Turkey ratified Finland in March 2023 and Sweden in January-February 2024).
    """
    listed = {(d.member, d.aspirant) for d in scenario("pfp_enlargement").enlargement.disputes}
    for seed in FIN_SWE_SEEDS[:4]:
        rec = ratification_record(seed)
        for iso in ("FIN", "SWE"):
            assert rec[iso][2] == ["HUN", "TUR"], (seed, rec)
            assert {(m, iso) for m in rec[iso][2]} <= listed
    # without the disputes nobody holds out (holdout_probability is 0 in this scenario)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = run(scenario("pfp_enlargement"), seed=100, variant="no_holdouts", steps=40)
    inv = r.events[r.events["event"] == "invitation"]
    assert len(inv) == 2 and all(named(p) == [] for p in inv["participants"])


def test_pfp_enlargement_finland_before_sweden_in_about_11_and_22_months():
    """Finland joins before Sweden in every replication, within stated bands of the record.

    Record (NATO): applications 18 May 2022; Finland joined 4 April 2023 (10.5 months), Sweden
    7 March 2024 (21.6 months). Model: months from the request (the application) to accession
    over 12 seeds. Tolerance: each median within 3 months of the record (Finland 7.5-13.5,
    Sweden 18.6-24.6); every run of Finland within 6-18 months and of Sweden within 14-40.
    Each invitation passes at the first request (the record: invited at the first summit).
    The disputes' mean delays are fitted to these two events, so the medians are in-sample; the
    order in every run and the spread are what the test checks beyond the fit.
    """
    fin, swe = [], []
    for seed in FIN_SWE_SEEDS:
        rec = ratification_record(seed)
        assert rec["FIN"][0] < rec["SWE"][0], (seed, rec)
        fin.append(rec["FIN"][0])
        swe.append(rec["SWE"][0])
    assert 7.5 <= np.median(fin) <= 13.5, fin
    assert 18.6 <= np.median(swe) <= 24.6, swe
    assert all(6 <= m <= 18 for m in fin), fin
    assert all(14 <= m <= 40 for m in swe), swe
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = run(scenario("pfp_enlargement"), seed=FIN_SWE_SEEDS[0], steps=12).events
    kinds = ev["kind"].astype(str)
    assert (ev[kinds.str.startswith("enlargement")]["outcome"] == "adopted").all()


def accession_rounds() -> pd.DataFrame:
    return pd.read_csv(DATA / "nato_accession_rounds.csv", comment="#")


def test_accession_latency_grows_with_the_number_of_ratifying_allies_as_in_the_record():
    """NATO's ten rounds: latency rises with the number of ratifying Allies; the model's too.

    Record: scenarios/data/nato_accession_rounds.csv (months from protocol to accession; 12 to
    30 ratifying Allies). Model: the ratification rule with pfp_enlargement's calibrated
    procedures (parliamentary mean 0.75 months, Canada and the United Kingdom executive, no
    disputes), mean over 2,000 draws per round. The model's latency grows with the number of
    Allies (rank correlation with the record's > 0.4, as the record's own with the count), but
    as the log of the count: it explains the rise, not the level; the record's long rounds
    (1999, 2020, 2024) came from named holdouts (docs/replication.md).
    """
    rounds = accession_rounds()
    assert len(rounds) == 10
    allies = rounds["ratifying_allies"].to_numpy()
    record = rounds["months"].to_numpy()
    assert spearman(allies, record) > 0.4
    p = scenario("pfp_enlargement").enlargement
    rng = np.random.default_rng(0)
    model = []
    for n in allies:
        means = np.full(n, p.ratification_mean_months)
        means[:2] = p.executive_mean_months
        draws = [
            enlargement.ratification_months(rng, np.ones(n), means, 0.0, 0.0)[0].max()
            for _ in range(2000)
        ]
        model.append(float(np.mean(draws)))
    model = np.array(model)
    assert np.all(np.diff(model[np.argsort(allies, kind="stable")]) > -0.15)  # grows, up to noise
    assert spearman(model, record) > 0.4
    # growth from the smallest to the largest rounds: model +25 %, record +67 % (measured)
    small, large = allies <= 16, allies >= 26
    model_rise = model[large].mean() / model[small].mean()
    record_rise = record[large].mean() / record[small].mean()
    assert 1.15 < model_rise < record_rise
