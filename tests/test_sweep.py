"""Sweeps: identical results whatever runs them, resumable after SIGKILL, failures recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from clitools import cli
from sweeptools import ishigami_sweep, sorted_summary, teaching_sweep

from simulation.runner import run_once
from simulation.scenario import load_scenario, resolve
from simulation.sweep import SweepStore, load_sweep, run_sweep
from simulation.sweep import evaluators as evaluators_module
from simulation.sweep.designs import build_design, plan_runs, run_seed


def test_one_worker_two_workers_and_dask_give_identical_stores(tmp_path):
    path = teaching_sweep(tmp_path)
    a = run_sweep(path, tmp_path / "one", workers=1)
    b = run_sweep(path, tmp_path / "two", workers=2)
    c = run_sweep(path, tmp_path / "dask", scheduler="local:2")
    assert (
        a.counts()
        == b.counts()
        == c.counts()
        == {
            "planned": 8,
            "completed": 8,
            "failed": 0,
            "skipped": 0,
        }
    )
    one = sorted_summary(tmp_path / "one")
    pd.testing.assert_frame_equal(one, sorted_summary(tmp_path / "two"))
    pd.testing.assert_frame_equal(one, sorted_summary(tmp_path / "dask"))
    series = [
        SweepStore(tmp_path / d).table("timeseries").sort_values(["run_key", "step"])
        for d in ("one", "two", "dask")
    ]
    pd.testing.assert_frame_equal(
        series[0].reset_index(drop=True), series[1].reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        series[0].reset_index(drop=True), series[2].reset_index(drop=True)
    )
    assert len(series[0]) == 8 * 13  # steps 0..12 of each run, once


@pytest.mark.parametrize("series", [True, False], ids=["with-series", "summary-only"])
def test_a_stored_run_is_the_model_run_at_its_point_with_its_key_seed(tmp_path, series):
    path = teaching_sweep(tmp_path, series=series)
    run_sweep(path, tmp_path / "s", workers=1)
    summary = sorted_summary(tmp_path / "s")
    assert len(summary) == 8
    row = summary.iloc[0]
    assert row["seed"] == run_seed(7, row["run_key"])
    scenario = resolve(
        load_scenario(load_sweep(path).scenario),
        None,
        [
            f"exercises.tempo_per_year={row['exercises.tempo_per_year']}",
            f"consensus.rule={row['consensus.rule']}",
        ],
    )
    direct = run_once(scenario, 12, int(row["seed"]))["summary"]
    del direct["provenance"]
    assert {k: row[k] for k in direct} == direct


def test_run_keys_do_not_depend_on_the_order_of_parameters_in_the_file(tmp_path):
    a = teaching_sweep(tmp_path)
    text = a.read_text()
    lines = text.splitlines()
    i = lines.index("  consensus.rule: [unanimity, qualified_majority]")
    lines[i - 1], lines[i] = lines[i], lines[i - 1]
    (tmp_path / "b").mkdir()
    b = tmp_path / "b" / "sweep.yaml"
    b.write_text("\n".join(lines) + "\n")
    keys = [
        sorted((r.key, r.seed) for r in plan_runs(s, build_design(s)))
        for s in (load_sweep(a), load_sweep(b))
    ]
    assert keys[0] == keys[1]
    assert len(keys[0]) == 8 and len({k for k, _ in keys[0]}) == 8


def _wait_for_parts(folder, n, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((folder / "summary").glob("part-*.parquet"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("no batch was committed in time")


def test_sigkill_then_resume_runs_every_run_exactly_once_with_identical_results(tmp_path):
    path = teaching_sweep(tmp_path, steps=24, reps=6)  # 24 runs
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "sweep", str(path), "--workers", "2", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    _wait_for_parts(out, 2, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    stored = len(SweepStore(out).done_keys())
    assert 0 < stored < 24
    resumed = cli("sweep", path, "--workers", "2", "--out", out, "--resume", "--json", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    counts = json.loads(resumed.stdout)
    assert counts == {"planned": 24, "completed": 24 - stored, "failed": 0, "skipped": stored}
    run_sweep(path, tmp_path / "whole", workers=1)
    killed, whole = sorted_summary(out), sorted_summary(tmp_path / "whole")
    assert killed["run_key"].is_unique and len(killed) == 24
    pd.testing.assert_frame_equal(killed, whole)
    series = SweepStore(out).table("timeseries")
    assert len(series) == 24 * 25 and not series.duplicated(["run_key", "step"]).any()
    assert not list((out / "summary").glob("part-*"))  # compacted


def test_ctrl_c_stops_cleanly_keeps_what_is_done_and_says_how_to_resume(tmp_path):
    # 200 short runs: the interrupt is sent as soon as the first batch is stored, long before
    # the last run, on a quiet machine as on a loaded one
    path = teaching_sweep(tmp_path, steps=12, reps=50)
    out = tmp_path / "stopped"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "sweep", str(path), "--workers", "2", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _wait_for_parts(out, 1, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "--resume" in err and str(out) in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["state"] == "interrupted"
    done = SweepStore(out).done_keys()
    resumed = run_sweep(path, out, workers=2, resume=True)
    assert resumed.skipped == len(done) and resumed.completed == 200 - len(done)


class _FailingIshigami(evaluators_module.Ishigami):
    @classmethod
    def evaluate(cls, ctx, values, seed):
        if values["x1"] > 1.0:
            raise ValueError("x1 too large for this test")
        return super().evaluate(ctx, values, seed)


def test_a_failing_run_is_recorded_with_its_message_and_the_sweep_goes_on(tmp_path, monkeypatch):
    monkeypatch.setitem(evaluators_module.EVALUATORS, "ishigami", _FailingIshigami)
    path = ishigami_sweep(tmp_path, method="lhs", samples=40)
    # fork: the workers inherit the patched evaluator
    outcome = run_sweep(path, tmp_path / "s", workers=2, start_method="fork")
    summary = sorted_summary(tmp_path / "s")
    failed = summary[summary["status"] == "failed"]
    assert (failed["x1"] > 1.0).all() and (
        summary.loc[summary["status"] == "ok", "x1"] <= 1.0
    ).all()
    assert len(failed) == outcome.failed > 0 and outcome.completed == 40 - len(failed)
    assert set(failed["error"]) == {"ValueError: x1 too large for this test"}
    assert failed["y"].isna().all()


def test_resume_refuses_a_changed_sweep_file_unless_forced(tmp_path):
    path = teaching_sweep(tmp_path, steps=6, reps=1)
    run_sweep(path, tmp_path / "s", workers=1)
    path.write_text(path.read_text().replace("seed: 7", "seed: 8"))
    refused = cli("sweep", path, "--out", tmp_path / "s", "--resume", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"alliance-sim: error: --resume: cannot resume {tmp_path / 's'}: the sweep file changed "
        "since it started; start a new sweep with another --out, or add --force to resume anyway"
    ]
    again = cli("sweep", path, "--out", tmp_path / "s", cwd=tmp_path)
    assert again.returncode == 2 and "already holds a sweep" in again.stderr
    before = sorted_summary(tmp_path / "s")
    # --force --resume keeps the stored runs (made with the old seeds); --force alone starts over
    forced = run_sweep(path, tmp_path / "s", workers=1, resume=True, force=True)
    assert forced.counts() == {"planned": 4, "completed": 0, "failed": 0, "skipped": 4}
    pd.testing.assert_frame_equal(sorted_summary(tmp_path / "s"), before)
    restarted = run_sweep(path, tmp_path / "s", workers=1, force=True)
    assert restarted.counts() == {"planned": 4, "completed": 4, "failed": 0, "skipped": 0}
    after = sorted_summary(tmp_path / "s")
    assert list(after["run_key"]) == list(before["run_key"])
    assert not set(after["seed"]) & set(before["seed"])


def test_sweep_json_prints_only_the_counts_and_the_store_holds_its_provenance(tmp_path):
    path = teaching_sweep(tmp_path, steps=6, reps=1)
    out = cli("sweep", path, "--workers", "2", "--out", tmp_path / "s", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"planned": 4, "completed": 4, "failed": 0, "skipped": 0}
    assert out.stdout.count("\n") == 1 and out.stderr == ""
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["state"] == "complete" and manifest["planned"] == 4
    assert manifest["sweep_sha256"] == load_sweep(path).sha256
    assert {"version", "git_commit", "dirty"} <= set(manifest["code"])
    assert manifest["packages"]["mesa"] and manifest["packages"]["python"]
    design = pd.read_parquet(tmp_path / "s" / "design.parquet")
    assert list(design.columns) == ["point", "exercises.tempo_per_year", "consensus.rule"]
    assert len(design) == 4
