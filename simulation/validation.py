"""Typed building and validation: plain YAML data to :class:`~simulation.schema.Scenario`.

The mapping is checked field by field against the schema dataclasses (their ``param`` metadata):
unknown keys, wrong types, NaN, values out of range, empty sections, then cross-field rules
(duplicate nations, references to nations that do not exist or have the wrong role, bounds that
cross). Every error is a :class:`~simulation.errors.ScenarioError` with file, line, field path and
a fix.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from simulation.errors import ScenarioError, did_you_mean, shown
from simulation.limits import MAX_NATIONS
from simulation.mechanisms import timeline
from simulation.schema import ROLES, Scenario
from simulation.yamlfile import Path_, format_path


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def schema_fields(cls: type) -> list[dataclasses.Field]:
    """The fields of a schema dataclass that a file may set (those declared with ``param``)."""
    return [f for f in dataclasses.fields(cls) if "doc" in f.metadata]


class Builder:
    """Turns plain YAML data into schema objects, raising located errors.

    ``shown_as`` maps a path in the data to the path named in messages: a variant's errors name
    ``variants.<name>.<field>``, though the variant is checked merged over the file.
    """

    def __init__(
        self,
        file: str,
        lines: Mapping[Path_, int],
        shown_as: Callable[[Path_], Path_] | None = None,
    ):
        self.file = file
        self.lines = lines
        self.shown_as = shown_as

    def error(self, path: Path_, problem: str, hint: str | None = None) -> ScenarioError:
        """An error at ``path``, with the line of the nearest enclosing field that has one."""
        line = None
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        named = self.shown_as(path) if self.shown_as else path
        return ScenarioError(
            problem, file=self.file, line=line, field=format_path(named) or None, hint=hint
        )

    def build(self, tp: Any, value: Any, path: Path_, meta: Mapping[str, Any]) -> Any:
        """Check ``value`` against the schema type ``tp`` and return it typed."""
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            (inner,) = [a for a in args if a is not type(None)]
            return self.build(inner, value, path, meta)
        if dataclasses.is_dataclass(tp):
            return self.build_dataclass(tp, value, path)
        if origin is typing.Literal:
            if not isinstance(value, str) or value not in args:
                raise self.error(
                    path, f"invalid value {shown(value)}", did_you_mean(str(value), args)
                )
            return value
        if origin is tuple:
            if not isinstance(value, list):
                raise self.error(path, f"expected a list, got {type_name(value)}")
            return tuple(self.build(args[0], v, (*path, i), meta) for i, v in enumerate(value))
        if origin is dict:
            if not isinstance(value, dict):
                raise self.error(path, f"expected a mapping, got {type_name(value)}")
            if not value:
                raise self.error(path, "empty section", "give at least one entry or remove it")
            return {
                self.build(str, k, (*path, k), {}): self.build(args[1], v, (*path, k), meta)
                for k, v in value.items()
            }
        if tp is bool:
            if not isinstance(value, bool):
                raise self.error(path, f"expected true or false, got {shown(value)}")
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(path, f"expected an integer, got {shown(value)}")
            self.check_range(value, path, meta)
            return value
        if tp is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                hint = None
                if isinstance(value, str) and _looks_numeric(value):
                    hint = "YAML reads exponents only with a dot: write e.g. 2.0e+4 or 20000"
                raise self.error(path, f"expected a number, got {shown(value)}", hint)
            try:
                number = float(value)
            except OverflowError:
                raise self.error(path, "number too large", "give a finite number") from None
            if not math.isfinite(number):
                raise self.error(path, f"{shown(value)} is not allowed", "give a finite number")
            self.check_range(value, path, meta)
            return number
        if tp is str:
            if not isinstance(value, str):
                raise self.error(path, f"expected text, got {type_name(value)} {shown(value)}")
            if meta.get("required", True) and not value.strip():
                raise self.error(path, "empty text", "give a value")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.error(
                    path, f"{shown(value)} is not valid Unicode text", "remove the lone surrogate"
                ) from None
            return value
        if tp is typing.Any:
            return value
        raise TypeError(f"schema type {tp!r} is not supported")  # a bug, not bad input

    def check_range(self, value: float, path: Path_, meta: Mapping[str, Any]) -> None:
        """Reject a number outside the field's closed range ``[lo, hi]``."""
        lo, hi = meta.get("lo"), meta.get("hi")
        unit = f" {meta['unit']}" if meta.get("unit") not in (None, "", "0-1") else ""
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                rng = f"between {_bound(lo)} and {_bound(hi)}"
            elif lo is not None:
                rng = f"at least {_bound(lo)}"
            else:
                rng = f"at most {_bound(hi)}"
            raise self.error(path, f"{shown(value)} is out of range", f"must be {rng}{unit}")

    def build_dataclass(self, cls: type, value: Any, path: Path_) -> Any:
        """Build a schema dataclass from a mapping: no unknown keys, every required field."""
        if value is None:
            raise self.error(path, "empty section", "give its fields or remove the key")
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping, got {type_name(value)}")
        fields = {f.name: f for f in schema_fields(cls)}
        for key in value:
            if key not in fields:
                raise self.error((*path, key), "unknown key", did_you_mean(str(key), fields))
        kwargs = {}
        hints = _hints(cls)
        for name, f in fields.items():
            if name in value:
                required = (
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                )
                meta = {**f.metadata, "required": required}
                kwargs[name] = self.build(hints[name], value[name], (*path, name), meta)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise self.error(path, f"missing required field {name!r}", f"add {name}: ...")
        return cls(**kwargs)


def _bound(x: float) -> str:
    """A bound as written in messages and the reference: ``1e-06``, ``0.5``, ``100000``."""
    if isinstance(x, int) or (x.is_integer() and abs(x) < 1e15):
        return str(int(x))
    return f"{x:g}"


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def type_name(value: Any) -> str:
    """Name a YAML value's type for messages (``a mapping``, ``a list``, ``nothing``, ...)."""
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


# --------------------------------------------------------------------------- cross-field checks
def _check_consistency(s: Scenario, b: Builder) -> None:
    if not s.nations:
        raise b.error(("nations",), "empty section", "list at least one member nation")
    if not s.issues:
        raise b.error(("issues",), "empty section", "name at least one issue dimension")
    if len(set(s.issues)) != len(s.issues):
        raise b.error(("issues",), "duplicate issue names", "give each dimension a unique name")
    seen: dict[str, int] = {}
    for i, n in enumerate(s.nations):
        if not re.fullmatch(r"[A-Z]{3}", n.iso3):
            raise b.error(
                ("nations", i, "iso3"), f"{shown(n.iso3)} is not an ISO3 code", "use 3 capitals"
            )
        if n.iso3 in seen:
            raise b.error(
                ("nations", i, "iso3"),
                f"duplicate nation {n.iso3} (also nations[{seen[n.iso3]}])",
                "list each nation once",
            )
        seen[n.iso3] = i
        if len(n.interests) != len(s.issues):
            raise b.error(
                ("nations", i, "interests"),
                f"has {len(n.interests)} values but there are {len(s.issues)} issues",
                f"give one value per issue: {', '.join(s.issues)}",
            )
        if n.aspirant and n.role != "partner":
            raise b.error(("nations", i, "aspirant"), "only partners can be aspirants")
    if len(s.nations) > MAX_NATIONS:
        raise b.error(("nations",), f"{len(s.nations)} nations", f"give at most {MAX_NATIONS}")
    if s.member_count < 2:
        raise b.error(
            ("nations",),
            f"has {s.member_count} member{'' if s.member_count == 1 else 's'}",
            "an alliance needs at least two members; give two or more nations role member "
            f"(roles are {', '.join(ROLES)})",
        )
    for p, prog in enumerate(s.programmes):
        for k, iso in enumerate(prog.partners):
            path = ("programmes", p, "partners", k)
            if iso not in seen:
                raise b.error(path, f"unknown nation {iso}", did_you_mean(iso, seen))
            if s.nations[seen[iso]].role != "partner":
                raise b.error(
                    path,
                    f"{iso} has role {s.nations[seen[iso]].role}",
                    "programme partners must have role partner",
                )
        if len(set(prog.partners)) != len(prog.partners):
            raise b.error(("programmes", p, "partners"), "a partner is listed twice")
        for k, iso in enumerate(prog.partners):
            earlier = [q.name for q in s.programmes[:p] if iso in q.partners]
            if earlier:
                raise b.error(
                    ("programmes", p, "partners", k),
                    f"{iso} is already a partner in {earlier[0]}",
                    "a partner belongs to one programme (its engagement is one quantity)",
                )
    _check_references(s, b, seen)
    if s.burden.min_share_pct > s.burden.max_share_pct:
        raise b.error(("burden", "min_share_pct"), "is above max_share_pct", "swap or lower it")
    if s.trust.baseline_min > s.trust.baseline_max:
        raise b.error(("trust", "baseline_min"), "is above baseline_max", "swap or lower it")
    m = s.metrics
    if m.trust_weight + m.alignment_weight + m.consensus_weight <= 0:
        raise b.error(("metrics",), "all cohesion weights are zero", "give one weight > 0")
    if sum(k.weight for k in s.consensus.proposal_kinds.values()) <= 0:
        raise b.error(
            ("consensus", "proposal_kinds"), "all weights are zero", "give one weight > 0"
        )


def _check_references(s: Scenario, b: Builder, index: dict[str, int]) -> None:
    """Every ISO3 code named in a mechanism section must be a nation with a fitting role."""

    def check(path: Path_, iso: str, roles: tuple[str, ...]) -> None:
        if iso not in index:
            raise b.error(path, f"unknown nation {iso}", did_you_mean(iso, index))
        role = s.nations[index[iso]].role
        if role not in roles:
            raise b.error(path, f"{iso} has role {role}", f"must be {' or '.join(roles)}")

    for g, bg in enumerate(s.presence.battlegroups):
        check(("presence", "battlegroups", g, "host"), bg.host, ("member",))
        if not bg.contributors:
            raise b.error(("presence", "battlegroups", g, "contributors"), "empty list")
        if len(set(bg.contributors)) != len(bg.contributors):
            raise b.error(
                ("presence", "battlegroups", g, "contributors"),
                "a contributor is listed twice",
                "list each contributor once (costs are split equally among those listed)",
            )
        for k, iso in enumerate(bg.contributors):
            check(("presence", "battlegroups", g, "contributors", k), iso, ("member",))
    _check_enlargement(s, b, check)
    for k, iso in enumerate(s.information.intelligence_group):
        check(("information", "intelligence_group", k), iso, ("member", "partner"))
    for m, mission in enumerate(s.operations.missions):
        for iso in mission.contributions:
            check(("operations", "missions", m, "contributions", iso), iso, ("member", "partner"))


def _check_enlargement(s: Scenario, b: Builder, check) -> None:
    """Named holdouts and ratification procedures: known nations, a source, no duplicates."""
    e = s.enlargement
    for k, d in enumerate(e.disputes):
        path = ("enlargement", "disputes", k)
        check((*path, "member"), d.member, ("member",))
        check((*path, "aspirant"), d.aspirant, ("partner",))
        if not d.source.strip():
            raise b.error((*path, "source"), "empty", "name where the dispute is documented")
        if any((q.member, q.aspirant) == (d.member, d.aspirant) for q in e.disputes[:k]):
            raise b.error(path, f"{d.member} vs {d.aspirant} is listed twice", "list it once")
    for k, proc in enumerate(e.executive_ratification):
        path = ("enlargement", "executive_ratification", k)
        check((*path, "member"), proc.member, ("member",))
        if not proc.source.strip():
            raise b.error((*path, "source"), "empty", "name where the procedure is documented")
        if any(q.member == proc.member for q in e.executive_ratification[:k]):
            raise b.error(path, f"{proc.member} is listed twice", "list each member once")


def build(
    data: dict,
    file: str,
    lines: Mapping[Path_, int],
    shown_as: Callable[[Path_], Path_] | None = None,
) -> Scenario:
    """Build and check a scenario from plain data (no variants); raise located errors."""
    b = Builder(file, lines, shown_as)
    scenario = b.build_dataclass(Scenario, data, ())
    _check_consistency(scenario, b)
    if scenario.timeline:  # the scenario after each dated entry, checked like the file
        plan = timeline.schedule(scenario, lambda d: build(d, file, {}), b.error)
        scenario = dataclasses.replace(scenario, timeline_schedule=tuple(plan))
    return scenario


def to_plain(obj: Any) -> Any:
    """A schema object back to plain YAML-ready data (for scenarios built in Python)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_plain(getattr(obj, f.name)) for f in schema_fields(type(obj))}
    if isinstance(obj, tuple | list):
        return [to_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj
