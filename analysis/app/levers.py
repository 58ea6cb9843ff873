"""Policy levers for the browser page, generated from the schema's field metadata.

A lever is one scalar field of a mechanism's parameter class (a switch, a number or a choice),
described by what :func:`~simulation.parameters.param` declared for it: its doc (shown as the
tooltip), its unit and its range. There is no second list of parameters here: the page offers
the fields that the scenario's own variants change (the policies its authors chose to compare),
plus the main policy instruments named in :data:`MAIN_LEVERS`, and reads everything else about
them from the schema.

A slider needs two ends; a field declared without an upper bound gets
``max(4 * value, lo + 1)`` (a wide but finite range that contains the current value).
"""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass
from typing import Any, Literal

from simulation.scenario import schema_fields
from simulation.schema import Scenario

MAIN_LEVERS: tuple[str, ...] = (
    "consensus.rule",
    "exercises.enabled",
    "exercises.tempo_per_year",
    "burden.pledge_pressure",
    "presence.enabled",
    "information.stratcom_level",
)
"""Field paths always offered when the scenario has them: the instruments of DESIGN section 3."""

MAX_LEVERS = 16
"""At most this many levers on the page (variants touching more fields are cut, in file order)."""


@dataclass(frozen=True)
class Lever:
    """One adjustable field: where it is, what it is, and its allowed values."""

    path: str  # dotted field path, e.g. "exercises.tempo_per_year"
    kind: Literal["switch", "int", "float", "choice"]
    doc: str
    unit: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short label: the field path, with its unit."""
        return f"{self.path} [{self.unit}]" if self.unit else self.path

    @property
    def step(self) -> float:
        """Slider step: 1 for whole numbers, a hundredth of the range otherwise."""
        if self.kind == "int":
            return 1
        span = (self.hi or 1.0) - (self.lo or 0.0)
        return float(f"{span / 100:.1g}") if span > 0 else 0.01


def _field(scenario_cls: type, path: str) -> tuple[dataclasses.Field, Any] | None:
    """The dataclass field at ``path`` and its type, or None if the path is not a field."""
    cls: Any = scenario_cls
    found = None
    for part in path.split("."):
        if not dataclasses.is_dataclass(cls):
            return None
        fields = {f.name: f for f in schema_fields(cls)}
        if part not in fields:
            return None
        tp = typing.get_type_hints(cls)[part]
        found = (fields[part], tp)
        cls = tp
    return found


def make_lever(path: str, current: Any) -> Lever | None:
    """The lever for the field at ``path`` (None unless it is a switch, number or choice)."""
    found = _field(Scenario, path)
    if found is None:
        return None
    field, tp = found
    meta = field.metadata
    lo, hi = meta.get("lo"), meta.get("hi")
    common = {"path": path, "doc": meta.get("doc", ""), "unit": meta.get("unit", "")}
    if tp is bool:
        return Lever(kind="switch", **common)
    if typing.get_origin(tp) is Literal:
        return Lever(kind="choice", choices=tuple(str(a) for a in typing.get_args(tp)), **common)
    if tp in (int, float):
        lo = 0 if lo is None else lo
        if hi is None:
            hi = max(4 * float(current), lo + 1)
        if tp is int:
            return Lever(kind="int", lo=int(lo), hi=int(hi), **common)
        return Lever(kind="float", lo=float(lo), hi=float(hi), **common)
    return None


def _leaf_paths(tree: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the scalar leaves of a nested mapping."""
    if not isinstance(tree, dict):
        return [prefix] if prefix else []
    out: list[str] = []
    for key, sub in tree.items():
        out += _leaf_paths(sub, f"{prefix}.{key}" if prefix else str(key))
    return out


def lever_paths(scenario: Scenario) -> list[str]:
    """Paths the scenario's variants change (in file order), then :data:`MAIN_LEVERS`."""
    paths: list[str] = []
    for override in scenario.variants.values():
        for path in _leaf_paths(override):
            if path not in paths:
                paths.append(path)
    paths += [p for p in MAIN_LEVERS if p not in paths]
    return paths


def current_value(scenario: Scenario, path: str) -> Any:
    """The value of the field at ``path`` in a resolved scenario."""
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def levers_for(scenario: Scenario) -> list[Lever]:
    """The levers offered for a scenario (at most :data:`MAX_LEVERS`)."""
    levers = []
    for path in lever_paths(scenario):
        try:
            value = current_value(scenario, path)
        except AttributeError:
            continue
        lever = make_lever(path, value)
        if lever is not None:
            levers.append(lever)
    return levers[:MAX_LEVERS]


def override_texts(values: dict[str, Any]) -> list[str]:
    """Lever settings as ``--set`` overrides (``path=VALUE``, the value written as JSON)."""
    return [f"{path}={json.dumps(value)}" for path, value in values.items()]
