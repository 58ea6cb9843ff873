"""Load, validate and resolve scenario files (the public entry points).

A scenario file is YAML read safely (:mod:`simulation.yamlfile`), built into typed, validated
:mod:`simulation.schema` objects (:mod:`simulation.validation`), with named variants and
``--set path=value`` overrides merged over it (:mod:`simulation.variants`). Every bad input is a
:class:`~simulation.errors.ScenarioError` naming the file, the line, the field path and a fix.
This module keeps the public names in one place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from simulation.schema import Scenario
from simulation.validation import Builder, build, schema_fields, to_plain, type_name
from simulation.variants import (
    BASELINE,
    merge,
    parse_override,
    resolve,
    value_at,
    variant_names,
)
from simulation.yamlfile import Path_, parse_bytes, parse_yaml, read_bytes, read_yaml

__all__ = [
    "BASELINE",
    "load_scenario",
    "parse_override",
    "parse_yaml",
    "read_yaml",
    "resolve",
    "scenario_from_mapping",
    "schema_fields",
    "to_yaml",
    "value_at",
    "variant_names",
]


def scenario_from_mapping(
    data: Any, *, file: str = "<memory>", lines: Mapping[Path_, int] | None = None
) -> Scenario:
    """Validate a plain mapping (as read from YAML) and return the scenario with its variants."""
    lines = dict(lines or {})
    b = Builder(file, lines)
    if not isinstance(data, dict):
        raise b.error((), f"the document is {type_name(data)}, not a mapping", "see scenarios/")
    data = dict(data)
    variants = data.pop("variants", {})
    if not isinstance(variants, dict):
        raise b.error(
            ("variants",),
            f"expected a mapping of variant name to overrides, got {type_name(variants)}",
            "give variants as name: {field: value, ...}, or remove the key",
        )
    scenario = build(data, file, lines)
    base = to_plain(scenario)  # the file with every default filled in
    checked: dict[str, Any] = {}
    for name, override in variants.items():
        vpath = ("variants", name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            raise b.error(vpath, "variant names use letters, digits, _ and -")
        override = {} if override is None else override
        if not isinstance(override, dict):
            raise b.error(vpath, f"expected a mapping of overrides, got {type_name(override)}")
        if name == BASELINE and override:
            raise b.error(
                vpath,
                "must be empty: baseline is the file as written",
                "change the file itself, or give these overrides another variant name",
            )
        if "variants" in override:
            raise b.error((*vpath, "variants"), "variants cannot be nested")
        merged_lines = dict(lines)
        merged = merge(base, override, (), merged_lines, lines, vpath, file)
        # validate now, with the variant's own lines, naming fields as variants.<name>.<field>
        build(merged, file, merged_lines, _variant_path(name, override, merged))
        checked[name] = override
    sha = hashlib.sha256(yaml.safe_dump(data, sort_keys=True).encode()).hexdigest()
    return dataclasses.replace(
        scenario, variants=checked, raw=base, base=base, source_file=file, source_sha256=sha
    )


def _variant_path(name: str, override: dict, merged: dict) -> Callable[[Path_], Path_]:
    """Map a path in the merged scenario to the variant's own: ``variants.<name>.<field>``.

    A variant that gives ``nations`` as a mapping keyed by ISO3 code has its nations named so.
    """
    by_iso = isinstance(override.get("nations"), dict)

    def shown_as(path: Path_) -> Path_:
        if by_iso and len(path) > 1 and path[0] == "nations" and isinstance(path[1], int):
            nations = merged.get("nations") or []
            if path[1] < len(nations) and isinstance(nations[path[1]], dict):
                path = ("nations", str(nations[path[1]].get("iso3")), *path[2:])
        return ("variants", name, *path)

    return shown_as


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; the result is its ``baseline`` variant.

    Raises :class:`~simulation.errors.ScenarioError` for any bad input.
    """
    raw = read_bytes(path)  # read once, within MAX_FILE_BYTES: parsed and hashed alike
    data, lines = parse_bytes(raw, str(path))
    scenario = scenario_from_mapping(data, file=str(path), lines=lines)
    return dataclasses.replace(scenario, source_sha256=hashlib.sha256(raw).hexdigest())


def to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML (every field, defaults included), for provenance."""
    header = (
        f"# Resolved scenario: {scenario.source_file}, variant {scenario.variant}\n"
        f"# source sha256: {scenario.source_sha256}\n"
    )
    return header + yaml.safe_dump(to_plain(scenario), sort_keys=False, allow_unicode=True)
