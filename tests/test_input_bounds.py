"""Bounded, unambiguous input (issue 8, items 2, 3, 6, 7): one test per class of bad input.

Each class is closed at its root: the one bounded YAML reader (:mod:`simulation.yamlfile`), the
limits in :mod:`simulation.limits`, the schema ranges, the finite-summary guard and the message
helpers in :mod:`simulation.errors`. The hostile files are built here, byte for byte.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import limits
from simulation.errors import ScenarioError, elide, shown
from simulation.experiment import check_variants
from simulation.rng import iter_replication_seeds, replication_seeds
from simulation.runner import check_finite, run
from simulation.scenario import load_scenario, parse_override, resolve, scenario_from_mapping
from simulation.yamlfile import parse_yaml, read_yaml
from tests.clitools import cli

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "scenarios" / "teaching.yaml"
TEXT = TEACHING.read_text(encoding="utf-8")


def billion_laughs() -> str:
    """The classic 9-level alias bomb: 9**9 (387 million) strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def assert_one_line_exit_2(proc, *fragments: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------- item 2: unbounded inputs
def test_validate_refuses_alias_bomb_and_deep_nesting_fast_and_checks_later_files(tmp_path):
    bomb = write(tmp_path, "bomb.yaml", billion_laughs())
    assert 300 < bomb.stat().st_size < 500  # the 450-byte class of the issue
    deep = write(tmp_path, "deep.yaml", "name: x\nsteps: " + "[" * 1000 + "]" * 1000 + "\n")
    started = time.perf_counter()
    proc = cli("validate", bomb, deep, TEACHING, cwd=tmp_path, timeout=60)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.splitlines()
    assert len(errors) == 2, proc.stderr
    assert "bomb.yaml:" in errors[0] and f"more than {limits.MAX_NODES} values" in errors[0]
    assert "deep.yaml:2:" in errors[1] and f"more than {limits.MAX_DEPTH} levels" in errors[1]
    assert proc.stdout.startswith(f"ok  {TEACHING}")  # checked after the two bad files
    assert elapsed < 30  # a hang guard only; the times are measured and reported, not asserted


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (billion_laughs(), f"more than {limits.MAX_NODES} values"),
        ("a: " + "[" * 1000 + "]" * 1000 + "\n", "levels deep"),
        ("a: " + "{b: " * 1000 + "1" + "}" * 1000 + "\n", "levels deep"),
        ("".join(" " * i + "k:\n" for i in range(200)) + " " * 200 + "1\n", "levels deep"),
        ("- " * 1000 + "1\n", "levels deep"),
        ("steps: " + "9" * 5000 + "\n", f"integers have at most {limits.MAX_INT_DIGITS} digits"),
        ("name: " + "x" * (limits.MAX_SCALAR_CHARS + 1) + "\n", "too long"),
        ("a: &x [1, *x]\n", "refers to the list or mapping that contains it"),
    ],
    ids=[
        "alias-bomb",
        "flow-lists",
        "flow-maps",
        "block-maps",
        "block-lists",
        "digits",
        "long",
        "self",
    ],
)
def test_reader_refuses_each_unbounded_input_within_a_second(text, fragment):
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "hostile.yaml")
    assert time.perf_counter() - started < 5  # hang guard (measured: a few ms each)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_reader_reads_at_most_the_cap_plus_one_byte(tmp_path):
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        read_yaml("/dev/zero")  # endless: only MAX_FILE_BYTES + 1 bytes are read
    assert time.perf_counter() - started < 5
    assert f"larger than {limits.MAX_FILE_BYTES} bytes" in info.value.message
    big = write(tmp_path, "big.yaml", "#" * limits.MAX_FILE_BYTES + "\nname: x\n")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(big)
    at_cap = write(tmp_path, "cap.yaml", "#" * (limits.MAX_FILE_BYTES - 8) + "\na: 1\n")
    assert read_yaml(at_cap)[0] == {"a": 1}


def test_counts_on_the_command_line_have_the_bounds_of_the_file(tmp_path):
    proc = cli("run", TEACHING, "--steps", str(limits.MAX_STEPS + 1), cwd=tmp_path)
    assert_one_line_exit_2(proc, "--steps", f"must be from 1 to {limits.MAX_STEPS}")
    proc = cli("run", TEACHING, "--set", f"steps={limits.MAX_STEPS + 1}", cwd=tmp_path)
    assert_one_line_exit_2(proc, "steps", f"between 1 and {limits.MAX_STEPS}")
    proc = cli("run", TEACHING, "--replications", "1000000000", cwd=tmp_path)
    assert_one_line_exit_2(proc, "--replications", f"from 1 to {limits.MAX_REPLICATIONS}")
    with pytest.raises(ScenarioError, match="replications"):
        run(load_scenario(TEACHING), steps=1, replications=limits.MAX_REPLICATIONS + 1)


def test_replication_seeds_are_made_lazily_and_equal_the_spawned_ones():
    seeds = iter_replication_seeds(7, 10**12)  # a generator: nothing allocated up front
    first = [next(seeds) for _ in range(5)]
    assert first == replication_seeds(7, 5)
    assert replication_seeds(7, 1) == [7]


# --------------------------------------------------------- item 3: computable schema ranges
def test_range_messages_state_the_real_bound():
    text = TEXT.replace("gdp_busd: 20000", "gdp_busd: 1e-300", 1)
    data, lines = parse_yaml(text.replace("1e-300", "1.0e-300"), "t.yaml")
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping(data, file="t.yaml", lines=lines)
    assert "must be between 0.001 and 1000000 billion current USD" in info.value.message
    assert "positive" not in info.value.message


@pytest.mark.parametrize(
    "override",
    [
        "consensus.round_days=1.0e+308",
        "crises.round_days=1.0e+308",
        "consensus.alignment_weight=1.0e+308",
        "metrics.trust_weight=1.0e+308",
        "consensus.proposal_kinds.sanctions.weight=1.0e+308",
        "nations.AAA.gdp_busd=1.7e+308",
        "nations.AAA.capability_busd=1.0e+308",
        "capability.depreciation_per_year=1.0e-300",
    ],
)
def test_values_the_model_cannot_compute_with_are_refused(override):
    with pytest.raises(ScenarioError) as info:
        resolve(load_scenario(TEACHING), None, [override])
    assert "out of range" in info.value.message


def test_summary_is_checked_finite_before_anything_is_written(tmp_path):
    scenario = load_scenario(TEACHING)
    check_finite({"cohesion": 0.5, "decision_latency": None}, scenario)  # null is allowed here
    for bad in ({"cohesion": float("inf")}, {"cohesion": None}, {"mean_trust": float("nan")}):
        with pytest.raises(ScenarioError, match="must be a finite number"):
            check_finite(bad, scenario)


@pytest.mark.slow
def test_overflowing_run_fails_with_one_line_and_writes_nothing(tmp_path):
    """30 % growth for 3,000 years: GDP overflows a float, though each value is in its range."""
    out = tmp_path / "out"
    proc = cli(
        "run",
        TEACHING,
        "--set",
        "step_months=12",
        "--set",
        "nations.RRR.gdp_growth_pct_per_year=30",
        "--steps",
        "3000",
        "--no-plots",
        "--out",
        out,
        cwd=tmp_path,
        timeout=1200,
    )
    assert_one_line_exit_2(proc, str(TEACHING), "must be a finite number")
    assert not out.exists() or not any(out.iterdir())


numeric_fields = st.sampled_from(
    [
        ("consensus.round_days", 0, 365),
        ("crises.round_days", 0, 365),
        ("consensus.threat_weight", 0, 100),
        ("metrics.consensus_weight", 0, 100),
        ("nations.AAA.gdp_busd", 0.001, 1e6),
        ("nations.DDD.capability_busd", 0, 1e6),
        ("adversary.prior_strength", 0.01, 1e6),
        ("burden.threat_sensitivity", 0, 100),
        ("presence.cost_busd_per_year", 0, 1e4),
        ("capability.depreciation_per_year", 0.001, 1),
        ("information.reference_days", 1, 3650),
        ("exercises.cost_busd_per_participant", 0, 1000),
    ]
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(numeric_fields, st.booleans()), min_size=1, max_size=4))
def test_any_values_at_the_schema_bounds_give_a_finite_summary(choices):
    """Values at the ends of their ranges, several at once, still give a finite summary."""
    overrides = [f"{path}={hi if top else lo}" for (path, lo, hi), top in choices]
    result = run(resolve(load_scenario(TEACHING), None, overrides), steps=12)
    summary = {k: v for k, v in result.summary.items() if k != "provenance"}
    check_finite(summary, result.scenario)  # raises if not


# ------------------------------------------------------------- item 6: accepted bad input
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1:30", "base-60"),
        ("1:30.5", "base-60"),
        ("0b1011", "binary"),
        ("1_000", "write 1000"),
        ("yes", "write true or false"),
        ("010", "leading zero"),
    ],
)
def test_yaml_1_1_only_numbers_are_refused_in_files_and_set(value, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_yaml(f"steps: {value}\n", "f.yaml")
    assert fragment in info.value.message and "steps" in info.value.field
    with pytest.raises(ScenarioError, match=fragment):
        parse_override(f"steps={value}")
    assert parse_yaml(f"name: '{value}'\n", "f.yaml")[0] == {"name": value}  # quoted: text


@pytest.mark.parametrize("value", ["false", "0", "''", "[]", ""])
def test_variants_of_the_wrong_type_are_refused(tmp_path, value):
    text = TEXT[: TEXT.index("variants:\n")] + f"variants: {value}\n"
    path = write(tmp_path, "v.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "variants"
    assert "expected a mapping of variant name to overrides" in info.value.message


@pytest.mark.parametrize(
    "snippet",
    [
        'name: "\\ud800"',
        'description: "ok \\udfff"',
        'alliance: "\\ud83d"',
        'variants: {"\\ud800": {steps: 2}}',
    ],
)
def test_lone_surrogates_are_refused_in_every_string(tmp_path, snippet):
    key = snippet.split(":")[0]
    head = TEXT[: TEXT.index("variants:\n")].splitlines()
    lines = [line for line in head if not line.startswith(f"{key}:")]
    path = write(tmp_path, "s.yaml", "\n".join([*lines, snippet, ""]))
    with pytest.raises(ScenarioError, match="not valid Unicode"):
        load_scenario(path)
    # and through the Python API, where no reader stands in front
    data, _ = parse_yaml(TEXT, "t.yaml")
    with pytest.raises(ScenarioError, match="not valid Unicode"):
        scenario_from_mapping({**data, "name": "\ud800"})


def test_one_member_alliance_is_refused_at_validation(tmp_path):
    data, _ = parse_yaml(TEXT, "t.yaml")
    data = {k: v for k, v in data.items() if k not in ("variants", "programmes")}
    members = [n for n in data["nations"] if n["role"] == "member"]
    data["nations"] = [members[0], *[n for n in data["nations"] if n["role"] != "member"]]
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    proc = cli("validate", path, cwd=tmp_path)
    assert_one_line_exit_2(proc, "nations: has 1 member", "at least two members")


# ------------------------------------------------------------------------ item 7: messages
def test_long_values_are_elided_in_messages(tmp_path):
    long = "x" * (limits.MAX_SCALAR_CHARS - 1)
    path = write(tmp_path, "h.yaml", TEXT.replace("step_months: 1", f"step_months: {long}", 1))
    proc = cli("validate", path, cwd=tmp_path)
    line = assert_one_line_exit_2(proc, "step_months", "expected an integer")
    assert len(line) < 400 and "..." in line
    huge = "x" * 200_000
    path = write(tmp_path, "h.yaml", TEXT.replace("step_months: 1", f"step_months: {huge}", 1))
    line = assert_one_line_exit_2(cli("validate", path, cwd=tmp_path), "too long")
    assert len(line) < 400
    key = "k" * 1000  # YAML allows plain keys up to 1024 characters
    unknown = write(tmp_path, "k.yaml", TEXT.replace("seed: 1", f"seed: 1\n{key}: 2", 1))
    line = assert_one_line_exit_2(cli("validate", unknown, cwd=tmp_path), "unknown key")
    assert len(line) < 400 and key not in line


@given(st.text(min_size=0, max_size=2000))
def test_elide_and_shown_keep_messages_short(text):
    assert len(elide(text)) <= limits.MAX_ECHO_CHARS
    assert len(shown(text)) <= limits.MAX_ECHO_CHARS
    if len(text) <= limits.MAX_ECHO_CHARS:
        assert elide(text) == text


def test_error_inside_a_variant_names_the_variant(tmp_path):
    text = TEXT + "  short:\n    steps: 0\n  poor:\n    nations:\n      EEE: {gdp_busd: -1}\n"
    path = write(tmp_path, "v.yaml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "variants.short.steps"
    assert info.value.line == text.splitlines().index("    steps: 0") + 1
    path = write(tmp_path, "w.yaml", TEXT + "  poor:\n    nations:\n      EEE: {gdp_busd: -1}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "variants.poor.nations.EEE.gdp_busd"


def test_compare_with_a_repeated_variant_names_the_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        check_variants(load_scenario(TEACHING), ["baseline", "baseline"])
    assert info.value.file == str(TEACHING)
    assert info.value.message.startswith(str(TEACHING))
    proc = cli("compare", TEACHING, "--variants", "baseline,baseline", cwd=tmp_path)
    assert_one_line_exit_2(proc, str(TEACHING), "named twice")
