"""Bad scenario input through the Python API: every class raises one located ScenarioError.

Each bad file is built by editing a copy of ``scenarios/teaching.yaml`` in ``tmp_path``. The
assertions check the parts of the message a user needs: the file, the line (where YAML gives
one), the dotted field path, what is wrong and the hint that fixes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from simulation.errors import ScenarioError
from simulation.scenario import load_scenario, parse_override, resolve, to_yaml, variant_names

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"
TEXT = TEACHING.read_text(encoding="utf-8")

NATION_AAA = "iso3: AAA, name: Atlantica, role: member, gdp_busd: 20000, defence_share_pct: 3.0,"
NATIONS_BLOCK = TEXT[TEXT.index("nations:\n") : TEXT.index("programmes:\n")]
PROGRAMMES_BLOCK = TEXT[TEXT.index("programmes:\n") : TEXT.index("variants:\n")]


# --------------------------------------------------------------------------- helpers
def edit(old: str, new: str, text: str = TEXT) -> str:
    """Replace the first occurrence of ``old`` (which must be present) with ``new``."""
    assert old in text, f"teaching.yaml no longer contains {old!r}; update the test"
    return text.replace(old, new, 1)


def before_programmes(snippet: str, text: str = TEXT) -> str:
    """Insert top-level YAML just before ``programmes:`` (so it is not inside ``variants``)."""
    return edit("programmes:\n", snippet.rstrip("\n") + "\n\nprogrammes:\n", text)


def add_variant(snippet: str, text: str = TEXT) -> str:
    """Append a variant (indented two spaces) under ``variants:``."""
    assert text.endswith("\n") and text.rstrip().splitlines()[-1].startswith("    ")
    return text + snippet


def write(tmp_path: Path, content: str | bytes, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def load_and_resolve_all(path: Path):
    """Load, then resolve every variant (what ``alliance-sim validate`` does)."""
    scenario = load_scenario(path)
    for name in variant_names(scenario):
        resolve(scenario, name)
    return scenario


def error_for(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_and_resolve_all(path)
    return info.value


def check(
    err: ScenarioError,
    *,
    file: Path | str | None,
    field: str | None,
    line: object = ...,  # ... means "do not check"
    fragments: tuple[str, ...] = (),
) -> None:
    """Assert the error's parts and that its one-line message shows them."""
    msg = err.message
    assert "\n" not in msg, msg
    assert str(err) == msg
    if file is not None:
        assert err.file == str(file), msg
        assert msg.startswith(str(file)), msg
    if field is not None:
        assert err.field == field, msg
        assert f": {field}: " in msg, msg
    if line is not ...:
        assert err.line == line, msg
        if line is not None:
            assert msg.startswith(f"{err.file}:{line}: "), msg
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} not in {msg!r}"


# --------------------------------------------------------------------------- valid input
def test_teaching_file_loads():
    s = load_scenario(TEACHING)
    assert s.name == "Teaching alliance"
    assert [n.iso3 for n in s.nations] == ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "RRR"]
    assert s.member_count == 6
    assert s.issues == ("eastern_flank", "southern_flank", "out_of_area")
    assert s.programmes[0].partners == ("GGG",)
    assert s.variant == "baseline"
    assert s.source_file == str(TEACHING)
    assert s.source_sha256 == hashlib.sha256(TEACHING.read_bytes()).hexdigest()


def test_copy_of_teaching_file_is_valid(tmp_path):
    """The base of every bad-input test below is itself valid."""
    path = write(tmp_path, TEXT, "copy.yaml")
    assert load_and_resolve_all(path) == load_scenario(TEACHING)


def test_variants_listed_with_baseline_first():
    s = load_scenario(TEACHING)
    assert variant_names(s) == ["baseline", "qualified_majority", "no_exercises"]


def test_variants_listed_with_baseline_first_when_the_file_does_not_name_it(tmp_path):
    path = write(tmp_path, edit("  baseline: {}\n", ""))
    assert variant_names(load_scenario(path)) == ["baseline", "qualified_majority", "no_exercises"]


@pytest.mark.parametrize(
    ("variant", "section", "changes"),
    [
        ("qualified_majority", "consensus", {"rule": "qualified_majority"}),
        ("no_exercises", "exercises", {"enabled": False}),
    ],
)
def test_variant_differs_only_where_it_says(variant, section, changes):
    base = load_scenario(TEACHING)
    resolved = resolve(base, variant)
    assert resolved.variant == variant
    assert resolved != base
    expected = dataclasses.replace(
        base, **{section: dataclasses.replace(getattr(base, section), **changes)}
    )
    assert resolved == expected
    # Every other top-level field is untouched.
    for f in dataclasses.fields(base):
        if f.compare and f.name != section:
            assert getattr(resolved, f.name) == getattr(base, f.name), f.name


def test_baseline_resolves_to_the_file():
    base = load_scenario(TEACHING)
    assert resolve(base) == base
    assert resolve(base, "baseline") == base


def test_variant_changes_one_nation_by_iso3(tmp_path):
    text = add_variant("  estmark_up:\n    nations: {EEE: {defence_share_pct: 3.5}}\n")
    base = load_scenario(write(tmp_path, text))
    resolved = resolve(base, "estmark_up")
    nations = {n.iso3: n for n in resolved.nations}
    assert nations["EEE"].defence_share_pct == 3.5
    assert nations["EEE"] == dataclasses.replace(base.nations[4], defence_share_pct=3.5)
    assert [n for n in resolved.nations if n.iso3 != "EEE"] == [
        n for n in base.nations if n.iso3 != "EEE"
    ]
    assert dataclasses.replace(resolved, nations=base.nations) == base


def test_variant_with_unknown_iso3_fails_with_did_you_mean(tmp_path):
    text = add_variant("  estmark_up:\n    nations: {EEX: {defence_share_pct: 3.5}}\n")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)  # variants are validated when the file is loaded
    check(
        info.value,
        file=path,
        field="variants.estmark_up.nations.EEX",
        line=line_of(text, "EEX"),
        fragments=("unknown nation EEX", "did you mean EEE?"),
    )


# --------------------------------------------------------------------------- YAML level
@pytest.mark.parametrize(
    ("old", "new", "line_needle"),
    [
        ("issues: [eastern_flank, southern_flank, out_of_area]", "issues: [eastern_flank", None),
        ("seed: 1\n", "seed: 1\n  bad: : :\n", "bad: : :"),
        ("steps: 120", "steps: [120", "seed: 1"),
        ("name: Teaching alliance", "name: 'Teaching alliance", None),
        ("step_months: 1\n", "\tstep_months: 1\n", "step_months"),
    ],
    ids=["unclosed-flow-list", "stray-colons", "unclosed-list-then-key", "unclosed-quote", "tab"],
)
def test_yaml_syntax_error(tmp_path, old, new, line_needle):
    text = edit(old, new)
    path = write(tmp_path, text)
    err = error_for(path)
    check(err, file=path, field=None, fragments=("YAML syntax error",))
    assert err.line is not None, err.message
    if line_needle is not None:
        assert err.line == line_of(text, line_needle), err.message
    assert err.hint, err.message


@pytest.mark.parametrize(
    ("where", "old", "new"),
    [
        ("top", "seed: 1\n", "seed: 1\nseed: 2\n"),
        ("top-quoted", "seed: 1\n", "seed: 1\n'seed': 2\n"),
        ("section", "programmes:\n", "exercises:\n  size: 4\n  size: 5\n\nprogrammes:\n"),
        ("nation", "exposure: 0.2,", "exposure: 0.2, exposure: 0.3,"),
    ],
)
def test_duplicate_yaml_key(tmp_path, where, old, new):
    text = edit(old, new)
    path = write(tmp_path, text)
    field = {
        "top": "seed",
        "top-quoted": "seed",
        "section": "exercises.size",
        "nation": "nations[0].exposure",
    }[where]
    needle = {
        "top": "seed: 2",
        "top-quoted": "'seed': 2",
        "section": "size: 5",
        "nation": "exposure: 0.3",
    }[where]
    check(
        error_for(path),
        file=path,
        field=field,
        line=line_of(text, needle),
        fragments=("duplicate key", "delete one"),
    )


@pytest.mark.parametrize(
    "content",
    [
        TEXT.encode("utf-8").replace(b"Atlantica", b"Atl\xffantica"),
        TEXT.replace("Atlantica", "Atlántica").encode("latin-1"),
        TEXT.encode("utf-16"),
    ],
    ids=["0xff-byte", "latin-1", "utf-16"],
)
def test_invalid_utf8(tmp_path, content):
    path = write(tmp_path, content)
    err = error_for(path)
    check(err, file=path, field=None, fragments=("not valid UTF-8", "save it as UTF-8"))
    if b"Atl" in content:
        assert err.line == line_of(TEXT, "Atlantica"), err.message


@pytest.mark.parametrize(
    ("content", "what", "line"),
    [
        ("- name: a\n- name: b\n", "a list", 1),
        ("just a sentence\n", "str", 1),
        ("42\n", "int", 1),
        ("", "nothing", None),
        ("# only a comment\n\n", "nothing", None),
        ("~\n", "nothing", 1),
    ],
    ids=["list", "scalar-text", "scalar-number", "empty", "comments-only", "null"],
)
def test_document_that_is_not_a_mapping(tmp_path, content, what, line):
    path = write(tmp_path, content)
    check(
        error_for(path),
        file=path,
        field=None,
        line=line,
        fragments=(f"the document is {what}, not a mapping",),
    )


def _tag_cases(marker: Path) -> list[str]:
    command = f"touch {marker}"
    return [
        edit("name: Teaching alliance", f'name: !!python/object/apply:os.system ["{command}"]'),
        f'!!python/object/apply:os.system ["{command}"]\n',
        before_programmes(f'exercises: !!python/object/apply:os.system ["{command}"]'),
        edit("steps: 120", f"steps: !!python/object/apply:subprocess.call [[touch, {marker}]]"),
        edit("name: Teaching alliance", "name: !!python/name:os.system ''"),
        edit("name: Teaching alliance", "name: !custom Teaching alliance"),
    ]


@pytest.mark.parametrize(
    "case",
    range(6),
    ids=["os.system-field", "os.system-document", "os.system-section", "subprocess", "name", "!x"],
)
def test_yaml_tags_are_rejected_and_never_executed(tmp_path, case):
    marker = tmp_path / "executed"
    text = _tag_cases(marker)[case]
    path = write(tmp_path, text)
    err = error_for(path)
    assert not marker.exists(), "a YAML tag in a scenario file ran a command"
    check(err, file=path, field=None, fragments=("YAML tag not allowed", "remove the !tag"))
    assert err.line == line_of(text, "!"), err.message


@pytest.mark.parametrize(
    "text",
    [TEXT + "---\nname: Second\n", "name: First\n---\n" + TEXT],
    ids=["second-document-after", "scenario-in-second-document"],
)
def test_multiple_documents_are_rejected(tmp_path, text):
    path = write(tmp_path, text)
    err = error_for(path)
    check(err, file=path, field=None, line=line_of(text, "---"), fragments=("document",))


def test_one_document_with_explicit_markers_is_fine(tmp_path):
    path = write(tmp_path, "---\n" + TEXT + "...\n")
    assert load_scenario(path) == load_scenario(TEACHING)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    check(error_for(path), file=path, field=None, line=None, fragments=("file not found",))


def test_directory_instead_of_file(tmp_path):
    check(error_for(tmp_path), file=tmp_path, field=None, line=None, fragments=("directory",))


# --------------------------------------------------------------------------- schema level
@pytest.mark.parametrize(
    ("old", "new", "field", "needle", "hint"),
    [
        ("seed: 1\n", "seed: 1\nsteeps: 3\n", "steeps", "steeps", "did you mean steps?"),
        ("seed: 1\n", "seed: 1\nnationz: []\n", "nationz", "nationz", "did you mean nations?"),
        (
            "programmes:\n",
            "exercises: {tempo_per_yaer: 3}\n\nprogrammes:\n",
            "exercises.tempo_per_yaer",
            "tempo_per_yaer",
            "did you mean tempo_per_year?",
        ),
        (
            "programmes:\n",
            "consensus:\n  rule: unanimity\n  max_round: 3\n\nprogrammes:\n",
            "consensus.max_round",
            "max_round",
            "did you mean max_rounds?",
        ),
        (
            "exposure: 0.2,",
            "exposure: 0.2, expsure: 0.1,",
            "nations[0].expsure",
            "expsure",
            "did you mean exposure?",
        ),
        (
            "    activities_per_year: 12\n",
            "    activities_per_year: 12\n    activities_per_yr: 3\n",
            "programmes[0].activities_per_yr",
            "activities_per_yr",
            "did you mean activities_per_year?",
        ),
        ("seed: 1\n", "seed: 1\nzzzzzzz: 3\n", "zzzzzzz", "zzzzzzz", "valid choices:"),
    ],
    ids=["top", "top-nations", "exercises", "consensus", "nation", "programme", "no-close-match"],
)
def test_unknown_key(tmp_path, old, new, field, needle, hint):
    text = edit(old, new)
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field=field,
        line=line_of(text, needle),
        fragments=("unknown key", hint),
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "needle", "problem"),
    [
        # a string (plain or quoted) where a number belongs
        ("gdp_busd: 20000", "gdp_busd: lots", "nations[0].gdp_busd", "lots", "expected a number"),
        ("gdp_busd: 20000", "gdp_busd: '20000'", "nations[0].gdp_busd", "'20000'", "a number"),
        ("steps: 120", "steps: many", "steps", "steps", "expected an integer"),
        # a number where a list belongs
        (
            "issues: [eastern_flank, southern_flank, out_of_area]",
            "issues: 3",
            "issues",
            "issues",
            "expected a list, got int",
        ),
        (
            "interests: [0.6, 0.4, 0.9]",
            "interests: 0.6",
            "nations[0].interests",
            "interests: 0.6",
            "expected a list",
        ),
        (
            "partners: [GGG]",
            "partners: GGG",
            "programmes[0].partners",
            "partners",
            "expected a list",
        ),
        # a list where a mapping belongs
        (
            "programmes:\n",
            "trust: [0.1, 0.2]\n\nprogrammes:\n",
            "trust",
            "trust:",
            "expected a mapping, got a list",
        ),
        (
            "nations:\n",
            "nations:\n  - [AAA, Atlantica]\n",
            "nations[0]",
            "[AAA, Atlantica]",
            "expected a mapping, got a list",
        ),
        (
            "programmes:\n",
            "consensus: {proposal_kinds: [sanctions]}\n\nprogrammes:\n",
            "consensus.proposal_kinds",
            "proposal_kinds",
            "expected a mapping",
        ),
        # a float where an int belongs
        ("steps: 120", "steps: 12.5", "steps", "steps", "expected an integer, got 12.5"),
        ("steps: 120", "steps: 120.0", "steps", "steps", "expected an integer, got 120.0"),
        (
            "accession_year: 1990}",
            "accession_year: 1990.5}",
            "nations[0].accession_year",
            "1990.5",
            "expected an integer",
        ),
        # a number or text where a bool belongs
        (
            "aspirant: true",
            "aspirant: 1",
            "nations[6].aspirant",
            "aspirant: 1",
            "expected true or false",
        ),
        (
            "aspirant: true",
            "aspirant: 'true'",
            "nations[6].aspirant",
            "aspirant: 'true'",
            "expected true or false",
        ),
        (
            "exercises: {enabled: false}",
            "exercises: {enabled: 0}",
            "variants.no_exercises.exercises.enabled",
            "enabled: 0",
            "expected true or false",
        ),
        # a bool where a number or text belongs
        (
            "gdp_busd: 20000",
            "gdp_busd: true",
            "nations[0].gdp_busd",
            "gdp_busd: true",
            "expected a number",
        ),
        ("steps: 120", "steps: false", "steps", "steps", "expected an integer"),
        ("name: Atlantica", "name: 12", "nations[0].name", "name: 12", "expected text"),
        # a value that is not one of the choices
        ("role: member", "role: ally", "nations[0].role", "role: ally", "invalid value 'ally'"),
    ],
)
def test_wrong_type(tmp_path, old, new, field, needle, problem):
    text = edit(old, new)
    path = write(tmp_path, text)
    check(error_for(path), file=path, field=field, line=line_of(text, needle), fragments=(problem,))


def test_wrong_choice_has_a_did_you_mean(tmp_path):
    path = write(tmp_path, before_programmes("consensus: {rule: qualified_majorty}"))
    check(
        error_for(path),
        file=path,
        field="consensus.rule",
        fragments=("invalid value 'qualified_majorty'", "did you mean qualified_majority?"),
    )


@pytest.mark.parametrize("word", ["yes"])
def test_yaml_yes_is_not_accepted_as_a_bool(tmp_path, word):
    text = edit("aspirant: true", f"aspirant: {word}")
    path = write(tmp_path, text)
    check(error_for(path), file=path, field="nations[6].aspirant", fragments=("true or false",))


@pytest.mark.parametrize(
    ("old", "new", "field", "shown"),
    [
        ("exposure: 0.2,", "exposure: .nan,", "nations[0].exposure", "nan"),
        ("gdp_busd: 20000", "gdp_busd: .inf", "nations[0].gdp_busd", "inf"),
        (
            "defence_share_pct: 3.0",
            "defence_share_pct: -.inf",
            "nations[0].defence_share_pct",
            "-inf",
        ),
        (
            "interests: [0.6, 0.4, 0.9]",
            "interests: [0.6, .NaN, 0.9]",
            "nations[0].interests[1]",
            "nan",
        ),
        (
            "programmes:\n",
            "exercises: {tempo_per_year: .Inf}\n\nprogrammes:\n",
            "exercises.tempo_per_year",
            "inf",
        ),
    ],
)
def test_nan_and_infinity(tmp_path, old, new, field, shown):
    text = edit(old, new)
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field=field,
        line=line_of(text, new.splitlines()[0]),
        fragments=(f"{shown} is not allowed", "give a finite number"),
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "value", "hint"),
    [
        ("gdp_busd: 20000", "gdp_busd: -5", "nations[0].gdp_busd", "-5", "between 0.001 and"),
        ("gdp_busd: 20000", "gdp_busd: 0", "nations[0].gdp_busd", "0", "must be between 0.001"),
        (
            "defence_share_pct: 3.0",
            "defence_share_pct: 61",
            "nations[0].defence_share_pct",
            "61",
            "must be between 0 and 60 % of GDP",
        ),
        (
            "defence_share_pct: 3.0",
            "defence_share_pct: -0.5",
            "nations[0].defence_share_pct",
            "-0.5",
            "must be between 0 and 60",
        ),
        (
            "exposure: 0.2,",
            "exposure: 0.2, readiness: 1.5,",
            "nations[0].readiness",
            "1.5",
            "must be between 0 and 1",
        ),
        (
            "interests: [0.6, 0.4, 0.9]",
            "interests: [0.6, 1.4, 0.9]",
            "nations[0].interests[1]",
            "1.4",
            "must be between 0 and 1",
        ),
        ("steps: 120", "steps: 0", "steps", "0", "must be between 1 and 100000"),
        (
            "start_year: 2020",
            "start_year: 1700",
            "start_year",
            "1700",
            "must be between 1800 and 2200",
        ),
        ("seed: 1", "seed: -1", "seed", "-1", "must be between 0 and 9223372036854775807"),
        (
            "programmes:\n",
            "exercises: {size: 1}\n\nprogrammes:\n",
            "exercises.size",
            "1",
            "must be between 2 and 500",
        ),
        (
            "activities_per_year: 12",
            "activities_per_year: -3",
            "programmes[0].activities_per_year",
            "-3",
            "must be between 0 and 1000",
        ),
    ],
)
def test_out_of_range(tmp_path, old, new, field, value, hint):
    text = edit(old, new)
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field=field,
        line=line_of(text, new.splitlines()[0]),
        fragments=(f": {value} is out of range", hint),
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "missing"),
    [
        ("name: Teaching alliance\n", "", None, "name"),
        ("start_year: 2020\n", "", None, "start_year"),
        ("issues: [eastern_flank, southern_flank, out_of_area]\n", "", None, "issues"),
        (NATIONS_BLOCK, "", None, "nations"),
        ("gdp_busd: 20000, ", "", "nations[0]", "gdp_busd"),
        ("iso3: AAA, ", "", "nations[0]", "iso3"),
        ("role: member, gdp_busd: 20000", "gdp_busd: 20000", "nations[0]", "role"),
        ("  - name: Partnership for Peace\n    partners", "  - partners", "programmes[0]", "name"),
    ],
)
def test_missing_required_field(tmp_path, old, new, field, missing):
    text = edit(old, new)
    if missing == "nations":
        text = edit(PROGRAMMES_BLOCK, "", text)
    path = write(tmp_path, text)
    err = error_for(path)
    check(
        err,
        file=path,
        field=field,
        fragments=(f"missing required field {missing!r}", f"add {missing}: ..."),
    )
    assert err.line is not None, err.message


@pytest.mark.parametrize(
    ("old", "new", "index", "first"),
    [
        ("iso3: BBB", "iso3: AAA", 1, 0),
        ("iso3: RRR", "iso3: GGG", 7, 6),
    ],
)
def test_duplicate_nation(tmp_path, old, new, index, first):
    text = edit(old, new)
    path = write(tmp_path, text)
    iso = new.split()[-1]
    check(
        error_for(path),
        file=path,
        field=f"nations[{index}].iso3",
        line=line_of(text, new, start=line_of(text, new) + 1),
        fragments=(f"duplicate nation {iso} (also nations[{first}])", "list each nation once"),
    )


def test_nation_code_must_be_iso3(tmp_path):
    text = edit("iso3: AAA", "iso3: aaa")
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field="nations[0].iso3",
        line=line_of(text, "iso3: aaa"),
        fragments=("'aaa' is not an ISO3 code",),
    )


@pytest.mark.parametrize(
    ("partners", "bad", "hint"),
    [
        ("[ZZZ]", "ZZZ", "valid choices: AAA, BBB, CCC, DDD, EEE, FFF, GGG, RRR"),
        ("[GGH]", "GGH", "did you mean GGG?"),
        ("[GGG, ZZZ]", "ZZZ", "GGG"),
    ],
)
def test_programme_partner_that_does_not_exist(tmp_path, partners, bad, hint):
    text = edit("partners: [GGG]", f"partners: {partners}")
    path = write(tmp_path, text)
    index = partners.strip("[]").split(", ").index(bad)
    check(
        error_for(path),
        file=path,
        field=f"programmes[0].partners[{index}]",
        line=line_of(text, "partners:"),
        fragments=(f"unknown nation {bad}", hint),
    )


@pytest.mark.parametrize(("iso", "role"), [("AAA", "member"), ("RRR", "adversary")])
def test_programme_partner_whose_role_is_not_partner(tmp_path, iso, role):
    text = edit("partners: [GGG]", f"partners: [{iso}]")
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field="programmes[0].partners[0]",
        line=line_of(text, "partners:"),
        fragments=(f"{iso} has role {role}", "must have role partner"),
    )


def test_programme_partner_listed_twice(tmp_path):
    path = write(tmp_path, edit("partners: [GGG]", "partners: [GGG, GGG]"))
    check(error_for(path), file=path, field="programmes[0].partners", fragments=("listed twice",))


@pytest.mark.parametrize(
    "interests", ["[0.6, 0.4]", "[0.6, 0.4, 0.9, 0.1]", "[]"], ids=["short", "long", "empty"]
)
def test_interests_of_the_wrong_length(tmp_path, interests):
    text = edit("interests: [0.6, 0.4, 0.9]", f"interests: {interests}")
    path = write(tmp_path, text)
    count = len([v for v in interests.strip("[]").split(",") if v.strip()])
    check(
        error_for(path),
        file=path,
        field="nations[0].interests",
        line=line_of(text, f"interests: {interests}"),
        fragments=(
            f"has {count} values but there are 3 issues",
            "give one value per issue: eastern_flank, southern_flank, out_of_area",
        ),
    )


def test_issue_added_without_interests_names_the_first_nation(tmp_path):
    text = edit("out_of_area]", "out_of_area, cyber]")
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field="nations[0].interests",
        fragments=("has 3 values but there are 4 issues",),
    )


def _empty_nations() -> str:
    return edit(PROGRAMMES_BLOCK, "", edit(NATIONS_BLOCK, "nations: []\n\n"))


@pytest.mark.parametrize(
    ("make", "field", "needle"),
    [
        (_empty_nations, "nations", "nations: []"),
        (lambda: before_programmes("exercises:"), "exercises", "exercises:"),
        (
            lambda: edit("issues: [eastern_flank, southern_flank, out_of_area]", "issues: []"),
            "issues",
            "issues: []",
        ),
        (
            lambda: before_programmes("consensus: {proposal_kinds: {}}"),
            "consensus.proposal_kinds",
            "proposal_kinds",
        ),
        (lambda: edit("name: Atlantica", "name: ''"), "nations[0].name", "name: ''"),
    ],
    ids=["nations", "exercises", "issues", "proposal_kinds", "empty-text"],
)
def test_empty_section(tmp_path, make, field, needle):
    text = make()
    path = write(tmp_path, text)
    err = error_for(path)
    check(err, file=path, field=field, line=line_of(text, needle), fragments=("empty",))
    assert err.hint, err.message


def test_no_member_nation(tmp_path):
    text = TEXT.replace("role: member", "role: neutral")
    path = write(tmp_path, text)
    check(
        error_for(path),
        file=path,
        field="nations",
        line=line_of(text, "nations:"),
        fragments=("has 0 members", "at least two members"),
    )


def test_huge_integer_for_a_number(tmp_path):
    text = edit("gdp_busd: 20000", "gdp_busd: 1" + "0" * 400)
    path = write(tmp_path, text)
    check(error_for(path), file=path, field="nations[0].gdp_busd", line=line_of(text, "0" * 400))


def test_recursive_yaml_alias(tmp_path):
    text = edit(
        "issues: [eastern_flank, southern_flank, out_of_area]", "issues: &a [eastern_flank, *a]"
    )
    path = write(tmp_path, text)
    check(error_for(path), file=path, field=None)


# --------------------------------------------------------------------------- variants
def test_misspelt_variant_name(tmp_path):
    s = load_scenario(TEACHING)
    with pytest.raises(ScenarioError) as info:
        resolve(s, "no_exercise")
    check(
        info.value,
        file=TEACHING,
        field="variants",
        fragments=("unknown variant 'no_exercise'", "did you mean no_exercises?"),
    )


def test_unknown_variant_without_close_match_lists_the_variants():
    with pytest.raises(ScenarioError) as info:
        resolve(load_scenario(TEACHING), "zzz")
    check(
        info.value,
        file=TEACHING,
        field="variants",
        fragments=("unknown variant 'zzz'", "baseline", "no_exercises", "qualified_majority"),
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "fragments"),
    [
        (
            "exercises: {enabled: false}",
            "exercises: {enabled: false, tempo_per_year: -1}",
            "exercises.tempo_per_year",
            ("-1 is out of range",),
        ),
        (
            "exercises: {enabled: false}",
            "exercises: {enabled: flase}",
            "exercises.enabled",
            ("expected true or false",),
        ),
        (
            "exercises: {enabled: false}",
            "exercises: {enabld: false}",
            "exercises.enabld",
            ("unknown key", "did you mean enabled?"),
        ),
        (
            "consensus: {rule: qualified_majority}",
            "consensus: {rule: qmv}",
            "consensus.rule",
            ("invalid value 'qmv'",),
        ),
        (
            "consensus: {rule: qualified_majority}",
            "consensus: {rule: qualified_majority}\n    steps: 0",
            "steps",
            ("0 is out of range",),
        ),
    ],
    ids=["out-of-range", "wrong-type", "unknown-key", "bad-choice", "top-level-field"],
)
def test_bad_field_inside_a_variant_points_at_the_variant(tmp_path, old, new, field, fragments):
    text = edit(old, new)
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)  # a bad variant makes the whole file invalid
    err = info.value
    last = new.splitlines()[-1].strip()
    variant_line = line_of(text, last, start=line_of(text, "variants:"))
    check(err, file=path, fragments=fragments, field=None)
    # The message names the variant's own line, or the variant in its field path.
    assert err.line == variant_line or (err.field or "").startswith("variants."), err.message
    assert field in err.message


def test_bad_nation_value_inside_a_variant_points_at_the_variant(tmp_path):
    text = add_variant("  estmark_up:\n    nations: {EEE: {defence_share_pct: 99}}\n")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert err.line == line_of(text, "defence_share_pct: 99"), err.message
    assert "defence_share_pct" in err.field
    assert "99 is out of range" in err.message


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        ("  bad name:\n    steps: 3\n", "variant names use letters"),
        ("  listy: [steps, 3]\n", "expected a mapping of overrides"),
        ("  nested:\n    variants: {x: {}}\n", "variants cannot be nested"),
    ],
)
def test_malformed_variant(tmp_path, snippet, fragment):
    path = write(tmp_path, add_variant(snippet))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    check(info.value, file=path, field=None, fragments=(fragment,))
    assert info.value.field.startswith("variants."), info.value.message


def test_variants_must_be_a_mapping(tmp_path):
    text = edit("variants:\n", "variants: [no_exercises]\nunused:\n")
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    check(info.value, file=path, field="variants", line=line_of(text, "variants:"))


def test_baseline_variant_cannot_silently_diverge_from_the_file(tmp_path):
    path = write(tmp_path, edit("  baseline: {}\n", "  baseline: {steps: 5}\n"))
    try:
        s = load_scenario(path)
    except ScenarioError:
        return  # rejecting a non-empty baseline is a fine fix
    assert resolve(s).steps == s.steps


# --------------------------------------------------------------------------- --set overrides
@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("consensus.rule=qualified_majority", ["consensus", "rule"], "qualified_majority"),
        ("nations.EEE.exposure=0.5", ["nations", "EEE", "exposure"], 0.5),
        ("steps=24", ["steps"], 24),
        ("exercises.enabled=false", ["exercises", "enabled"], False),
        ("issues=[a, b]", ["issues"], ["a", "b"]),
        ("name=a=b", ["name"], "a=b"),
        (" steps = 24", ["steps"], 24),
    ],
)
def test_parse_override(text, key, value):
    assert parse_override(text) == (key, value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("steps", "expected path.to.field=VALUE"),
        ("=3", "empty field name"),
        ("consensus..rule=unanimity", "empty field name"),
        ("steps=[1", "cannot read the value"),
    ],
)
def test_parse_override_rejects_malformed(text, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_override(text)
    msg = info.value.message
    assert fragment in msg
    assert f"--set {text!r}" in msg
    assert "\n" not in msg


@pytest.mark.parametrize(
    ("overrides", "get", "expected"),
    [
        (["consensus.rule=qualified_majority"], lambda s: s.consensus.rule, "qualified_majority"),
        (["nations.EEE.exposure=0.5"], lambda s: s.nations[4].exposure, 0.5),
        (["steps=24"], lambda s: s.steps, 24),
        (["exercises.tempo_per_year=0"], lambda s: s.exercises.tempo_per_year, 0.0),
        (["steps=24", "steps=36"], lambda s: s.steps, 36),
    ],
)
def test_valid_set_override_changes_the_resolved_scenario(overrides, get, expected):
    base = load_scenario(TEACHING)
    resolved = resolve(base, None, overrides)
    assert get(resolved) == expected
    assert get(base) != expected


def test_set_override_changes_only_its_field():
    base = load_scenario(TEACHING)
    resolved = resolve(base, None, ["nations.EEE.exposure=0.5"])
    nations = list(base.nations)
    nations[4] = dataclasses.replace(nations[4], exposure=0.5)
    assert resolved == dataclasses.replace(base, nations=tuple(nations))


def test_set_override_applies_after_the_variant():
    base = load_scenario(TEACHING)
    resolved = resolve(base, "no_exercises", ["exercises.enabled=true", "steps=24"])
    assert resolved.variant == "no_exercises"
    assert resolved.exercises.enabled is True
    assert resolved.steps == 24


@pytest.mark.parametrize(
    ("override", "field", "fragments"),
    [
        ("consensus.rul=unanimity", "consensus.rul", ("unknown key", "did you mean rule?")),
        ("stepz=24", "stepz", ("unknown key", "did you mean steps?")),
        (
            "nations.EEE.exposur=0.5",
            "nations[4].exposur",
            ("unknown key", "did you mean exposure?"),
        ),
        ("nations.ZZZ.exposure=0.5", "nations.ZZZ", ("unknown nation ZZZ",)),
        ("nations.EEX.exposure=0.5", "nations.EEX", ("unknown nation EEX", "did you mean EEE?")),
        ("steps=abc", "steps", ("expected an integer, got 'abc'",)),
        ("steps=2.5", "steps", ("expected an integer",)),
        ("exercises.enabled=2", "exercises.enabled", ("expected true or false",)),
        ("exercises=5", "exercises", ("expected a mapping",)),
        (
            "consensus.rule=qualified_majorty",
            "consensus.rule",
            ("invalid value", "did you mean qualified_majority?"),
        ),
        ("steps=0", "steps", ("out of range", "must be between 1 and 100000")),
        ("nations.EEE.exposure=1.5", "nations[4].exposure", ("out of range",)),
        (
            "nations.EEE.gdp_busd=-1",
            "nations[4].gdp_busd",
            ("out of range", "between 0.001 and 1000000"),
        ),
        ("exercises.tempo_per_year=.nan", "exercises.tempo_per_year", ("nan is not allowed",)),
        ("steps=", "steps", ("expected an integer",)),
        ("nations=[]", "nations", ("empty section",)),
    ],
)
def test_invalid_set_override_names_the_path(override, field, fragments):
    base = load_scenario(TEACHING)
    with pytest.raises(ScenarioError) as info:
        resolve(base, None, [override])
    err = info.value
    check(err, file=None, field=field, fragments=fragments)
    assert "--set" in err.message


@pytest.mark.parametrize("override", ["steps", "=3"])
def test_malformed_set_override_through_resolve(override):
    with pytest.raises(ScenarioError) as info:
        resolve(load_scenario(TEACHING), None, [override])
    assert f"--set {override!r}" in info.value.message


def test_malformed_set_override_names_the_file():
    with pytest.raises(ScenarioError) as info:
        resolve(load_scenario(TEACHING), None, ["steps"])
    assert info.value.message.startswith(str(TEACHING))


def test_set_override_value_tags_are_not_executed(tmp_path):
    marker = tmp_path / "executed"
    with pytest.raises(ScenarioError):
        resolve(
            load_scenario(TEACHING),
            None,
            [f'name=!!python/object/apply:os.system ["touch {marker}"]'],
        )
    assert not marker.exists()


def test_set_one_proposal_kind_keeps_the_others():
    base = load_scenario(TEACHING)
    resolved = resolve(base, None, ["consensus.proposal_kinds.crisis_response.weight=2"])
    kinds = resolved.consensus.proposal_kinds
    assert set(kinds) == set(base.consensus.proposal_kinds)
    assert kinds["crisis_response"] == dataclasses.replace(
        base.consensus.proposal_kinds["crisis_response"], weight=2.0
    )


# --------------------------------------------------------------------------- resolved YAML
@pytest.mark.parametrize("variant", ["baseline", "qualified_majority", "no_exercises"])
def test_resolved_yaml_loads_back_to_the_same_scenario(tmp_path, variant):
    resolved = resolve(load_scenario(TEACHING), variant)
    path = write(tmp_path, to_yaml(resolved), "resolved.yaml")
    assert load_scenario(path) == resolved


def test_resolved_yaml_of_a_file_without_description_loads_back(tmp_path):
    text = edit(next(line for line in TEXT.splitlines(True) if line.startswith("description:")), "")
    resolved = resolve(load_scenario(write(tmp_path, text, "nodesc.yaml")))
    path = write(tmp_path, to_yaml(resolved), "resolved.yaml")
    assert load_scenario(path) == resolved


# --------------------------------------------------------------------------- enlargement
def _dispute(member: str = "BBB", aspirant: str = "GGG", source: str = '"a report"') -> str:
    return (
        "enlargement:\n  disputes:\n"
        f"    - {{member: {member}, aspirant: {aspirant}, extra_months: 6, source: {source}}}\n"
    )


def test_enlargement_dispute_and_procedure_are_valid(tmp_path):
    snippet = _dispute() + '  executive_ratification:\n    - {member: AAA, source: "a law"}\n'
    scenario = load_and_resolve_all(write(tmp_path, before_programmes(snippet)))
    (dispute,) = scenario.enlargement.disputes
    assert (dispute.member, dispute.aspirant, dispute.extra_months) == ("BBB", "GGG", 6.0)
    assert scenario.enlargement.executive_ratification[0].member == "AAA"


@pytest.mark.parametrize(
    ("snippet", "field", "fragments"),
    [
        (_dispute(member="ZZZ"), "enlargement.disputes[0].member", ("unknown nation ZZZ",)),
        (
            _dispute(aspirant="GGH"),
            "enlargement.disputes[0].aspirant",
            ("unknown nation GGH", "did you mean GGG?"),
        ),
        (_dispute(member="GGG"), "enlargement.disputes[0].member", ("GGG has role partner",)),
        (_dispute(aspirant="AAA"), "enlargement.disputes[0].aspirant", ("AAA has role member",)),
        (_dispute(source='" "'), "enlargement.disputes[0].source", ("empty",)),
        (
            _dispute() + "    - {member: BBB, aspirant: GGG, extra_months: 2, source: b}\n",
            "enlargement.disputes[1]",
            ("BBB vs GGG is listed twice",),
        ),
        (
            _dispute().replace("extra_months: 6", "extra_months: -1"),
            "enlargement.disputes[0].extra_months",
            (),
        ),
        (
            "enlargement:\n  executive_ratification:\n    - {member: QQQ, source: x}\n",
            "enlargement.executive_ratification[0].member",
            ("unknown nation QQQ",),
        ),
        (
            "enlargement:\n  executive_ratification:\n    - {member: AAA}\n",
            "enlargement.executive_ratification[0]",
            ("source",),
        ),
    ],
)
def test_bad_enlargement_dispute_or_procedure_names_the_field(tmp_path, snippet, field, fragments):
    path = write(tmp_path, before_programmes(snippet))
    check(error_for(path), file=path, field=field, fragments=fragments)
