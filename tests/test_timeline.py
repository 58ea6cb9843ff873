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
