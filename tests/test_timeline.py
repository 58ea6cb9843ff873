"""Scheduled events (``timeline``): when entries apply, what they change, and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from clitools import cli

from simulation.mechanisms.timeline import parse_date, step_of
from simulation.model import AllianceModel
from simulation.scenario import load_scenario, resolve

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"
TEXT = TEACHING.read_text(encoding="utf-8")
SHOCK = [
    'timeline=[{date: "2021-03", label: invasion, set: {adversary.aggression: 0.9}},'
    ' {date: "2022-01", label: join, set: {nations.GGG.role: member, burden.pledge_pct: 2.5}}]'
]


def test_dates_map_to_the_step_that_contains_them():
    assert parse_date("2014-09") == (2014, 9)
    assert parse_date("2014-13") is None and parse_date("2014-9") is None
    assert step_of((2014, 1), 2014, 1) == 1  # the first month of the run: step 1
    assert step_of((2014, 9), 2014, 1) == 9
    assert step_of((2015, 1), 2014, 12) == 2  # yearly steps: 2015 is the second step
    assert step_of((2014, 12), 2014, 3) == 4  # quarterly: December is in the fourth quarter


def test_entries_apply_at_their_step_and_persist():
    scenario = resolve(load_scenario(TEACHING), overrides=SHOCK)
    model = AllianceModel(scenario, seed=3)
    ggg = model.nation_index["GGG"]
    for _ in range(14):
        model.step()
    assert model.spec.burden.pledge_pct == 2.0 and model.spec.adversary.aggression != 0.9
    model.step()  # step 15 = March 2021
    assert model.spec.adversary.aggression == 0.9
    assert model.state.aggression == pytest.approx(0.9, abs=0.05)  # relaxes toward the new level
    while model.steps < 25:
        assert not model.state.member[ggg]
        model.step()
    assert model.state.member[ggg] and model.spec.burden.pledge_pct == 2.5
    events = [e for e in model.events if e["event"] in ("timeline", "accession")]
    assert [(e["step"], e["event"], e["kind"]) for e in events] == [
        (15, "timeline", "invasion"),
        (25, "accession", "timeline"),
        (25, "timeline", "join"),
    ]


def test_a_timeline_changes_nothing_before_its_first_date():
    base = load_scenario(TEACHING)
    a, b = AllianceModel(base, seed=5), AllianceModel(resolve(base, overrides=SHOCK), seed=5)
    for _ in range(14):
        a.step()
        b.step()
    np.testing.assert_array_equal(a.state.trust, b.state.trust)
    np.testing.assert_array_equal(a.state.defence_share, b.state.defence_share)


@pytest.mark.parametrize(
    ("entry", "fragments"),
    [
        ('{date: "2031-03", set: {burden.pledge_pct: 3}}', ["timeline[0].date", "outside"]),
        ('{date: "2019-12", set: {burden.pledge_pct: 3}}', ["timeline[0].date", "2020-01"]),
        ('{date: "2021-13", set: {burden.pledge_pct: 3}}', ["timeline[0].date", "YYYY-MM"]),
        ('{date: "2021-03", set: {burden.pledge_pcx: 3}}', ["pledge_pcx", "pledge_pct"]),
        ('{date: "2021-03", set: {nations.XXX.resolve: 0.5}}', ["nations.XXX", "unknown"]),
        ('{date: "2021-03", set: {nations.AAA.resolve: 3}}', ["nations.AAA.resolve", "range"]),
        ('{date: "2021-03", set: {nations.AAA.role: partner}}', ["nations.AAA.role"]),
        ('{date: "2021-03", set: {alignment.ideal_point_weight: 0.1}}', ["cannot be scheduled"]),
        ('{date: "2021-03", set: {steps: 10}}', ["timeline[0].set.steps", "cannot be scheduled"]),
    ],
)
def test_bad_entries_exit_2_naming_the_field(tmp_path, entry, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(TEXT.replace("\nvariants:", f"\ntimeline:\n  - {entry}\n\nvariants:", 1))
    proc = cli("validate", str(path), cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and f"{path}:" in line
    for fragment in fragments:
        assert fragment in line, line


def test_a_variant_replaces_the_timeline(tmp_path):
    path = tmp_path / "t.yaml"
    text = TEXT.replace(
        "\nvariants:",
        '\ntimeline:\n  - {date: "2021-01", set: {burden.pledge_pct: 3.0}}\n\nvariants:\n'
        '  later:\n    timeline: [{date: "2023-01", set: {burden.pledge_pct: 4.0}}]',
        1,
    )
    path.write_text(text)
    base = load_scenario(path)
    assert [k for k, _, _ in base.timeline_schedule] == [13]
    later = resolve(base, "later")
    assert [(k, s.burden.pledge_pct) for k, _, s in later.timeline_schedule] == [(37, 4.0)]


def test_fixed_panel_metrics_are_unchanged_by_an_accession():
    from simulation import reporters
    from simulation.mechanisms import timeline

    scenario = resolve(load_scenario(TEACHING), overrides=SHOCK)
    model = AllianceModel(scenario, seed=2)
    for _ in range(3):
        model.step()
    panel = ("cohesion_initial_members", "deterrence_initial_members")
    panel += ("defence_share_initial_members",)
    before = {name: getattr(reporters, name)(model) for name in panel}
    wide = model.defence_share_mean
    _, i, after = scenario.timeline_schedule[1]  # GGG joins
    timeline.apply(model, scenario.timeline[i], after)
    assert model.state.member[model.nation_index["GGG"]]
    assert {name: getattr(reporters, name)(model) for name in panel} == before
    assert model.defence_share_mean != wide  # the alliance-wide mean moves with membership


def test_summary_window_means_by_hand():
    import pandas as pd

    from simulation.runner import FINAL_KEYS, summarise

    ts = pd.DataFrame({k: [100.0, 1.0, 2.0, 3.0, 6.0] for k in FINAL_KEYS})
    ts["members"] = [5, 5, 5, 6, 6]
    out = summarise(ts, 2)  # the last two steps; step 0 (100) never counts
    assert out["cohesion"] == 4.5 and out["cohesion_final"] == 6.0
    assert out["members"] == 6 and out["members_final"] == 6
    assert summarise(ts, 10)["cohesion"] == 3.0  # a window longer than the run: steps 1-4


def test_the_window_is_in_the_provenance():
    from simulation.runner import run

    scenario = resolve(load_scenario(TEACHING), overrides=["metrics.summary_window_months=6"])
    prov = run(scenario, steps=8, seed=1).summary["provenance"]
    assert prov["summary_window_months"] == 6 and prov["summary_window_steps"] == 6


def test_compare_warns_when_variants_end_with_different_members():
    import pandas as pd

    from simulation.experiment import membership_warnings

    rows = [
        ("baseline", 0, "AAA", "member"),
        ("baseline", 0, "GGG", "partner"),
        ("baseline", 1, "AAA", "member"),
        ("baseline", 1, "GGG", "partner"),
        ("qmv", 0, "AAA", "member"),
        ("qmv", 0, "GGG", "member"),
        ("qmv", 1, "AAA", "member"),
        ("qmv", 1, "GGG", "partner"),
    ]
    nations = pd.DataFrame(rows, columns=["variant", "replication", "iso3", "role"])
    (warning,) = membership_warnings(nations, ["baseline", "qmv"])
    assert "1 of 2 replications" in warning and "members only in qmv: GGG" in warning
    same = nations[nations["variant"] == "baseline"]
    same = pd.concat([same, same.assign(variant="copy")])
    assert membership_warnings(same, ["baseline", "copy"]) == []
