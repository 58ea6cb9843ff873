"""Sweep files: bad input exits 2 with one line naming file, line and field; designs and values."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from clitools import cli
from hypothesis import given, settings
from hypothesis import strategies as st
from sweeptools import ROOT, TEACHING

from simulation.errors import ScenarioError
from simulation.sweep import load_sweep
from simulation.sweep.designs import build_design, planned_points, run_key
from simulation.sweep.values import Parameter

GOOD = f"""name: t
scenario: {TEACHING}
design: {{method: lhs, samples: 4}}
seed: 1
parameters:
  exercises.tempo_per_year: {{low: 4, high: 24}}
"""

BAD = [
    # (replace this, with this, expected "line: field: problem" fragment)
    ("name: t", "nmae: t", ":1: nmae: unknown key; did you mean name?"),
    ("method: lhs", "method: lhd", ":3: design.method: unknown method 'lhd'; did you mean lhs?"),
    ("design: {method: lhs, samples: 4}", "design: lhs", ":3: design: lhs needs samples"),
    ("seed: 1", "seed: -1", ":4: seed: -1 is out of range"),
    ("seed: 1\n", "", "missing required key 'seed'"),
    (
        "exercises.tempo_per_year:",
        "exercises.tempo_per_yaer:",
        ":6: parameters.exercises.tempo_per_yaer: unknown key (value 4.0); "
        "did you mean tempo_per_year?",
    ),
    (
        "{low: 4, high: 24}",
        "[4, -1]",
        ":6: parameters.exercises.tempo_per_year: -1 is out of range (value -1); "
        "must be between 0 and 1000 1/year",
    ),
    ("{low: 4, high: 24}", "{low: 24, high: 4}", ":6: parameters.exercises.tempo_per_year.high:"),
    ("{low: 4, high: 24}", "{low: 0, high: 24, scale: log}", "a log range needs low > 0"),
    ("{low: 4, high: 24}", "{low: 4, high: 24, num: 3}", "num applies to grid designs, not lhs"),
    ("{low: 4, high: 24}", "{low: 4, hihg: 24}", "hihg: unknown key; did you mean high?"),
    ("{low: 4, high: 24}", "[4, 4]", "a value is listed twice"),
    ("{low: 4, high: 24}", "[yes]", "'yes' is ambiguous; write true or false"),
    ("seed: 1", "seed: 1\nreplications: 0", ":5: replications: 0 is out of range"),
    (
        "seed: 1",
        "seed: 1\ntargets: [{metric: cohesoin, observed: 0.5, tolerance: 0.1, source: x}]",
        "targets[0].metric: unknown metric 'cohesoin'; did you mean cohesion?",
    ),
    ("seed: 1", "seed: 1\nvariant: nope", "variant: unknown variant 'nope'"),
    ("seed: 1", "seed: 1\noutputs: {timeseries: 1}", "outputs.timeseries: expected true or false"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD, ids=[b[1][:30] for b in BAD])
def test_bad_sweep_files_raise_one_located_error(tmp_path, old, new, expected):
    path = tmp_path / "bad.yaml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    assert info.value.message.startswith(str(path))
    assert expected in info.value.message, info.value.message
    assert "\n" not in info.value.message


def test_the_cli_exits_2_with_one_line_for_a_bad_sweep_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("exercises.tempo_per_year:", "exercises.tempo_per_yaer:"))
    for command in ("sweep", "validate"):
        out = cli(command, path, cwd=tmp_path)
        assert out.returncode == 2
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in out.stderr
        assert lines[0].startswith(f"alliance-sim: error: {path}:6: parameters.exercises")
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("name", ["smoke", "exercise_tempo", "nato_sobol", "calibration"])
def test_shipped_sweep_files_are_valid(name):
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / f"{name}.yaml")
    design = build_design(spec)
    assert len(design) == planned_points(spec)


def test_grid_design_is_every_combination_with_the_range_ends():
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "smoke.yaml")
    design = build_design(spec)
    assert sorted(design["exercises.tempo_per_year"].unique()) == [4.0, 14.0, 24.0]
    assert len(design) == 6
    assert len(design.drop_duplicates(["exercises.tempo_per_year", "consensus.rule"])) == 6


def test_lhs_design_puts_one_point_in_each_stratum(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD.replace("samples: 4", "samples: 10"))
    values = build_design(load_sweep(path))["exercises.tempo_per_year"].to_numpy()
    strata = np.floor((values - 4) / 20 * 10).astype(int)
    assert sorted(strata) == list(range(10))


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(1e-3, 1e3),
    span=st.floats(1.01, 1e3),
    u=st.floats(0, 1),
    log=st.booleans(),
)
def test_a_range_maps_coordinates_to_values_inside_it_and_back(low, span, u, log):
    p = Parameter("a.b", low=low, high=low * span, scale="log" if log else "linear")
    lo, hi = p.bounds()
    value = p.value(lo + u * (hi - lo))
    assert p.low <= value <= p.high
    assert math.isclose(p.coordinate(value), lo + u * (hi - lo), rel_tol=1e-9, abs_tol=1e-9)


@given(values=st.lists(st.text(min_size=1), min_size=1, max_size=8, unique=True), u=st.floats(0, 1))
def test_a_list_maps_every_coordinate_to_one_of_its_values(values, u):
    p = Parameter("a.b", values=tuple(values))
    lo, hi = p.bounds()
    assert p.value(lo + u * (hi - lo)) in values
    assert [p.value(p.coordinate(v)) for v in values] == values


def test_log_grid_is_geometric_and_integer_grids_round():
    p = Parameter("a", low=1.0, high=100.0, scale="log", num=3)
    assert p.grid() == [1.0, 10.0, 100.0]
    q = Parameter("a", low=1, high=3, num=5, integer=True)
    assert q.grid() == [1, 2, 3]  # 1, 1.5, 2, 2.5, 3 round to 1, 2, 2, 2, 3: each once


def test_run_keys_separate_points_and_replications_and_ignore_key_order():
    a = run_key({"x": 1.0, "y": "u"}, 0)
    assert a == run_key({"y": "u", "x": 1.0}, 0)
    assert len({a, run_key({"x": 1.0, "y": "u"}, 1), run_key({"x": 1.5, "y": "u"}, 0)}) == 3


def test_a_bad_scheduler_address_exits_2_with_the_fix(tmp_path):
    smoke = ROOT / "scenarios" / "sweeps" / "smoke.yaml"
    out = cli(
        "sweep", smoke, "--scheduler", "dask.example:8786", "--out", tmp_path / "s", cwd=tmp_path
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "alliance-sim: error: --scheduler: unknown scheduler address 'dask.example:8786'; "
        "use tcp://HOST:PORT to join a cluster or local:N to start one"
    ]
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["state"] == "stopped"  # not complete: nothing ran


@pytest.mark.parametrize("value", [1e-05, 1.5e-07, 2e16, 0.1, 3.0, 7, "qualified_majority", True])
def test_override_text_reads_back_as_the_same_value(value):
    from simulation.scenario import parse_override
    from simulation.sweep.evaluators import overrides

    [text] = overrides({"a.b": value})
    assert parse_override(text) == (["a", "b"], value)
