"""Sensitivity, discovery, calibration and the sweep report, through the sweep's own code path.

The Ishigami-Homma function has closed-form Sobol indices (Ishigami and Homma 1990; a = 7,
b = 0.1): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
V13 = 8 b^2 pi^8 / 225, so S1 = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424, 0.2437).
"""

from __future__ import annotations

import math

import pytest
from clitools import cli
from sweeptools import ishigami_sweep, teaching_sweep

from analysis.discovery import calibration, discover
from analysis.sensitivity import morris_indices, sobol_indices
from analysis.sweeps import load
from simulation.errors import ScenarioError
from simulation.sweep import run_sweep

A, B = 7.0, 0.1


def ishigami_exact() -> tuple[list[float], list[float]]:
    v1 = (1 + B * math.pi**4 / 5) ** 2 / 2
    v2 = A**2 / 8
    v13 = 8 * B**2 * math.pi**8 / 225
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


@pytest.fixture(scope="module")
def sobol_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol")
    run_sweep(ishigami_sweep(folder, "sobol", 1024), folder / "store", workers=1)
    return folder / "store"


def test_exact_ishigami_indices_are_the_published_values():
    s1, st = ishigami_exact()
    assert [round(x, 4) for x in s1] == [0.3139, 0.4424, 0.0]
    assert [round(x, 4) for x in st] == [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_the_ishigami_function_come_out_right(sobol_store):
    table, warnings = sobol_indices(load(sobol_store), "y")
    s1, st = ishigami_exact()
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    for est, conf, exact in [
        *zip(table["S1"], table["S1_conf"], s1, strict=True),
        *zip(table["ST"], table["ST_conf"], st, strict=True),
    ]:
        assert abs(est - exact) <= max(conf, 0.03), (est, conf, exact)
        assert abs(est - exact) < 0.07
    assert warnings == []


def test_too_small_a_sobol_sample_is_flagged(tmp_path):
    run_sweep(ishigami_sweep(tmp_path, "sobol", 16), tmp_path / "s", workers=1)
    _, warnings = sobol_indices(load(tmp_path / "s"), "y")
    assert any("too small for stable indices" in w for w in warnings)


def test_morris_separates_the_interaction_of_x3_from_the_main_effect_of_x1(tmp_path):
    run_sweep(ishigami_sweep(tmp_path, "morris", 50), tmp_path / "m", workers=1)
    table, _ = morris_indices(load(tmp_path / "m"), "y")
    row = table.set_index("parameter")
    assert row["mu_star"].idxmax() == "x1"
    # x3 acts only through x3^4 sin x1 and x2 through sin^2 x2: signed effects cancel on average
    assert abs(row.loc["x3", "mu"]) < 0.25 * row.loc["x3", "sigma"]
    assert abs(row.loc["x2", "mu"]) < 0.5 * row.loc["x2", "mu_star"]


def test_prim_finds_that_low_ishigami_values_need_sin_x1_below_zero(tmp_path):
    run_sweep(ishigami_sweep(tmp_path, "lhs", 400), tmp_path / "l", workers=1)
    found = discover(load(tmp_path / "l"), "y")
    assert found is not None and found.of_interest == 100  # the lower quartile of 400 runs
    x1 = found.limits.set_index("parameter").loc["x1"]
    assert x1["max"] < 0 and found.density > 0.25 and found.coverage > 0.5


def test_calibration_returns_the_points_within_every_target(tmp_path):
    target = "targets: [{metric: y, observed: 0.0, tolerance: 1.0, source: test}]"
    run_sweep(ishigami_sweep(tmp_path, "lhs", 60, extra=target), tmp_path / "c", workers=1)
    sweep = load(tmp_path / "c")
    result = calibration(sweep)
    inside = sweep.summary["y"].abs() <= 1.0
    assert len(result["meeting"]) == inside.sum() > 0
    assert (result["meeting"]["worst_distance"] <= 1.0).all()
    assert list(result["best"]["worst_distance"]) == sorted(result["best"]["worst_distance"])
    assert sweep.summary["meets_targets"].sum() == inside.sum()
    assert (sweep.summary["target_y"] - sweep.summary["y"].abs()).abs().max() < 1e-12


def test_sensitivity_command_prints_indices_and_writes_table_and_figure(sobol_store, tmp_path):
    out = cli("sensitivity", sobol_store, "--metric", "y", "--out", tmp_path, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "sobol indices of y" in out.stdout and "x3" in out.stdout
    assert (tmp_path / "sensitivity" / "sobol_y.csv").exists()
    assert (tmp_path / "sensitivity" / "sobol_y.png").exists()
    bad = cli("sensitivity", sobol_store, "--metric", "z", cwd=tmp_path)
    assert bad.returncode == 2 and "--metric: unknown metric 'z'" in bad.stderr


def test_indices_of_a_grid_sweep_are_refused_with_the_fix(tmp_path):
    run_sweep(teaching_sweep(tmp_path, steps=3, reps=1), tmp_path / "g", workers=1)
    with pytest.raises(ScenarioError, match="need a sobol or morris design"):
        from analysis.sensitivity import indices

        indices(load(tmp_path / "g"), "cohesion")
    out = cli("report", tmp_path / "g", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = (tmp_path / "g" / "report.md").read_text()
    assert "## Main effects on cohesion" in report and "Scenario discovery" in report
    assert (tmp_path / "g" / "figures" / "surface_deterrence.svg").exists()


def test_report_of_a_sobol_sweep_has_its_indices(sobol_store):
    from analysis.sweep_report import write_sweep_report

    path, figures = write_sweep_report(sobol_store)
    text = path.read_text()
    assert "## Sensitivity (sobol)" in text and "| x1 |" in text
    assert any(f.name == "indices_y.png" for f in figures)
