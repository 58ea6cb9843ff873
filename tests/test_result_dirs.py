"""Result directories are all-or-nothing: staged, listed in a manifest, swapped in, one writer.

Unit tests of :mod:`simulation.resultdir` first, then the command line as a user meets it: real
``alliance-sim run`` subprocesses killed (SIGKILL, SIGINT) in the middle of writing, two runs
into one place at once, and the destination classes refused before a run starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clitools import cli

from simulation import resultdir
from simulation.errors import ScenarioError
from simulation.resultdir import MANIFEST, publish, reserved, verify

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"


def files(stage: Path, contents: dict[str, str]) -> list[Path]:
    """Write ``contents`` (relative path -> text) into ``stage``; return the paths."""
    paths = []
    for name, text in contents.items():
        path = stage / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return paths


def siblings(out: Path) -> list[str]:
    """Hidden temporaries beside ``out`` (the lock file is not one)."""
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock")
    )


# ------------------------------------------------------------------ the writer
def test_manifest_names_every_file_with_its_hash_and_size(tmp_path):
    out = tmp_path / "r"
    written = publish(out, lambda s: files(s, {"summary.json": "{}", "figures/a.svg": "<svg/>"}))
    assert [p.name for p in written] == ["summary.json", "a.svg", MANIFEST]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["format"] == resultdir.FORMAT
    assert manifest["files"] == {
        "summary.json": {"sha256": hashlib.sha256(b"{}").hexdigest(), "bytes": 2},
        "figures/a.svg": {"sha256": hashlib.sha256(b"<svg/>").hexdigest(), "bytes": 6},
    }
    assert set(verify(out)) == {"summary.json", "figures/a.svg"}
    assert siblings(out) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_replacing_swaps_the_whole_directory(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(resultdir, "_exchange", lambda a, b: False)
    out = tmp_path / "r"
    publish(out, lambda s: files(s, {"summary.json": "old", "events.csv": "old"}))
    publish(out, lambda s: files(s, {"summary.json": "new"}))
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "summary.json"]
    assert (out / "summary.json").read_text() == "new"
    verify(out)
    assert siblings(out) == []


def test_a_failing_write_leaves_the_old_directory_and_no_temporaries(tmp_path):
    out = tmp_path / "r"
    publish(out, lambda s: files(s, {"summary.json": "old"}))

    def fails(stage: Path) -> list[Path]:
        files(stage, {"summary.json": "new"})
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        publish(out, fails)
    assert (out / "summary.json").read_text() == "old"
    verify(out)
    assert siblings(out) == []


def test_temporaries_of_a_killed_writer_are_cleaned_and_an_old_run_restored(tmp_path):
    out = tmp_path / "r"
    (tmp_path / ".r.tmp-abcd1234").mkdir()  # killed while staging
    (tmp_path / ".r.tmp-abcd1234" / "summary.json").write_text("partial")
    old = tmp_path / ".r.old-abcd1234"  # killed between the two renames of the fallback
    publish(old, lambda s: files(s, {"summary.json": "old"}))
    with reserved(out):
        assert (out / "summary.json").read_text() == "old"
    assert siblings(out) == []


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        (lambda d: (d / MANIFEST).unlink(), "missing: not a complete"),
        (lambda d: (d / "events.csv").unlink(), "missing (a partial directory)"),
        (lambda d: (d / "events.csv").write_text("step\n1\n"), "differs from the manifest"),
        (lambda d: (d / "pairs.csv").write_text("x"), "pairs.csv is not in manifest.json"),
        (lambda d: (d / MANIFEST).write_text("[1]"), "format"),
        (lambda d: (d / MANIFEST).write_text("{" * 100_000), "not valid JSON"),
    ],
    ids=["no-manifest", "partial", "mixed", "foreign-file", "bad-format", "deep-json"],
)
def test_verify_refuses_partial_mixed_or_edited_directories(tmp_path, damage, fragment):
    out = tmp_path / "r"
    publish(out, lambda s: files(s, {"summary.json": "{}", "events.csv": "step\n0\n"}))
    damage(out)
    with pytest.raises(ScenarioError, match=r"re-run|remove it") as err:
        verify(out)
    assert fragment in err.value.message


def test_verify_refuses_a_manifest_path_outside_the_directory(tmp_path):
    out = tmp_path / "r"
    publish(out, lambda s: files(s, {"summary.json": "{}"}))
    body = {"format": resultdir.FORMAT, "files": {"../x": {"sha256": "0", "bytes": 1}}}
    (out / MANIFEST).write_text(json.dumps(body))
    with pytest.raises(ScenarioError, match="not a path inside the directory"):
        verify(out)


# ------------------------------------------------------------------ the destination
@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: Path(""), "empty or '.'"),
        (lambda d: d / ("x" * 250), "over the limit of"),
        (lambda d: d / "/".join(["y" * 200] * 22), "path is over"),
        (lambda d: _file(d / "f") / "sub", "is a file, not a folder"),
        (lambda d: _file(d / "f"), "exists and is not a directory"),
        (lambda d: _mixed(d / "mine", "notes.txt", "file"), "which alliance-sim did not write"),
        (lambda d: _mixed(d / "r", "figures", "file"), "figures should be a directory"),
        (lambda d: _mixed(d / "r", "summary.json", "dir"), "summary.json should be a file"),
    ],
    ids=["empty", "long-name", "long-path", "parent-file", "file", "foreign", "figures", "json"],
)
def test_destination_classes_are_refused(tmp_path, make, fragment):
    with pytest.raises(ScenarioError, match="--out") as err:
        resultdir.check_destination(make(tmp_path))
    assert fragment in err.value.message


def _file(path: Path) -> Path:
    path.write_text("x")
    return path


def _mixed(out: Path, name: str, kind: str) -> Path:
    out.mkdir()
    (out / "summary.json").write_text("{}") if name != "summary.json" else None
    (out / name).mkdir() if kind == "dir" else (out / name).write_text("x")
    return out


def test_a_second_writer_is_refused_naming_the_first(tmp_path):
    out = tmp_path / "r"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ScenarioError, match=f"pid {holder.pid}") as err, reserved(out):
            pass
        assert "wait for it to finish or give another --out" in err.value.message
    finally:
        holder.kill()
        holder.wait()
    with reserved(out):  # the lock died with its holder
        pass


_HOLD = """
import sys, time
from pathlib import Path
from simulation.resultdir import reserved
with reserved(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


# ------------------------------------------------------------------ real runs, interrupted
def start_run(out: Path, seed: int, cwd: Path, pause: str = "0") -> subprocess.Popen[str]:
    """``alliance-sim run`` on the teaching scenario into ``out``, sleeping after each file."""
    cmd = [sys.executable, "-m", "cli", "run", str(TEACHING), "--steps", "6"]
    cmd += ["--seed", str(seed), "--out", str(out), "--no-plots"]
    env = {**os.environ, "MPLBACKEND": "Agg", "ALLIANCE_SIM_WRITE_PAUSE": pause}
    return subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def seed_of(out: Path) -> int:
    """The run's seed, after checking the directory is whole (what ``report`` checks)."""
    from analysis.loading import load_results

    return load_results(out).provenance["seed"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """A complete run with seed 1 (copied by each test that replaces it)."""
    cwd = tmp_path_factory.mktemp("first")
    proc = start_run(cwd / "r", 1, cwd)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return cwd / "r"


def copy_of(run: Path, tmp_path: Path) -> Path:
    import shutil

    out = tmp_path / "r"
    shutil.copytree(run, out)
    return out


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_run_interrupted_while_writing_leaves_the_old_run_or_the_new(first_run, tmp_path, sig):
    out = copy_of(first_run, tmp_path)
    rng = random.Random(sig)
    seen = set()
    for delay in sorted(rng.uniform(0.0, 1.6) for _ in range(3)):
        proc = start_run(out, 2, tmp_path, pause="0.15")
        deadline = time.monotonic() + 240
        while not siblings(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until the run is staging its files
        time.sleep(delay)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        if sig == signal.SIGINT and proc.returncode != 0:
            assert proc.returncode == 130 and "interrupted" in err
            assert siblings(out) == []  # SIGINT cleans its own staging directory
        seed = seed_of(out)  # whole: its manifest matches, every file its schema
        assert seed in (1, 2)
        seen.add(seed)
        assert all(not p.name.startswith(".") for p in out.iterdir())
    proc = start_run(out, 3, tmp_path)  # the next run cleans whatever the killed ones left
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert seed_of(out) == 3
    assert siblings(out) == []


def test_two_concurrent_runs_into_one_place_end_complete_or_refused(tmp_path):
    out = tmp_path / "results" / "teaching" / "baseline"
    runs = [start_run(out, seed, tmp_path, pause="0.1") for seed in (5, 6)]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    codes = sorted(code for code, _ in outcomes)
    for code, err in outcomes:
        assert "Traceback" not in err
        if code == 2:
            assert err.startswith("alliance-sim: error: --out: another alliance-sim (pid ")
            assert len(err.splitlines()) == 1
    assert codes in ([0, 0], [0, 2])
    assert seed_of(out) in (5, 6)
    assert siblings(out) == []


# ------------------------------------------------------------------ the command line
def assert_one_line(proc: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    detail = f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == code, detail
    assert "Traceback" not in proc.stderr, detail
    assert proc.stderr.startswith("alliance-sim: error: "), detail
    assert len(proc.stderr.splitlines()) == 1, detail
    for fragment in fragments:
        assert fragment in proc.stderr, f"{fragment!r} missing{detail}"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--out", ""), ("--out: empty or '.'",)),
        (("--out", "x" * 300), ("over the limit of",)),
        (("--out", "summary.json/r"), ("is a file, not a folder",)),
    ],
    ids=["empty", "long", "under-a-file"],
)
def test_run_refuses_a_bad_destination_before_running(tmp_path, args, fragments):
    (tmp_path / "summary.json").write_text("{}")
    proc = cli("run", TEACHING, "--steps", "2", *args, cwd=tmp_path)
    assert_one_line(proc, 2, *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_a_scenario_named_dots_yaml_does_not_escape_results(tmp_path):
    (tmp_path / "...yaml").write_text(TEACHING.read_text())
    proc = cli("run", "...yaml", "--steps", "2", "--no-plots", cwd=tmp_path)
    assert_one_line(proc, 2, "'...yaml' gives no folder name inside results/", "give --out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["...yaml"]


def test_run_keeps_the_previous_results_when_the_destination_is_foreign(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    proc = cli("run", TEACHING, "--steps", "2", "--out", out, cwd=tmp_path)
    assert_one_line(proc, 2, "'thesis.tex', which alliance-sim did not write")
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_an_environment_fault(tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "cli", "validate", str(TEACHING)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("alliance-sim: error: No space left on device"), proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


def test_a_closed_pipe_is_an_environment_fault(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "run", str(TEACHING), "--steps", "2", "--no-plots"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # the reader goes away, as `| head -0` does
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 1, err
    assert err.startswith("alliance-sim: error: Broken pipe"), err
    assert len(err.splitlines()) == 1
    assert seed_of(tmp_path / "results" / "teaching" / "baseline") == 1  # results complete


def test_a_full_disk_while_writing_keeps_the_previous_results(first_run, tmp_path, monkeypatch):
    from simulation import results as results_module
    from simulation.runner import run
    from simulation.scenario import load_scenario

    out = copy_of(first_run, tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = results_module.atomic_write
    calls = []

    def full_disk(path, write):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, write)

    monkeypatch.setattr(results_module, "atomic_write", full_disk)
    result = run(load_scenario(TEACHING), steps=2, seed=9)
    with pytest.raises(OSError, match="No space left"):
        results_module.write_run(result, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert siblings(out) == []


def test_parquet_and_csv_copies_hold_the_same_table(first_run):
    import pandas as pd

    listed = verify(first_run)
    for stem in ("timeseries", "events", "nations", "pairs"):
        assert {f"{stem}.parquet", f"{stem}.csv"} <= set(listed)
        parquet = pd.read_parquet(first_run / f"{stem}.parquet")
        csv = pd.read_csv(first_run / f"{stem}.csv")
        assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet)
        text = [c for c in parquet.columns if not pd.api.types.is_numeric_dtype(parquet[c])]
        csv[text], parquet[text] = csv[text].fillna(""), parquet[text].fillna("")  # "" reads as NA
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False, check_exact=False)
