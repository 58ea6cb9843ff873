"""The ``alliance-sim`` command as a user calls it: a subprocess, its exit code, stdout and stderr.

Bad input must give exit code 2 and exactly one line on stderr, ``alliance-sim: error: ...``,
naming the file and the field, with no traceback unless ``--debug`` is given. Runs are kept short
(``--steps 12``) so the whole file takes under a minute.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from clitools import CONSOLE_SCRIPT, cli

from simulation.scenario import load_scenario, resolve

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"
TEXT = TEACHING.read_text(encoding="utf-8")

SUMMARY_KEYS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "consensus_rate",
    "decision_latency",
    "defence_share_mean",
    "burden_size_correlation",
    "members",
    "provenance",
)
PROVENANCE_KEYS = ("version", "scenario_sha256", "seed", "variant", "steps", "python", "mesa")
UNIT_INTERVAL_KEYS = ("cohesion", "mean_trust", "interoperability", "consensus_rate")
OUTPUT_FILES = (
    "summary.json",
    "timeseries.parquet",
    "timeseries.csv",
    "events.parquet",
    "events.csv",
    "scenario.resolved.yaml",
)
RUN = ("run", "--json", "--seed", "7", "--steps", "12", "--no-plots")


# --------------------------------------------------------------------------- helpers
def edit(old: str, new: str, text: str = TEXT) -> str:
    assert old in text, f"teaching.yaml no longer contains {old!r}; update the test"
    return text.replace(old, new, 1)


def write(directory: Path, content: str | bytes, name: str = "bad.yaml") -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_bad_input(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, one stderr line ``alliance-sim: error: ...`` holding ``fragments``, no traceback."""
    detail = f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 2, detail
    assert "Traceback" not in proc.stderr, detail
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, detail
    line = lines[0]
    assert line.startswith("alliance-sim: error: "), detail
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} missing{detail}"
    assert proc.stdout == "", detail
    return line


def without_provenance(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "provenance"}


# --------------------------------------------------------------------------- bad input
NATIONS_BLOCK = TEXT[TEXT.index("nations:\n") : TEXT.index("programmes:\n")]
PROGRAMMES_BLOCK = TEXT[TEXT.index("programmes:\n") : TEXT.index("variants:\n")]

# id -> (file content, fragments the message must hold besides the file name)
BAD_FILES: dict[str, tuple[str | bytes, tuple[str, ...]]] = {
    "syntax-error": (
        edit("steps: 120", "steps: [120"),
        (":12: ", "YAML syntax error"),
    ),
    "unknown-key": (
        edit("programmes:\n", "exercises: {tempo_per_yaer: 3}\n\nprogrammes:\n"),
        (":35: ", "exercises.tempo_per_yaer", "unknown key", "did you mean tempo_per_year?"),
    ),
    "unknown-key-in-nation": (
        edit("exposure: 0.2,", "exposure: 0.2, expsure: 0.1,"),
        (":18: ", "nations[0].expsure", "unknown key", "did you mean exposure?"),
    ),
    "wrong-type": (
        edit("gdp_busd: 20000", "gdp_busd: lots"),
        (":17: ", "nations[0].gdp_busd", "expected a number"),
    ),
    "float-for-int": (
        edit("steps: 120", "steps: 12.5"),
        (":11: ", "steps", "expected an integer"),
    ),
    "nan": (
        edit("exposure: 0.2,", "exposure: .nan,"),
        (":18: ", "nations[0].exposure", "nan is not allowed", "finite"),
    ),
    "inf": (
        edit("gdp_busd: 20000", "gdp_busd: .inf"),
        (":17: ", "nations[0].gdp_busd", "inf is not allowed"),
    ),
    "out-of-range": (
        edit("defence_share_pct: 3.0", "defence_share_pct: 61"),
        (":17: ", "nations[0].defence_share_pct", "61 is out of range", "between 0 and 60"),
    ),
    "negative-gdp": (
        edit("gdp_busd: 20000", "gdp_busd: -5"),
        (":17: ", "nations[0].gdp_busd", "-5 is out of range", "between 0.001 and 1000000"),
    ),
    "missing-field": (
        edit("gdp_busd: 20000, ", ""),
        (":17: ", "nations[0]", "missing required field 'gdp_busd'"),
    ),
    "duplicate-nation": (
        edit("iso3: BBB", "iso3: AAA"),
        (":19: ", "nations[1].iso3", "duplicate nation AAA"),
    ),
    "duplicate-key": (
        edit("seed: 1\n", "seed: 1\nseed: 2\n"),
        (":13: ", "seed", "duplicate key"),
    ),
    "unknown-reference": (
        edit("partners: [GGG]", "partners: [GGH]"),
        (":37: ", "programmes[0].partners[0]", "unknown nation GGH", "did you mean GGG?"),
    ),
    "partner-role": (
        edit("partners: [GGG]", "partners: [AAA]"),
        (":37: ", "programmes[0].partners[0]", "AAA has role member"),
    ),
    "interests-length": (
        edit("interests: [0.6, 0.4, 0.9]", "interests: [0.6, 0.4]"),
        (":18: ", "nations[0].interests", "2 values but there are 3 issues"),
    ),
    "empty-nations": (
        edit(PROGRAMMES_BLOCK, "", edit(NATIONS_BLOCK, "nations: []\n\n")),
        (":15: ", "nations", "empty section"),
    ),
    "empty-exercises": (
        edit("programmes:\n", "exercises:\n\nprogrammes:\n"),
        (":35: ", "exercises", "empty section"),
    ),
    "empty-issues": (
        edit("issues: [eastern_flank, southern_flank, out_of_area]", "issues: []"),
        (":13: ", "issues", "empty section"),
    ),
    "invalid-utf8": (
        TEXT.encode("utf-8").replace(b"Atlantica", b"Atl\xffantica"),
        (":17: ", "not valid UTF-8"),
    ),
    "non-mapping-list": ("- a\n- b\n", ("the document is a list, not a mapping",)),
    "non-mapping-scalar": ("hello\n", ("not a mapping",)),
    "empty-file": ("", ("the document is nothing, not a mapping",)),
    "multiple-documents": (TEXT + "---\nname: again\n", (":46: ", "document")),
    "bad-variant-field": (
        edit("exercises: {enabled: false}", "exercises: {enabled: false, size: 1}"),
        (":45: ", "exercises.size", "out of range"),
    ),
    "unknown-nation-in-variant": (
        TEXT + "  estmark_up:\n    nations: {EEX: {defence_share_pct: 3.5}}\n",
        (":47: ", "variants.estmark_up.nations.EEX", "did you mean EEE?"),
    ),
}


# Every class through ``validate`` (fast); the common ones through ``run`` as well.
RUN_CASES = (
    "syntax-error",
    "unknown-key",
    "wrong-type",
    "nan",
    "negative-gdp",
    "unknown-reference",
    "invalid-utf8",
)


@pytest.mark.parametrize(
    ("case", "command"),
    [*((c, "validate") for c in BAD_FILES), *((c, "run") for c in RUN_CASES)],
)
def test_bad_file(tmp_path, case, command):
    content, fragments = BAD_FILES[case]
    path = write(tmp_path, content)
    args = ("run", path, "--steps", "2") if command == "run" else ("validate", path)
    line = assert_bad_input(cli(*args, cwd=tmp_path), *fragments)
    assert line.startswith(f"alliance-sim: error: {path}"), line
    assert not (tmp_path / "results").exists()


def test_python_tag_is_rejected_and_not_executed(tmp_path):
    marker = tmp_path / "executed"
    text = edit(
        "name: Teaching alliance", f'name: !!python/object/apply:os.system ["touch {marker}"]'
    )
    path = write(tmp_path, text)
    assert_bad_input(cli("run", path, cwd=tmp_path), str(path), ":6: ", "YAML tag not allowed")
    assert not marker.exists()
    assert_bad_input(cli("validate", path, cwd=tmp_path), str(path), "YAML tag not allowed")
    assert not marker.exists()


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert_bad_input(cli("run", path, cwd=tmp_path), f"{path}: file not found")


def test_directory_instead_of_file(tmp_path):
    assert_bad_input(cli("validate", tmp_path, cwd=tmp_path), str(tmp_path), "directory")


def test_unknown_variant(tmp_path):
    proc = cli("run", TEACHING, "--variant", "no_exercise", cwd=tmp_path)
    assert_bad_input(
        proc,
        str(TEACHING),
        "variants",
        "unknown variant 'no_exercise'",
        "did you mean no_exercises?",
    )


@pytest.mark.parametrize(
    ("override", "fragments"),
    [
        ("consensus.rul=unanimity", ("consensus.rul", "unknown key", "did you mean rule?")),
        ("steps=abc", ("steps", "expected an integer")),
        ("nations.EEE.exposure=1.5", ("nations[4].exposure", "out of range")),
        ("exercises.tempo_per_year=.nan", ("exercises.tempo_per_year", "nan is not allowed")),
        ("nations.ZZZ.exposure=0.5", ("nations.ZZZ", "unknown nation ZZZ")),
        ("steps", ("--set 'steps'", "expected path.to.field=VALUE")),
    ],
    ids=["unknown-path", "wrong-type", "out-of-range", "nan", "unknown-nation", "missing-equals"],
)
def test_bad_set_override(tmp_path, override, fragments):
    proc = cli("run", TEACHING, "--set", override, "--steps", "2", cwd=tmp_path)
    assert_bad_input(proc, "--set", *fragments)


def test_bad_set_override_names_the_file(tmp_path):
    proc = cli("run", TEACHING, "--set", "steps", "--steps", "2", cwd=tmp_path)
    assert_bad_input(proc, str(TEACHING))


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--steps", "0", "must be from 1 to 100000"),
        ("--steps", "100001", "must be from 1 to 100000"),
        ("--steps", "9" * 5000, "expected a whole number"),
        ("--steps", "ten", "expected a whole number"),
        ("--steps", "12.5", "expected a whole number"),
        ("--seed", "-1", "must be from 0"),
        ("--seed", "x", "expected a whole number"),
        ("--replications", "0", "must be from 1 to 10000"),
        ("--replications", "1000000000", "must be from 1 to 10000"),
        ("--replications", "two", "expected a whole number"),
    ],
)
def test_bad_option_value_exits_2_without_traceback(tmp_path, option, value, fragment):
    proc = cli("run", TEACHING, option, value, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    last = proc.stderr.splitlines()[-1]
    assert "error:" in last and option in last and fragment in last, proc.stderr


@pytest.mark.parametrize(("option", "value"), [("--steps", "0"), ("--seed", "-1")])
def test_bad_option_value_is_one_error_line(tmp_path, option, value):
    assert_bad_input(cli("run", TEACHING, option, value, cwd=tmp_path), option)


def test_out_that_is_a_file(tmp_path):
    target = write(tmp_path, "not a directory\n", "taken")
    proc = cli("run", TEACHING, "--steps", "2", "--no-plots", "--out", target, cwd=tmp_path)
    assert_bad_input(proc, str(target))


def test_seed_too_large_for_the_tables(tmp_path):
    proc = cli(
        "run",
        TEACHING,
        "--seed",
        2**64,
        "--steps",
        "2",
        "--no-plots",
        "--out",
        tmp_path / "o",
        cwd=tmp_path,
    )
    if proc.returncode != 0:
        assert_bad_input(proc, "seed")


# --------------------------------------------------------------------------- --debug
def test_debug_shows_the_traceback(tmp_path):
    path = write(tmp_path, BAD_FILES["negative-gdp"][0])
    debug = cli("run", path, "--debug", cwd=tmp_path)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr
    assert "ScenarioError" in debug.stderr
    assert "nations[0].gdp_busd" in debug.stderr


def test_debug_shows_the_traceback_in_validate(tmp_path):
    path = write(tmp_path, BAD_FILES["negative-gdp"][0])
    debug = cli("validate", path, "--debug", cwd=tmp_path)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_debug_before_the_command_shows_the_traceback(tmp_path):
    path = write(tmp_path, BAD_FILES["negative-gdp"][0])
    debug = cli("--debug", "run", path, cwd=tmp_path)
    assert "Traceback" in debug.stderr


# --------------------------------------------------------------------------- validate
def test_validate_good_files(tmp_path):
    copy = write(tmp_path, TEXT, "copy.yaml")
    proc = cli("validate", TEACHING, copy, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, (TEACHING, copy), strict=True):
        assert line.startswith("ok") and str(path) in line
        assert "baseline, qualified_majority, no_exercises" in line


def test_validate_reports_every_bad_file(tmp_path):
    bad_key = write(tmp_path, BAD_FILES["unknown-key"][0], "bad_key.yaml")
    bad_gdp = write(tmp_path, BAD_FILES["negative-gdp"][0], "bad_gdp.yaml")
    missing = tmp_path / "missing.yaml"
    proc = cli("validate", TEACHING, bad_key, bad_gdp, missing, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.splitlines()
    assert len(errors) == 3, proc.stderr
    assert all(e.startswith("alliance-sim: error: ") for e in errors)
    assert str(bad_key) in errors[0] and "exercises.tempo_per_yaer" in errors[0]
    assert str(bad_gdp) in errors[1] and "nations[0].gdp_busd" in errors[1]
    assert str(missing) in errors[2] and "file not found" in errors[2]
    assert proc.stdout.splitlines() == [
        line for line in proc.stdout.splitlines() if line.startswith("ok")
    ]
    assert len(proc.stdout.splitlines()) == 1 and str(TEACHING) in proc.stdout


def test_validate_checks_variants(tmp_path):
    path = write(tmp_path, BAD_FILES["bad-variant-field"][0])
    assert_bad_input(cli("validate", path, cwd=tmp_path), str(path), "exercises.size")


def test_console_script_is_installed_and_validates(tmp_path):
    assert CONSOLE_SCRIPT.exists()
    proc = cli("validate", TEACHING, cwd=tmp_path, script=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok  {TEACHING}")


def test_console_script_reports_bad_input(tmp_path):
    path = write(tmp_path, BAD_FILES["unknown-key"][0])
    proc = cli("run", path, cwd=tmp_path, script=True)
    assert_bad_input(proc, f"{path}:35: exercises.tempo_per_yaer: unknown key")


# --------------------------------------------------------------------------- successful runs
@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    """The same ``run --json`` twice into the same directory; (first stdout, second, out dir)."""
    work = tmp_path_factory.mktemp("baseline")
    out = work / "out"
    first = cli(*RUN, TEACHING, "--out", out, cwd=work)
    second = cli(*RUN, TEACHING, "--out", out, cwd=work)
    for proc in (first, second):
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
    return first.stdout, second.stdout, out


def test_json_stdout_is_one_object_with_the_summary_keys(baseline_run):
    stdout, _, _ = baseline_run
    summary = json.loads(stdout)  # the whole of stdout, nothing else
    assert isinstance(summary, dict)
    for key in SUMMARY_KEYS:
        assert key in summary, key
    prov = summary["provenance"]
    for key in PROVENANCE_KEYS:
        assert key in prov, key
    assert prov["seed"] == 7
    assert prov["steps"] == 12
    assert prov["variant"] == "baseline"
    assert prov["scenario_sha256"] == hashlib.sha256(TEACHING.read_bytes()).hexdigest()
    assert prov["python"] == ".".join(map(str, sys.version_info[:3]))
    for key in UNIT_INTERVAL_KEYS:
        assert 0.0 <= summary[key] <= 1.0, (key, summary[key])
    assert summary["members"] == 6


def test_json_run_is_reproducible(baseline_run):
    first, second, _ = baseline_run
    assert first == second


def test_out_directory_holds_every_output(baseline_run):
    stdout, _, out = baseline_run
    for name in OUTPUT_FILES:
        assert (out / name).is_file(), name
    assert not (out / "figures").exists()  # --no-plots
    assert json.loads((out / "summary.json").read_text()) == json.loads(stdout)
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 13  # the initial state and 12 steps
    assert len(pd.read_csv(out / "timeseries.csv")) == len(ts)
    events = pd.read_parquet(out / "events.parquet")
    assert len(pd.read_csv(out / "events.csv")) == len(events)
    assert (events["event"] == "exercise").sum() == json.loads(stdout)["exercises"]


def test_resolved_yaml_reruns_to_the_same_numbers(baseline_run, tmp_path):
    stdout, _, out = baseline_run
    summary = json.loads(stdout)
    resolved_file = out / "scenario.resolved.yaml"
    prov = summary["provenance"]
    # The resolved file records the seed and steps the run used, so it reruns as it is.
    expected = resolve(
        load_scenario(TEACHING), overrides=[f"steps={prov['steps']}", f"seed={prov['seed']}"]
    )
    assert load_scenario(resolved_file) == expected
    proc = cli("run", resolved_file, "--json", "--no-plots", "--out", tmp_path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert without_provenance(json.loads(proc.stdout)) == without_provenance(summary)


def test_run_writes_the_overview_figure(tmp_path):
    out = tmp_path / "out"
    proc = cli("run", TEACHING, "--seed", "7", "--steps", "12", "--out", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "figures" / "overview.png").is_file()
    assert (out / "figures" / "overview.png").stat().st_size > 0
    assert f"{out}" in proc.stdout  # the table mode names where it wrote


def test_replications(tmp_path):
    proc = cli(*RUN, TEACHING, "--replications", "3", "--out", tmp_path / "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    reps = summary["replications"]
    assert len(reps) == 3
    seeds = [r["provenance"]["seed"] for r in reps]
    assert len(set(seeds)) == 3
    assert summary["provenance"]["replication_seeds"] == seeds
    assert summary["cohesion"] == pytest.approx(sum(r["cohesion"] for r in reps) / 3, rel=1e-12)
    ts = pd.read_parquet(tmp_path / "out" / "timeseries.parquet")
    assert sorted(ts["replication"].unique()) == [0, 1, 2]


@pytest.fixture(scope="module")
def no_exercises_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("no_exercises")
    proc = cli(*RUN, TEACHING, "--variant", "no_exercises", "--out", work / "out", cwd=work)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_variant_changes_the_result(baseline_run, no_exercises_run):
    baseline = json.loads(baseline_run[0])
    assert baseline["exercises"] > 0
    assert no_exercises_run["exercises"] == 0
    assert no_exercises_run["provenance"]["variant"] == "no_exercises"
    assert no_exercises_run["interoperability"] != baseline["interoperability"]


def test_zero_tempo_matches_disabled_exercises(tmp_path, no_exercises_run):
    """Equal by construction: each mechanism has its own random stream, and Poisson(0) is 0."""
    proc = cli(
        *RUN, TEACHING, "--set", "exercises.tempo_per_year=0", "--out", tmp_path, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    zero_tempo = json.loads(proc.stdout)
    assert zero_tempo["exercises"] == 0
    assert without_provenance(zero_tempo) == without_provenance(no_exercises_run)
    # The override is recorded in the resolved scenario written beside the results.
    resolved = load_scenario(tmp_path / "scenario.resolved.yaml")
    assert resolved.exercises.tempo_per_year == 0
    assert resolved.exercises.enabled is True


def test_help_lists_each_command_module_once_in_a_stable_order(tmp_path):
    folder = TEACHING.parents[1] / "cli" / "commands"
    commands = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    assert commands == ["compare", "report", "run", "sensitivity", "sweep", "validate", "viz"]
    out = cli("--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    # a command's line starts with 4 spaces; a help text moved to its own line, with more
    lines = out.stdout.splitlines()
    rows = [line.split()[0] for line in lines if line.startswith("    ") and line[4] != " "]
    assert rows == ["run", "compare", "sweep", "sensitivity", "report", "validate", "viz"]
