"""compare(): common random numbers across variants, paired differences, bootstrap intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.tables import format_differences
from simulation import load_scenario
from simulation.errors import ScenarioError
from simulation.experiment import (
    DIFFERENCE_COLUMNS,
    bootstrap_ci,
    compare,
    excludes_zero,
    paired_differences,
    summary_frame,
)
from simulation.rng import replication_seeds
from simulation.scenario import scenario_from_mapping

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"
STEPS, REPS, SEED = 24, 3, 5
RUN_COLUMNS = ["variant", "replication", "seed"]


@pytest.fixture(scope="module")
def teaching():
    return load_scenario(TEACHING)


@pytest.fixture(scope="module")
def qmv(teaching):
    return compare(
        teaching, ["baseline", "qualified_majority"], replications=REPS, steps=STEPS, seed=SEED
    )


@pytest.fixture(scope="module")
def late(teaching):
    """Baseline against a variant whose only change acts at the first yearly budget (step 12)."""
    data = yaml.safe_load(TEACHING.read_text(encoding="utf-8"))
    data["variants"]["pledge_pressure"] = {"burden": {"pledge_pressure": 1.0}}
    scenario = scenario_from_mapping(data, file=str(TEACHING))
    return compare(
        scenario, ["baseline", "pledge_pressure"], replications=REPS, steps=STEPS, seed=SEED
    )


def _metrics(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in (*RUN_COLUMNS, "step", "year")]


def _variant_frame(ts: pd.DataFrame, variant: str, steps: slice) -> pd.DataFrame:
    rows = ts[(ts["variant"] == variant) & ts["step"].between(steps.start, steps.stop)]
    return rows.drop(columns="variant").reset_index(drop=True)


# ------------------------------------------------------------------ common random numbers
def test_every_variant_runs_the_same_seeds(qmv):
    expected = replication_seeds(SEED, REPS)
    assert qmv.seeds == expected
    for name in qmv.variants:
        runs = qmv.summaries[qmv.summaries["variant"] == name]
        assert list(runs["seed"]) == expected
        assert list(runs["replication"]) == list(range(REPS))
    assert qmv.provenance["replication_seeds"] == expected


def test_step_zero_identical_across_variants(qmv):
    a = _variant_frame(qmv.timeseries, "baseline", slice(0, 0))
    b = _variant_frame(qmv.timeseries, "qualified_majority", slice(0, 0))
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == REPS


def test_variants_identical_until_the_policy_first_acts(late):
    ts = late.timeseries
    before_a = _variant_frame(ts, "baseline", slice(0, 11))
    before_b = _variant_frame(ts, "pledge_pressure", slice(0, 11))
    pd.testing.assert_frame_equal(before_a, before_b)
    ev = late.events
    early = [
        ev[(ev["variant"] == v) & (ev["step"] < 12)].drop(columns="variant").reset_index(drop=True)
        for v in late.variants
    ]
    pd.testing.assert_frame_equal(*early)
    after_a = _variant_frame(ts, "baseline", slice(12, STEPS))
    after_b = _variant_frame(ts, "pledge_pressure", slice(12, STEPS))
    assert not np.allclose(after_a["defence_share_mean"], after_b["defence_share_mean"])


def test_compare_matches_single_runs(teaching, qmv):
    """A comparison's run is the run a user gets from `run` with that replication's seed."""
    from simulation import run

    seed = qmv.seeds[1]
    alone = run(teaching, variant="qualified_majority", seed=seed, steps=STEPS)
    row = qmv.summaries[(qmv.summaries["variant"] == "qualified_majority")].iloc[1]
    assert row["cohesion"] == alone.summary["cohesion"]
    assert row["exercises"] == alone.summary["exercises"]


# ------------------------------------------------------------------ frames
def test_frame_shapes_and_columns(qmv):
    v, n = len(qmv.variants), STEPS + 1
    assert list(qmv.timeseries.columns[:3]) == RUN_COLUMNS
    assert len(qmv.timeseries) == v * REPS * n
    assert list(qmv.timeseries["variant"].unique()) == ["baseline", "qualified_majority"]
    for name in ("events", "nations", "pairs"):
        assert list(getattr(qmv, name).columns[:3]) == RUN_COLUMNS
    assert qmv.nations.groupby(RUN_COLUMNS).size().nunique() == 1
    assert list(qmv.summaries.columns[:3]) == RUN_COLUMNS
    assert len(qmv.summaries) == v * REPS
    assert {"cohesion", "deterrence", "crises", "members"} <= set(qmv.metrics)
    assert "provenance" not in qmv.summaries.columns
    assert all(qmv.summaries[m].dtype == float for m in qmv.metrics)
    diffs = qmv.differences
    assert list(diffs.columns) == list(DIFFERENCE_COLUMNS)
    assert len(diffs) == (v - 1) * len(qmv.metrics)
    assert set(diffs["variant"]) == {"qualified_majority"}
    assert set(diffs["reference"]) == {"baseline"}
    ok = diffs.dropna(subset=["ci_low"])
    assert (ok["ci_low"] <= ok["mean_diff"] + 1e-12).all()
    assert (ok["mean_diff"] <= ok["ci_high"] + 1e-12).all()
    assert np.allclose(diffs["mean_diff"], diffs["mean_variant"] - diffs["mean_first"])


def test_provenance_names_variants_seeds_and_hashes(qmv):
    prov = qmv.provenance
    assert prov["variants"] == ["baseline", "qualified_majority"]
    assert prov["seed"] == SEED and prov["steps"] == STEPS
    assert len(prov["scenario_sha256"]) == 64
    assert set(prov["resolved_sha256"]) == set(qmv.variants)
    assert prov["resolved_sha256"]["baseline"] != prov["resolved_sha256"]["qualified_majority"]
    assert prov["bootstrap"]["resamples"] == 2000


def test_same_seed_same_comparison(teaching, qmv):
    again = compare(
        teaching, ["baseline", "qualified_majority"], replications=REPS, steps=STEPS, seed=SEED
    )
    pd.testing.assert_frame_equal(again.differences, qmv.differences)
    pd.testing.assert_frame_equal(again.summaries, qmv.summaries)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("variants", "fragments"),
    [
        (["baseline", "qualifed_majority"], ("unknown variant", "did you mean qualified_majority")),
        (["baseline"], ("at least two variants",)),
        (["baseline", "baseline"], ("named twice",)),
    ],
)
def test_bad_variants_raise_before_running(teaching, variants, fragments):
    with pytest.raises(ScenarioError) as info:
        compare(teaching, variants, replications=2, steps=1)
    for fragment in fragments:
        assert fragment in info.value.message


def test_resolved_variant_is_refused(teaching):
    from simulation.scenario import resolve

    with pytest.raises(ScenarioError, match="resolved variant"):
        compare(resolve(teaching, "no_exercises"), ["baseline", "qualified_majority"], steps=1)


# ------------------------------------------------------------------ paired differences, by hand
def test_paired_differences_by_hand():
    summaries = pd.DataFrame(
        {
            "variant": ["a", "a", "a", "b", "b", "b"],
            "replication": [0, 1, 2, 0, 1, 2],
            "seed": [10, 11, 12, 10, 11, 12],
            "x": [1.0, 2.0, 3.0, 2.0, 4.0, 3.0],
            "y": [0.5, np.nan, 1.0, 1.5, 9.0, 2.0],
        }
    )
    # pairs are matched by seed, not by row order
    shuffled = pd.concat([summaries.iloc[:3], summaries.iloc[[5, 3, 4]]], ignore_index=True)
    table = paired_differences(shuffled, ["a", "b"], seed=1, n_resamples=500)
    x = table.set_index("metric").loc["x"]
    assert (x["variant"], x["reference"], x["n"]) == ("b", "a", 3)
    assert x["mean_first"] == pytest.approx(2.0)
    assert x["mean_variant"] == pytest.approx(3.0)
    assert x["mean_diff"] == pytest.approx(1.0)  # diffs 1, 2, 0
    assert 0.0 <= x["ci_low"] <= 1.0 <= x["ci_high"] <= 2.0
    y = table.set_index("metric").loc["y"]  # the seed-11 pair has a missing value: left out
    assert y["n"] == 2
    assert y["mean_first"] == pytest.approx(0.75)
    assert y["mean_diff"] == pytest.approx(1.0)  # diffs 1, 1
    assert (y["ci_low"], y["ci_high"]) == (pytest.approx(1.0), pytest.approx(1.0))


def test_summary_frame_keeps_numbers_only():
    rows = [
        {"variant": "a", "replication": 0, "seed": 3, "x": 1, "y": None, "provenance": {}},
        {"variant": "a", "replication": 1, "seed": 4, "x": 2.5, "y": 0.5, "provenance": {}},
    ]
    frame = summary_frame(rows)
    assert list(frame.columns) == ["variant", "replication", "seed", "x", "y"]
    assert frame["x"].tolist() == [1.0, 2.5]
    assert np.isnan(frame["y"].iloc[0])


def test_format_differences_marks_intervals_excluding_zero(qmv):
    text = format_differences(qmv.differences)
    lines = text.splitlines()
    assert lines[0] == "qualified_majority - baseline"
    assert "95% CI" in lines[1]
    for row in qmv.differences.itertuples():
        line = next(li for li in lines if li.startswith(f"{row.metric} "))
        # 3 pairs (< MIN_REPLICATIONS): an interval excluding 0 is flagged, not starred
        assert line.endswith(" (*)") == excludes_zero(row.ci_low, row.ci_high)
        assert not line.endswith(" *")
    assert any(li.startswith("* ") for li in lines)
    assert any(li.startswith("warning: only 3 paired replications") for li in lines)


# ------------------------------------------------------------------ bootstrap
def test_bootstrap_ci_is_pure_and_handles_degenerate_input():
    diffs = np.random.default_rng(0).normal(0.0, 1.0, 30)
    assert bootstrap_ci(diffs, seed=4) == bootstrap_ci(diffs, seed=4)
    assert bootstrap_ci(diffs, seed=4) != bootstrap_ci(diffs, seed=5)
    assert bootstrap_ci([2.0, 2.0, 2.0]) == (2.0, 2.0)
    assert all(np.isnan(bootstrap_ci([1.0])))
    assert all(np.isnan(bootstrap_ci([])))
    assert bootstrap_ci([1.0, np.nan, 3.0], seed=1) == bootstrap_ci([1.0, 3.0], seed=1)
    wide = bootstrap_ci(diffs, confidence=0.99, seed=4)
    narrow = bootstrap_ci(diffs, confidence=0.5, seed=4)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_bootstrap_ci_contains_a_known_effect():
    diffs = np.random.default_rng(2024).normal(0.3, 1.0, 200)
    low, high = bootstrap_ci(diffs, seed=1)
    assert low < 0.3 < high
    assert high - low == pytest.approx(2 * 1.96 / np.sqrt(200), rel=0.2)


def test_bootstrap_ci_coverage_is_close_to_nominal():
    """Over 200 synthetic studies of 200 seeds each, the 95% interval covers the truth ~95%."""
    rng = np.random.default_rng(7)
    covered = 0
    for k in range(200):
        low, high = bootstrap_ci(rng.normal(0.3, 1.0, 200), seed=k)
        covered += low <= 0.3 <= high
    assert 0.90 <= covered / 200 <= 0.99


def test_written_variant_reruns_to_the_same_numbers(qmv, tmp_path):
    """Each scenario.<variant>.resolved.yaml, run on a recorded seed, gives the compared run."""
    from simulation import run
    from simulation.experiment import write_comparison

    written = write_comparison(qmv, tmp_path)
    assert tmp_path / "comparison.json" in written
    scenario = load_scenario(tmp_path / "scenario.qualified_majority.resolved.yaml")
    assert (scenario.steps, scenario.seed) == (STEPS, SEED)
    again = run(scenario, seed=qmv.seeds[2]).timeseries
    stored = qmv.timeseries[
        (qmv.timeseries["variant"] == "qualified_majority") & (qmv.timeseries["replication"] == 2)
    ]
    pd.testing.assert_frame_equal(
        again.drop(columns=["replication", "seed"]),
        stored.drop(columns=RUN_COLUMNS).reset_index(drop=True),
    )
