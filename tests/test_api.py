"""The Python API as documented, compare tables that cannot mislead, and the new CLI flags."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from clitools import cli

import simulation
from analysis.tables import differences_markdown, format_differences, places_for
from simulation.statistics import MIN_REPLICATIONS, paired_differences, replication_summary

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "scenarios" / "teaching.yaml"


# ------------------------------------------------------------------ statistics and tables
def test_identical_columns_get_identical_intervals():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 12), rng.normal(0.5, 1, 12)
    summaries = pd.DataFrame(
        {
            "variant": ["x"] * 12 + ["y"] * 12,
            "replication": list(range(12)) * 2,
            "seed": list(range(12)) * 2,
            "crises": np.r_[a, b],
            "challenges": np.r_[a, b],
            "other": np.r_[a, b] * 3.0,
        }
    )
    table = paired_differences(summaries, ["x", "y"], seed=3).set_index("metric")
    assert table.loc["crises", "ci_low"] == table.loc["challenges", "ci_low"]
    assert table.loc["crises", "ci_high"] == table.loc["challenges", "ci_high"]
    # one resample shared by all metrics: a scaled column has exactly the scaled interval
    assert table.loc["other", "ci_low"] == pytest.approx(3.0 * table.loc["crises", "ci_low"])


def _row(**fields):
    base = {
        "variant": "v",
        "reference": "r",
        "metric": "defence_share_mean",
        "mean_first": 2.0,
        "mean_variant": 2.00015,
        "mean_diff": 0.00015,
        "ci_low": 0.00010,
        "ci_high": 0.00021,
        "n": 20,
    }
    return pd.DataFrame([{**base, **fields}])


def test_digits_follow_the_interval_width():
    tiny = _row()
    assert places_for(next(tiny.itertuples())) == 5  # width 0.00011: two significant digits
    text = format_differences(tiny)
    line = next(li for li in text.splitlines() if li.startswith("defence_share_mean"))
    assert "+0.00015" in line and "[+0.00010, +0.00021]" in line and line.endswith(" *")
    assert "+0.000 " not in line
    wide = _row(mean_diff=1.234, ci_low=-3.0, ci_high=5.0, mean_first=10.0, mean_variant=11.234)
    assert places_for(next(wide.itertuples())) == 1  # width 8.0: "+1.2 [-3.0, +5.0]"
    wider = _row(mean_diff=12.34, ci_low=-30.0, ci_high=50.0)
    assert places_for(next(wider.itertuples())) == 0  # width 80: "+12 [-30, +50]"
    no_interval = _row(ci_low=math.nan, ci_high=math.nan, mean_first=0.52, mean_variant=0.61)
    assert places_for(next(no_interval.itertuples())) == 4  # 0.6100: four significant digits


def test_few_replications_flag_instead_of_star():
    few = _row(n=MIN_REPLICATIONS - 1)
    text = format_differences(few)
    line = next(li for li in text.splitlines() if li.startswith("defence_share_mean"))
    assert line.endswith(" (*)")
    assert f"warning: only {MIN_REPLICATIONS - 1} paired replications" in text
    assert "warning" not in format_differences(_row())
    md = "\n".join(differences_markdown(few))
    assert "(\\*)" in md and "> warning: only" in md


def test_note_when_variants_end_with_different_members():
    members = _row(
        metric="members", mean_first=31.0, mean_variant=32.0, mean_diff=1.0, ci_low=1.0, ci_high=1.0
    )
    text = format_differences(members)
    assert "variants end with different members" in text and "v 32.0 vs r 31.0" in text
    same = _row(
        metric="members", mean_first=31.0, mean_variant=31.0, mean_diff=0.0, ci_low=0.0, ci_high=0.0
    )
    assert "different members" not in format_differences(same)


def test_replication_summary_mean_sd_and_t_interval():
    runs = [{"x": 1.0, "y": None}, {"x": 2.0, "y": 4.0}, {"x": 3.0, "y": 6.0}]
    table = replication_summary(runs).set_index("metric")
    assert table.loc["x", "mean"] == pytest.approx(2.0)
    assert table.loc["x", "sd"] == pytest.approx(1.0)
    half = 4.302652729911275 / math.sqrt(3)  # t(2, 0.975) * sd / sqrt(n)
    assert table.loc["x", "ci_low"] == pytest.approx(2.0 - half)
    assert table.loc["y", "n"] == 2 and table.loc["y", "mean"] == pytest.approx(5.0)


# ------------------------------------------------------------------ Python API
def test_every_name_in_all_imports_and_works_as_documented(tmp_path):
    names = {name: getattr(simulation, name) for name in simulation.__all__}
    importlib.import_module("simulation.experiment")  # the module of compare() has its own name
    from simulation import compare

    assert callable(compare) and compare is names["compare"]
    scenario = names["load_scenario"](TEACHING)
    assert isinstance(scenario, names["Scenario"])
    model = names["AllianceModel"](scenario, seed=1)
    model.step()
    result = names["run"](scenario, steps=3, seed=2)
    assert isinstance(result, names["RunResult"])
    both = compare(scenario, ["baseline", "qualified_majority"], replications=2, steps=3)
    assert isinstance(both, names["ComparisonResult"])
    with pytest.raises(names["ScenarioError"], match="unknown variant"):
        compare(scenario, ["baseline", "nope"])


@pytest.fixture(scope="module")
def results():
    scenario = simulation.load_scenario(TEACHING)
    one = simulation.run(scenario, steps=4, seed=3, replications=2)
    both = simulation.compare(
        scenario, ["baseline", "qualified_majority"], replications=2, steps=4, seed=3
    )
    return one, both


def test_short_reprs_and_notebook_html(results):
    one, both = results
    for result in (one, both):
        text = repr(result)
        assert len(text.splitlines()) == 1 and len(text) < 300
        assert "<table>" in result._repr_html_()
    assert repr(one).startswith("RunResult('Teaching alliance', variant='baseline', steps=4")
    assert "baseline vs qualified_majority" in repr(both)


def test_to_frame_is_long(results):
    one, both = results
    frame = one.to_frame()
    assert list(frame.columns) == ["replication", "seed", "step", "year", "metric", "value"]
    metrics = frame["metric"].unique()
    assert "cohesion" in metrics
    assert len(frame) == len(one.timeseries) * len(metrics)
    row = frame[(frame["metric"] == "cohesion") & (frame["step"] == 2)].iloc[0]
    wide = one.timeseries[(one.timeseries["step"] == 2)].iloc[0]
    assert row["value"] == pytest.approx(wide["cohesion"])
    long = both.to_frame()
    assert list(long.columns[:2]) == ["variant", "replication"]
    assert set(long["variant"]) == {"baseline", "qualified_majority"}
    with pytest.raises(ValueError, match="table must be"):
        one.to_frame("nope")


def test_plot_returns_a_figure(results):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    one, both = results
    assert isinstance(one.plot(), Figure)
    fig = both.plot(["cohesion", "deterrence"])
    assert isinstance(fig, Figure) and len(fig.legends) == 1


def test_save_writes_what_the_cli_writes(results, tmp_path):
    one, both = results
    paths = one.save(tmp_path / "run")
    names = {p.relative_to(tmp_path / "run").as_posix() for p in paths}
    assert {"summary.json", "timeseries.csv", "figures/overview.png"} <= names
    proc = cli(
        "run",
        TEACHING,
        "--steps",
        "4",
        "--seed",
        "3",
        "--replications",
        "2",
        "--out",
        tmp_path / "cli",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    cli_files = {
        p.relative_to(tmp_path / "cli").as_posix()
        for p in (tmp_path / "cli").rglob("*")
        if p.is_file()
    }
    api_files = {
        p.relative_to(tmp_path / "run").as_posix()
        for p in (tmp_path / "run").rglob("*")
        if p.is_file()
    }
    assert api_files == cli_files
    compared = both.save(tmp_path / "cmp", plots=False)
    assert (tmp_path / "cmp" / "comparison.json") in compared


def test_progress_true_shows_a_bar(capsys):
    scenario = simulation.load_scenario(TEACHING)
    simulation.run(scenario, steps=3, seed=1, progress=True)
    assert "3/3" in capsys.readouterr().err
    ticks: list[int] = []
    simulation.run(scenario, steps=3, seed=1, progress=ticks.append)
    assert ticks == [1, 2, 3]


# ------------------------------------------------------------------ CLI
def test_version_and_run_replications_spread(tmp_path):
    proc = cli("--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"alliance-sim {simulation.__version__}"
    proc = cli(
        "run",
        TEACHING,
        "--steps",
        "4",
        "--replications",
        "3",
        "--no-plots",
        "--out",
        tmp_path / "r",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    header = next(li for li in proc.stdout.splitlines() if li.startswith("metric"))
    assert "mean" in header and "sd" in header and "95% CI" in header
    row = next(li for li in proc.stdout.splitlines() if li.startswith("cohesion "))
    assert row.count("[") == 1


def test_compare_set_applies_to_every_variant(tmp_path):
    args = ("--variants", "baseline,qualified_majority", "--steps", "4", "--replications", "2")
    proc = cli(
        "compare",
        TEACHING,
        *args,
        "--set",
        "crises.enabled=false",
        "--no-plots",
        "--out",
        tmp_path / "c",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("baseline", "qualified_majority"):
        text = (tmp_path / "c" / f"scenario.{name}.resolved.yaml").read_text()
        assert "crises:\n  enabled: false" in text
    bad = cli("compare", TEACHING, *args, "--set", "crises.enabeld=false", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.splitlines()) == 1
