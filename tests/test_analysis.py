"""Figure data on hand-built tables (exact values), and every plot on real run output."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from analysis import crisis_plots, nation_plots, plots
from analysis.bands import bands
from analysis.figure_data import (
    bloc_order,
    bloc_spans,
    burden_data,
    crisis_timeline_data,
    forest_data,
    network_data,
    select_run,
    trust_matrix,
)
from analysis.figures import provenance_caption, save_figure
from analysis.layout import circular_layout, spring_layout
from analysis.snapshots import snapshots
from simulation import load_scenario
from simulation.experiment import compare

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ hand-built tables
def test_bands_exact_and_in_order_of_appearance():
    df = pd.DataFrame(
        {
            "variant": ["b"] * 10 + ["a"] * 10,
            "replication": [0, 1, 2, 3, 4] * 4,
            "step": ([0] * 5 + [1] * 5) * 2,
            "year": ([2020.0] * 5 + [2020.5] * 5) * 2,
            "x": [1, 2, 3, 4, 5, 10, 10, 10, 10, 10, 0, 0, 0, 0, 1, 5, 4, 3, 2, 1],
        }
    )
    out = bands(df, "x", by="variant")
    assert list(out.columns) == ["variant", "step", "year", "median", "low", "high", "n"]
    assert list(out["variant"]) == ["b", "b", "a", "a"]  # the order in df, not alphabetical
    assert list(out["step"]) == [0, 1, 0, 1]
    assert list(out["year"]) == [2020.0, 2020.5, 2020.0, 2020.5]
    # linear quantiles of 5 values: q10 sits 0.4 of the way from the 1st to the 2nd
    assert np.allclose(out["median"], [3.0, 10.0, 0.0, 3.0])
    assert np.allclose(out["low"], [1.4, 10.0, 0.0, 1.4])
    assert np.allclose(out["high"], [4.6, 10.0, 0.6, 4.6])
    assert list(out["n"]) == [5, 5, 5, 5]
    with pytest.raises(KeyError, match="nope"):
        bands(df, "nope")


def _differences() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "variant": ["v1", "v1", "v2", "v2"],
            "reference": ["base"] * 4,
            "metric": ["m1", "m2", "m1", "m2"],
            "mean_first": [0.5, 0.5, 0.5, 0.5],
            "mean_variant": [0.6, 0.5, 0.4, 0.5],
            "mean_diff": [0.1, 0.0, -0.1, 0.0],
            "ci_low": [0.05, -0.02, -0.2, 0.0],
            "ci_high": [0.15, 0.02, -0.01, 0.0],
            "n": [5, 5, 5, 5],
        }
    )


def test_forest_data_positions_and_flags():
    out = forest_data(_differences())
    assert list(out["metric"]) == ["m1", "m1", "m2", "m2"]
    assert list(out["variant"]) == ["v1", "v2", "v1", "v2"]
    assert np.allclose(out["y"], [1.2, 0.8, 0.2, -0.2])
    assert list(out["excludes_zero"]) == [True, True, False, False]  # [0, 0] does not exclude 0
    only = forest_data(_differences(), metrics=["m2"])
    assert list(only["metric"]) == ["m2", "m2"]
    assert np.allclose(only["y"], [0.2, -0.2])
    single = forest_data(_differences()[lambda d: d["variant"] == "v1"], metrics=["m2", "m1"])
    assert list(single["metric"]) == ["m2", "m1"]
    assert list(single["y"]) == [1.0, 0.0]


NATIONS = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD"],
        "name": ["A", "B", "C", "D"],
        "role": ["member", "adversary", "partner", "member"],
        "gdp_busd": [10.0, 50.0, 5.0, 20.0],
        "defence_share_pct": [2.0, 4.0, 1.0, 1.0],
        "capability_busd": [1.0, 5.0, 0.5, 2.0],
    }
)


def _pairs() -> pd.DataFrame:
    rows = []
    for i, a in enumerate(NATIONS["iso3"]):
        for j, b in enumerate(NATIONS["iso3"]):
            if a != b:
                rows.append({"from": a, "to": b, "trust": (10 * i + j) / 100, "alignment": 0.5})
    return pd.DataFrame(rows)


def test_bloc_order_spans_and_trust_matrix():
    assert list(bloc_order(NATIONS)["iso3"]) == ["DDD", "AAA", "CCC", "BBB"]
    assert bloc_spans(NATIONS) == [("member", 0, 2), ("partner", 2, 3), ("adversary", 3, 4)]
    matrix = trust_matrix(NATIONS, _pairs())
    assert list(matrix.index) == ["DDD", "AAA", "CCC", "BBB"]
    assert list(matrix.columns) == ["DDD", "AAA", "CCC", "BBB"]
    assert matrix.loc["AAA", "BBB"] == pytest.approx(0.01)  # AAA (0) trusts BBB (1)
    assert matrix.loc["DDD", "CCC"] == pytest.approx(0.32)
    assert np.isnan(np.diag(matrix.to_numpy())).all()


def test_network_data_edges_and_seeded_layout():
    data = network_data(NATIONS, _pairs(), seed=3)
    assert list(data.nodes["iso3"]) == ["AAA", "BBB", "CCC", "DDD"]
    assert len(data.edges) == 6
    ab = data.edges.iloc[0]
    assert (ab["a"], ab["b"]) == ("AAA", "BBB")
    assert (ab["trust_ab"], ab["trust_ba"]) == (pytest.approx(0.01), pytest.approx(0.10))
    assert ab["trust"] == pytest.approx(0.055)
    node_a = data.nodes.iloc[0]
    assert (ab["x0"], ab["y0"]) == (node_a["x"], node_a["y"])
    strong = network_data(NATIONS, _pairs(), seed=3, min_trust=0.2)
    # mutual trust: AB .055, AC .11, AD .165, BC .165, BD .22, CD .275
    assert list(zip(strong.edges["a"], strong.edges["b"], strict=True)) == [
        ("BBB", "DDD"),
        ("CCC", "DDD"),
    ]
    assert np.allclose(strong.edges["trust"], [0.22, 0.275])
    again = network_data(NATIONS, _pairs().assign(trust=0.9), seed=3)
    # positions follow alignment (unchanged), not trust: variants share one layout
    assert np.allclose(again.nodes[["x", "y"]], data.nodes[["x", "y"]])
    with pytest.raises(ValueError, match="several runs"):
        network_data(pd.concat([NATIONS, NATIONS]), _pairs())


def test_layouts():
    assert np.allclose(circular_layout(4), [[1, 0], [0, 1], [-1, 0], [0, -1]], atol=1e-12)
    weights = np.array([[0, 1, 0.01], [1, 0, 0.01], [0.01, 0.01, 0]])
    pos = spring_layout(weights, seed=1)
    assert pos.shape == (3, 2)
    assert np.allclose(pos, spring_layout(weights, seed=1))
    assert np.abs(pos).max() == pytest.approx(1.0)
    assert np.allclose(pos.mean(axis=0), 0.0)
    dist = np.linalg.norm(pos[:, None] - pos[None, :], axis=-1)
    assert dist[0, 1] < dist[0, 2] and dist[0, 1] < dist[1, 2]


def test_burden_data_members_only_with_spearman():
    nations = pd.DataFrame(
        {
            "iso3": ["A", "B", "C", "D", "X"],
            "name": list("ABCDX"),
            "role": ["member"] * 4 + ["adversary"],
            "gdp_busd": [1.0, 2.0, 3.0, 4.0, 100.0],
            "defence_share_pct": [1.0, 3.0, 2.0, 4.0, 9.0],
        }
    )
    data = burden_data(nations)
    assert list(data.members["iso3"]) == ["D", "C", "B", "A"]
    assert list(data.members.columns) == ["iso3", "name", "gdp_busd", "defence_share_pct"]
    assert data.spearman == pytest.approx(0.8)  # 1 - 6 * (0 + 1 + 1 + 0) / (4 * 15)
    assert np.isnan(burden_data(nations.iloc[:2]).spearman)


def test_crisis_timeline_data():
    events = pd.DataFrame(
        {
            "variant": ["a", "a", "a", "b", "b", "b"],
            "replication": [0, 0, 1, 0, 1, 1],
            "step": [3, 5, 2, 4, 7, 8],
            "year": [2020.25, 2020.4167, 2020.1667, 2020.3333, 2020.5833, 2020.6667],
            "event": ["exercise", "crisis", "exercise", "challenge", "crisis", "crisis"],
            "kind": [None, "member", None, "neutral", "partner", "member"],
            "actor": ["AAA", "EEE", "BBB", "NNN", "GGG", "FFF"],
            "outcome": [None, "deterred", None, "conceded", "defended", "defended"],
        }
    )
    data, targets = crisis_timeline_data(events)
    # lines are targets, by bloc (member, partner, neutral), not runs: height follows targets
    assert targets == ["EEE", "FFF", "GGG", "NNN"]
    assert list(data["target"]) == ["EEE", "NNN", "GGG", "FFF"]
    assert list(data["row"]) == [0, 3, 2, 1]
    assert list(data["variant"]) == ["a", "b", "b", "b"]
    assert list(data["replication"]) == [0, 0, 1, 1]
    assert list(data["outcome"]) == ["deterred", "conceded", "defended", "defended"]
    assert list(data["covered"]) == [True, False, True, True]
    assert [str(d)[:7] for d in data["date"]] == ["2020-06", "2020-05", "2020-08", "2020-09"]
    single, single_targets = crisis_timeline_data(events.drop(columns="variant").iloc[:2])
    assert single_targets == ["EEE"] and list(single["variant"]) == [""]


def test_select_run():
    table = pd.DataFrame({"variant": ["a", "a", "b"], "replication": [1, 0, 0], "x": [1, 2, 3]})
    assert select_run(table)["x"].tolist() == [2]
    assert select_run(table, variant="b")["x"].tolist() == [3]
    assert select_run(table, replication=1)["x"].tolist() == [1]
    assert select_run(table[["x"]])["x"].tolist() == [1, 2, 3]


def test_provenance_caption_for_runs_and_comparisons():
    run = {
        "scenario_file": "scenarios/teaching.yaml",
        "variant": "baseline",
        "seed": 7,
        "steps": 12,
        "version": "0.1.0",
        "git_commit": "abcdef0123456789",
        "scenario_sha256": "f" * 64,
    }
    assert provenance_caption(run) == (
        "teaching.yaml [baseline], seed 7, 12 steps; alliance-sim 0.1.0 (abcdef0123), "
        "scenario sha256 ffffffffffff"
    )
    both = {**run, "variants": ["baseline", "qmv"], "replication_seeds": [1, 2, 3]}
    del both["variant"]
    assert provenance_caption(both).startswith(
        "teaching.yaml [baseline vs qmv], 3 paired seeds from 7, 12 steps;"
    )


# ------------------------------------------------------------------ real run output
@pytest.fixture(scope="module")
def result():
    scenario = load_scenario(TEACHING)
    return compare(scenario, ["baseline", "qualified_majority"], replications=2, steps=12, seed=3)


def test_burden_data_matches_the_run_summary(result):
    for name in result.variants:
        nations = select_run(result.nations, variant=name)
        summary = result.summaries[result.summaries["variant"] == name].iloc[0]
        assert burden_data(nations).spearman == pytest.approx(summary["burden_size_correlation"])


def test_snapshots_reproduce_the_run(result):
    scenario = result.scenarios["baseline"]
    seed = result.seeds[0]
    nations, pairs = snapshots(scenario, seed, [0, 12])
    assert sorted(nations["step"].unique()) == [0, 12]
    final = nations[nations["step"] == 12].drop(columns=["seed", "step"]).reset_index(drop=True)
    stored = select_run(result.nations, variant="baseline").drop(columns=RUN_KEYS)
    pd.testing.assert_frame_equal(final, stored)
    stored_pairs = select_run(result.pairs, variant="baseline").drop(columns=RUN_KEYS)
    final_pairs = pairs[pairs["step"] == 12].drop(columns=["seed", "step"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(final_pairs, stored_pairs)


RUN_KEYS = ["variant", "replication", "seed"]


def test_every_plot_draws_on_real_output(result):
    drawn = [
        plots.plot_bands(result.timeseries, "cohesion", by="variant"),
        plots.plot_bands(select_run(result.timeseries), "deterrence"),
        plots.plot_forest(result.differences, metrics=["cohesion", "mean_trust"]),
        crisis_plots.plot_crisis_timeline(result.events),
        nation_plots.plot_trust_network(result.nations, result.pairs),
        nation_plots.plot_trust_heatmap(result.nations, result.pairs),
        nation_plots.plot_burden_sharing(result.nations),
    ]
    for ax in drawn:
        assert isinstance(ax, Axes)
        assert ax.has_data() or ax.images or ax.collections
    _, given = plt.subplots()
    assert plots.plot_forest(result.differences, ax=given) is given
    assert nation_plots.plot_trust_network(result.nations, result.pairs, ax=given) is given
    fig = plots.overview_figure(result.timeseries, ("cohesion", "deterrence"), by="variant")
    assert len(fig.legends) == 1


def test_save_figure_embeds_provenance(result, tmp_path):
    ax = plots.plot_forest(result.differences)
    paths = save_figure(ax.figure, tmp_path / "forest", result.provenance)
    assert [p.name for p in paths] == ["forest.png", "forest.svg"]
    from PIL import Image

    meta = json.loads(Image.open(paths[0]).info["Description"])
    assert meta["variants"] == ["baseline", "qualified_majority"]
    assert meta["replication_seeds"] == result.seeds
