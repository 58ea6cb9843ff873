"""Load, validate and resolve scenario files.

A scenario file is YAML read with ``yaml.safe_load`` only. Its mapping is checked field by field
against the dataclasses of :mod:`simulation.schema`: unknown keys, wrong types, NaN, values out of
range, duplicate keys or nations, references to nations that do not exist and empty sections are
rejected with a :class:`~simulation.errors.ScenarioError` naming the file, the line, the field path
and a fix.

``variants`` is a mapping of named partial scenarios merged over the file (mappings merge key by
key, lists are replaced; ``nations`` may be given as a mapping keyed by ISO3 code to change single
nations). ``baseline`` always exists and is the file as written. ``--set path=value`` overrides
are applied the same way after the variant and checked like the file.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from simulation.errors import ScenarioError, did_you_mean
from simulation.schema import ROLES, Scenario

Path_ = tuple[Any, ...]
BASELINE = "baseline"


# --------------------------------------------------------------------------- reading YAML
def read_yaml(path: str | Path) -> tuple[Any, dict[Path_, int]]:
    """Read a YAML file safely; return the data and a map from field path to line number."""
    file = str(path)
    try:
        raw_bytes = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found", file=file, hint="check the path") from None
    except IsADirectoryError:
        raise ScenarioError("is a directory, not a file", file=file) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file ({exc.strerror})", file=file) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not valid UTF-8 (byte {exc.start})", file=file, line=line, hint="save it as UTF-8"
        ) from None
    return parse_yaml(text, file)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text with the safe loader; reject tags, duplicate keys and multiple documents."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        if "constructor" in str(exc.problem):
            problem, hint = f"YAML tag not allowed ({exc.problem})", "remove the !tag"
        else:
            problem, hint = f"YAML error: {exc.problem}", "keys must be plain names"
        raise ScenarioError(
            problem, file=file, line=line, hint=f"scenario files hold plain data: {hint}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = "check indentation, colons and quotes on this line"
        if "another document" in problem:
            problem, hint = "more than one YAML document", "remove the '---' separator"
        raise ScenarioError(
            f"YAML syntax error: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            hint=hint,
        ) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _index_lines(node, (), lines, file)
    return data, lines


_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"


def _index_lines(
    node: yaml.Node,
    path: Path_,
    lines: dict[Path_, int],
    file: str,
    open_nodes: frozenset[int] = frozenset(),
) -> None:
    """Record the line of every field path; reject what YAML 1.1 reads surprisingly."""
    line = node.start_mark.line + 1
    lines[path] = line
    if id(node) in open_nodes:
        raise ScenarioError(
            "an alias refers to the list or mapping that contains it",
            file=file,
            line=line,
            field=_format_path(path) or None,
            hint="remove the self-referencing *alias",
        )
    open_nodes = open_nodes | {id(node)}
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, path, file)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise ScenarioError(
                    "duplicate key",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=_format_path((*path, key)),
                    hint="each key may appear once in a mapping; delete one of them",
                )
            seen.add(key)
            _index_lines(value_node, (*path, key), lines, file, open_nodes)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines, file, open_nodes)


def _check_scalar(node: yaml.ScalarNode, path: Path_, file: str) -> None:
    """YAML 1.1 reads yes/no/on/off as booleans and 010 as octal 8: reject both as ambiguous."""
    text = node.value
    problem = hint = None
    if node.tag == _BOOL_TAG and text.lower() not in ("true", "false"):
        problem, hint = f"{text!r} is ambiguous", "write true or false"
    elif node.tag == _INT_TAG and re.fullmatch(r"[-+]?0[0-9_]+", text):
        problem = f"{text!r} has a leading zero (YAML reads it as an octal number)"
        hint = f"write {text.lstrip('+-0') or '0'}"
    if problem:
        raise ScenarioError(
            problem,
            file=file,
            line=node.start_mark.line + 1,
            field=_format_path(path) or None,
            hint=hint,
        )


def _format_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------- typed building
@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def schema_fields(cls: type) -> list[dataclasses.Field]:
    """The fields of a schema dataclass that a file may set (those declared with ``param``)."""
    return [f for f in dataclasses.fields(cls) if "doc" in f.metadata]


class _Builder:
    """Turns plain YAML data into schema objects, raising located errors."""

    def __init__(self, file: str, lines: Mapping[Path_, int]):
        self.file = file
        self.lines = lines

    def error(self, path: Path_, problem: str, hint: str | None = None) -> ScenarioError:
        line = None
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        return ScenarioError(
            problem, file=self.file, line=line, field=_format_path(path) or None, hint=hint
        )

    def build(self, tp: Any, value: Any, path: Path_, meta: Mapping[str, Any]) -> Any:
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
                raise self.error(path, f"invalid value {value!r}", did_you_mean(str(value), args))
            return value
        if origin is tuple:
            if not isinstance(value, list):
                raise self.error(path, f"expected a list, got {_type_name(value)}")
            return tuple(self.build(args[0], v, (*path, i), meta) for i, v in enumerate(value))
        if origin is dict:
            if not isinstance(value, dict):
                raise self.error(path, f"expected a mapping, got {_type_name(value)}")
            if not value:
                raise self.error(path, "empty section", "give at least one entry or remove it")
            return {
                self.build(str, k, (*path, k), {}): self.build(args[1], v, (*path, k), meta)
                for k, v in value.items()
            }
        if tp is bool:
            if not isinstance(value, bool):
                raise self.error(path, f"expected true or false, got {value!r}")
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(path, f"expected an integer, got {value!r}")
            self.check_range(value, path, meta)
            return value
        if tp is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                hint = None
                if isinstance(value, str) and _looks_numeric(value):
                    hint = "YAML reads exponents only with a dot: write e.g. 2.0e+4 or 20000"
                raise self.error(path, f"expected a number, got {value!r}", hint)
            try:
                number = float(value)
            except OverflowError:
                raise self.error(path, "number too large", "give a finite number") from None
            if not math.isfinite(number):
                raise self.error(path, f"{value} is not allowed", "give a finite number")
            self.check_range(value, path, meta)
            return number
        if tp is str:
            if not isinstance(value, str):
                raise self.error(path, f"expected text, got {_type_name(value)} {value!r}")
            if meta.get("required", True) and not value.strip():
                raise self.error(path, "empty text", "give a value")
            return value
        if tp is typing.Any:
            return value
        raise TypeError(f"schema type {tp!r} is not supported")  # a bug, not bad input

    def check_range(self, value: float, path: Path_, meta: Mapping[str, Any]) -> None:
        lo, hi = meta.get("lo"), meta.get("hi")
        unit = f" {meta['unit']}" if meta.get("unit") not in (None, "", "0-1") else ""
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                rng = f"between {_bound(lo)} and {_bound(hi)}"
            elif lo is not None:
                rng = f"at least {_bound(lo)}" if lo != 1e-6 else "positive"
            else:
                rng = f"at most {_bound(hi)}"
            raise self.error(path, f"{value!r} is out of range", f"must be {rng}{unit}")

    def build_dataclass(self, cls: type, value: Any, path: Path_) -> Any:
        if value is None:
            raise self.error(path, "empty section", "give its fields or remove the key")
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping, got {_type_name(value)}")
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
    return str(x) if isinstance(x, int) else f"{x:g}"


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


# --------------------------------------------------------------------------- cross-field checks
def _check_consistency(s: Scenario, b: _Builder) -> None:
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
                ("nations", i, "iso3"), f"{n.iso3!r} is not an ISO3 code", "use 3 capitals"
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
    if s.member_count == 0:
        raise b.error(("nations",), "no nation has role member", f"roles are {', '.join(ROLES)}")
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


def _check_references(s: Scenario, b: _Builder, index: dict[str, int]) -> None:
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
    for k, iso in enumerate(s.information.intelligence_group):
        check(("information", "intelligence_group", k), iso, ("member", "partner"))
    for m, mission in enumerate(s.operations.missions):
        for iso in mission.contributions:
            check(("operations", "missions", m, "contributions", iso), iso, ("member", "partner"))


# --------------------------------------------------------------------------- merging variants
def _merge(
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
                    field=_format_path((*src_path, iso)),
                    hint=did_you_mean(str(iso), [k for k in index if k]),
                )
            i = index[iso]
            out[i] = _merge(
                out[i], patch, ("nations", i), lines_out, src_lines, (*src_path, iso), file
            )
        return out
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(
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


# --------------------------------------------------------------------------- public API
def scenario_from_mapping(
    data: Any, *, file: str = "<memory>", lines: Mapping[Path_, int] | None = None
) -> Scenario:
    """Validate a plain mapping (as read from YAML) and return the scenario with its variants."""
    lines = dict(lines or {})
    b = _Builder(file, lines)
    if not isinstance(data, dict):
        raise b.error((), f"the document is {_type_name(data)}, not a mapping", "see scenarios/")
    data = dict(data)
    variants = data.pop("variants", None) or {}
    if not isinstance(variants, dict):
        raise b.error(("variants",), "expected a mapping of variant name to overrides")
    scenario = _build(data, file, lines)
    base = _to_raw(scenario)  # the file with every default filled in
    checked: dict[str, Any] = {}
    for name, override in variants.items():
        vpath = ("variants", name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            raise b.error(vpath, "variant names use letters, digits, _ and -")
        override = {} if override is None else override
        if not isinstance(override, dict):
            raise b.error(vpath, f"expected a mapping of overrides, got {_type_name(override)}")
        if name == BASELINE and override:
            raise b.error(
                vpath,
                "must be empty: baseline is the file as written",
                "change the file itself, or give these overrides another variant name",
            )
        if "variants" in override:
            raise b.error((*vpath, "variants"), "variants cannot be nested")
        merged_lines = dict(lines)
        merged = _merge(base, override, (), merged_lines, lines, vpath, file)
        _build(merged, file, merged_lines)  # validate now, with the variant's own lines
        checked[name] = override
    sha = hashlib.sha256(yaml.safe_dump(data, sort_keys=True).encode()).hexdigest()
    return dataclasses.replace(
        scenario, variants=checked, raw=base, base=base, source_file=file, source_sha256=sha
    )


def _build(data: dict, file: str, lines: Mapping[Path_, int]) -> Scenario:
    b = _Builder(file, lines)
    scenario = b.build_dataclass(Scenario, data, ())
    _check_consistency(scenario, b)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; the result is its ``baseline`` variant.

    Raises :class:`~simulation.errors.ScenarioError` for any bad input.
    """
    data, lines = read_yaml(path)
    scenario = scenario_from_mapping(data, file=str(path), lines=lines)
    file_hash = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return dataclasses.replace(scenario, source_sha256=file_hash)


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
        name, data = scenario.variant, copy.deepcopy(scenario.raw or _to_raw(scenario))
    else:
        name, data = variant, copy.deepcopy(scenario.base or _to_raw(scenario))
        if name not in scenario.variants and name != BASELINE:
            raise ScenarioError(
                f"unknown variant {name!r}",
                file=file,
                field="variants",
                hint=did_you_mean(name, variant_names(scenario)),
            )
        data = _merge(data, scenario.variants.get(name, {}), (), {}, {}, ("variants", name), file)
    overrides = list(overrides)
    for text in overrides:
        key, value = parse_override(text, file)
        try:
            data = _merge(data, value_at(key, value), (), {}, {}, (), file)
        except ScenarioError as exc:
            hint = f"{exc.hint + '; ' if exc.hint else ''}set by --set {text}"
            raise ScenarioError(exc.problem, file=file, field=exc.field, hint=hint) from None
    try:
        result = _build(data, file, {})
    except ScenarioError as exc:
        if not overrides:
            raise
        raise ScenarioError(
            exc.problem,
            file=file,
            field=exc.field,
            hint=f"{exc.hint + '; ' if exc.hint else ''}set by --set {' '.join(overrides)}",
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
            "expected path.to.field=VALUE", file=file, field=f"--set {text!r}", hint="e.g. steps=24"
        )
    key, value_text = text.split("=", 1)
    parts = key.strip().split(".")
    if not all(parts):
        raise ScenarioError(f"empty field name in {key!r}", file=file, field=f"--set {text!r}")
    if not value_text.strip():
        return parts, None
    try:  # the same reader as files: safe, and strict about yes/no and leading zeros
        value, _ = parse_yaml(value_text, file)
    except ScenarioError as exc:
        raise ScenarioError(
            f"cannot read the value {value_text!r} ({exc.problem})",
            file=file,
            field=f"--set {text!r}",
            hint=exc.hint,
        ) from None
    return parts, value


def value_at(parts: list[str], value: Any) -> dict:
    """Turn ``["a", "b"], 1`` into ``{"a": {"b": 1}}``."""
    out: Any = value
    for part in reversed(parts):
        out = {part: out}
    return out


def _to_raw(obj: Any) -> Any:
    """A schema object back to plain YAML-ready data (for scenarios built in Python)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _to_raw(getattr(obj, f.name)) for f in schema_fields(type(obj))}
    if isinstance(obj, tuple | list):
        return [_to_raw(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_raw(v) for k, v in obj.items()}
    return obj


def to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML (every field, defaults included), for provenance."""
    header = (
        f"# Resolved scenario: {scenario.source_file}, variant {scenario.variant}\n"
        f"# source sha256: {scenario.source_sha256}\n"
    )
    return header + yaml.safe_dump(_to_raw(scenario), sort_keys=False, allow_unicode=True)
