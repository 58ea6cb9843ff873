"""Variants and ``--set`` overrides: named partial scenarios merged over the file.

``variants`` is a mapping of named partial scenarios merged over the file (mappings merge key by
key, lists are replaced; ``nations`` may be given as a mapping keyed by ISO3 code to change single
nations). ``baseline`` always exists and is the file as written. ``--set path=value`` overrides
are applied the same way after the variant and checked like the file.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from simulation.errors import ScenarioError, did_you_mean, elide, shown
from simulation.schema import Scenario
from simulation.validation import build, to_plain
from simulation.yamlfile import Path_, format_path, parse_yaml

BASELINE = "baseline"


def merge(
    base: Any, override: Any, path: Path_, lines_out: dict[Path_, int], src_lines, src_path, file
) -> Any:
    """Deep-merge ``override`` into ``base``; record the override's line numbers under ``path``."""
    if src_path in src_lines:
        lines_out[path] = src_lines[src_path]
    if path == ("nations",) and isinstance(override, dict) and isinstance(base, list):
        out = copy.deepcopy(base)
        index = {n.get("iso3"): i for i, n in enumerate(out) if isinstance(n, dict)}
        for iso, patch in override.items():
            if iso not in index:
                line = src_lines.get((*src_path, iso))
                raise ScenarioError(
                    f"unknown nation {iso}",
                    file=file,
                    line=line,
                    field=format_path((*src_path, iso)),
                    hint=did_you_mean(str(iso), [k for k in index if k]),
                )
            i = index[iso]
            out[i] = merge(
                out[i], patch, ("nations", i), lines_out, src_lines, (*src_path, iso), file
            )
        return out
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(
                base.get(key), value, (*path, key), lines_out, src_lines, (*src_path, key), file
            )
        return out
    if isinstance(override, list | dict):
        _relocate(override, path, lines_out, src_lines, src_path)
    return copy.deepcopy(override)


def _relocate(value, path, lines_out, src_lines, src_path) -> None:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, sub in items:
        if (*src_path, key) in src_lines:
            lines_out[(*path, key)] = src_lines[(*src_path, key)]
        if isinstance(sub, list | dict):
            _relocate(sub, (*path, key), lines_out, src_lines, (*src_path, key))


def variant_names(scenario: Scenario) -> list[str]:
    """Names of the scenario's variants, ``baseline`` first."""
    return [BASELINE, *[v for v in scenario.variants if v != BASELINE]]


def resolve(
    scenario: Scenario, variant: str | None = None, overrides: Iterable[str] = ()
) -> Scenario:
    """Apply a variant and ``path=value`` overrides; validate the result like the file.

    With a ``variant``, it is applied to the file as written (its baseline), whatever variant
    ``scenario`` was resolved for; without one, overrides apply to ``scenario`` as it is.
    Overrides merge over the defaults too, so ``consensus.proposal_kinds.sanctions.weight=2``
    changes one field of one default kind and keeps the others.
    """
    file = scenario.source_file
    if variant is None:
        name, data = scenario.variant, copy.deepcopy(scenario.raw or to_plain(scenario))
    else:
        name, data = variant, copy.deepcopy(scenario.base or to_plain(scenario))
        if name not in scenario.variants and name != BASELINE:
            raise ScenarioError(
                f"unknown variant {shown(name)}",
                file=file,
                field="variants",
                hint=did_you_mean(name, variant_names(scenario)),
            )
        data = merge(data, scenario.variants.get(name, {}), (), {}, {}, ("variants", name), file)
    overrides = list(overrides)
    for text in overrides:
        key, value = parse_override(text, file)
        try:
            data = merge(data, value_at(key, value), (), {}, {}, (), file)
        except ScenarioError as exc:
            hint = f"{exc.hint + '; ' if exc.hint else ''}set by --set {elide(text)}"
            raise ScenarioError(exc.problem, file=file, field=exc.field, hint=hint) from None
    try:
        result = build(data, file, {})
    except ScenarioError as exc:
        if not overrides:
            raise
        raise ScenarioError(
            exc.problem,
            file=file,
            field=exc.field,
            hint=f"{exc.hint + '; ' if exc.hint else ''}set by --set {elide(' '.join(overrides))}",
        ) from None
    return dataclasses.replace(
        result,
        variants=scenario.variants,
        variant=name,
        raw=data,
        base=scenario.base,
        source_file=file,
        source_sha256=scenario.source_sha256,
    )


def parse_override(text: str, file: str = "<command line>") -> tuple[list[str], Any]:
    """Parse ``path.to.field=VALUE`` (VALUE is read as YAML) into a key path and a value."""
    if "=" not in text:
        raise ScenarioError(
            "expected path.to.field=VALUE",
            file=file,
            field=f"--set {shown(text)}",
            hint="e.g. steps=24",
        )
    key, value_text = text.split("=", 1)
    parts = key.strip().split(".")
    if not all(parts):
        raise ScenarioError(
            f"empty field name in {shown(key)}", file=file, field=f"--set {shown(text)}"
        )
    if not value_text.strip():
        return parts, None
    try:  # the same reader as files: safe, and strict about yes/no and leading zeros
        value, _ = parse_yaml(value_text, file)
    except ScenarioError as exc:
        raise ScenarioError(
            f"cannot read the value {shown(value_text)} ({exc.problem})",
            file=file,
            field=f"--set {shown(text)}",
            hint=exc.hint,
        ) from None
    return parts, value


def value_at(parts: list[str], value: Any) -> dict:
    """Turn ``["a", "b"], 1`` into ``{"a": {"b": 1}}``."""
    out: Any = value
    for part in reversed(parts):
        out = {part: out}
    return out
