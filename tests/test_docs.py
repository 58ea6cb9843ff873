"""The generated scenario reference is up to date and the schema metadata behind it complete."""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import re
import sys
import types
import typing
from pathlib import Path

import pytest

from simulation import schema
from simulation.scenario import schema_fields

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_schema_docs.py"

# Names that say the field has a physical or monetary unit; such a field must declare it.
UNIT_LIKE = re.compile(r"(^|_)(pct|busd|days)(_|$)|(^|_)per_(year|month)(_|$)")


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_schema_docs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in the script look their module up
    spec.loader.exec_module(module)
    return module


def schema_classes(gen) -> list[type]:
    """Classes reachable from Scenario, then any other schema dataclass in the module."""
    found = [s.cls for s in gen.sections()]
    for _, obj in inspect.getmembers(schema, dataclasses.is_dataclass):
        if isinstance(obj, type) and obj.__module__ == schema.__name__ and obj not in found:
            found.append(obj)
    return found


def _is_numeric(tp) -> bool:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return any(_is_numeric(a) for a in args if a is not type(None))
    if origin is tuple:
        return bool(args) and _is_numeric(args[0])
    if origin is dict:
        return len(args) == 2 and _is_numeric(args[1])
    return tp in (int, float)


def test_scenarios_readme_is_up_to_date(gen):
    diff = gen.check()
    assert not diff, (
        "scenarios/README.md is stale (the schema or a scenario file changed): "
        "run python scripts/gen_schema_docs.py\n" + diff
    )


def test_readme_documents_every_schema_field(gen):
    text = gen.render()
    assert text.startswith(gen.HEADER + "\n")
    for section in gen.sections():
        for f in schema_fields(section.cls):
            assert f"| `{gen._join(section.prefix, f.name)}` |" in text


def test_every_field_has_a_doc_and_unit_like_names_have_a_unit(gen):
    missing_doc, missing_unit = [], []
    for cls in schema_classes(gen):
        hints = typing.get_type_hints(cls)
        for f in schema_fields(cls):
            where = f"{cls.__name__}.{f.name}"
            if not str(f.metadata.get("doc") or "").strip():
                missing_doc.append(where)
            if (
                UNIT_LIKE.search(f.name)
                and _is_numeric(hints[f.name])
                and not str(f.metadata.get("unit") or "").strip()
            ):
                missing_unit.append(where)
    assert not missing_doc, f"schema fields without a doc string: {', '.join(missing_doc)}"
    assert not missing_unit, (
        f"numeric schema fields whose name implies a unit but declare none (add unit=...): "
        f"{', '.join(missing_unit)}"
    )


def test_internal_fields_are_not_documented(gen):
    text = gen.render()
    internal = [f.name for f in dataclasses.fields(schema.Scenario) if "doc" not in f.metadata]
    assert internal  # variants, source_file, ... are filled in by the loader
    for name in internal:
        assert f"| `{name}` |" not in text


def test_cells_render_types_ranges_and_defaults(gen):
    assert gen.range_text({"lo": 1e-6, "hi": None}) == "> 0"
    assert gen.range_text({"lo": 0, "hi": 1}) == "[0, 1]"
    assert gen.range_text({"lo": 2, "hi": None}) == ">= 2"
    assert gen.range_text({}) == ""
    assert gen.type_text(tuple[float, ...]) == "list of numbers"
    assert gen.type_text(float | None) == "number or null"
    assert gen.type_text(typing.Literal["a", "b"]) == "one of `a`/`b`"
    fields = {f.name: f for f in schema_fields(schema.Scenario)}
    assert gen.default_text(fields["name"]) == "required"
    assert gen.default_text(fields["steps"]) == f"`{gen.number(fields['steps'].default)}`"


def test_a_scenario_that_does_not_validate_is_listed_not_fatal(gen, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nexercise: {tempo_per_year: 6}\n", encoding="utf-8")
    line = gen.scenario_line(bad)
    assert line.startswith("- `bad.yaml` (does not validate: bad.yaml:2: exercise: unknown key")


def test_check_reports_a_stale_file_as_a_diff(gen, tmp_path):
    stale = tmp_path / "README.md"
    stale.write_text(gen.HEADER + "\nold text\n", encoding="utf-8")
    diff = gen.check(stale)
    assert "-old text" in diff
    stale.write_text(gen.render(), encoding="utf-8")
    assert gen.check(stale) == ""
