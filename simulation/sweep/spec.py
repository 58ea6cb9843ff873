"""Sweep files: read and validate a sweep (YAML) as strictly as a scenario.

A sweep file names a base scenario (a path relative to the sweep file) and optionally a variant,
the parameters to vary by scenario field path, a design, replications, steps, the sweep seed, the
outputs to keep and optional calibration targets::

    name: smoke
    scenario: ../teaching.yaml
    design: {method: grid}                 # grid | lhs | sobol | morris (samples, levels)
    replications: 2
    steps: 24
    seed: 20240101
    parameters:
      exercises.tempo_per_year: {low: 4, high: 24, num: 3}
      consensus.rule: [unanimity, qualified_majority]
    outputs: {timeseries: false, nations: false}
    targets:
      - {metric: cohesion, observed: 0.6, tolerance: 0.1, source: "..."}

Every problem is a :class:`~simulation.errors.ScenarioError` naming the file, the line, the field
path and a fix. Each parameter is checked against the scenario with the same machinery as
``--set``: its path must exist and every listed value (or both ends of a range) must be valid.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulation.errors import ScenarioError, did_you_mean
from simulation.sweep.values import SCALES, Parameter
from simulation.yamlfile import Path_, format_path, read_yaml

METHODS = ("grid", "lhs", "sobol", "morris")
MAX_RUNS = 10_000_000
"""Bound on the runs one sweep may plan (design points x replications)."""

TOP_KEYS = {
    "name": "a name for the sweep",
    "description": "what the sweep studies",
    "scenario": "the base scenario file, relative to the sweep file",
    "variant": "a variant of the scenario (default: baseline)",
    "evaluator": "what a run evaluates: alliance (the model) or a test function",
    "design": "the design: {method: grid|lhs|sobol|morris, samples: N, levels: L}",
    "replications": "runs per design point",
    "steps": "horizon of each run (default: the scenario's)",
    "seed": "the sweep seed; each run's seed is spawned from it by the run key",
    "parameters": "the scenario fields to vary: a list of values or a range",
    "outputs": "{timeseries: bool, nations: bool}",
    "targets": "calibration targets: [{metric, observed, tolerance, source}]",
}
REQUIRED = ("parameters", "design", "seed")


@dataclass(frozen=True)
class Target:
    """An observed value a calibrated run must come close to."""

    metric: str
    observed: float
    tolerance: float
    source: str


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep file."""

    name: str
    file: str
    sha256: str
    evaluator: str
    scenario: str | None
    variant: str | None
    method: str
    samples: int | None
    levels: int
    replications: int
    steps: int | None
    seed: int
    parameters: tuple[Parameter, ...]
    timeseries: bool = False
    nations: bool = False
    targets: tuple[Target, ...] = ()
    description: str = ""
    scenario_sha256: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def parameter(self, path: str) -> Parameter:
        """The swept parameter at ``path``."""
        return next(p for p in self.parameters if p.path == path)


class _Reader:
    """Type checks that raise errors located in the sweep file."""

    def __init__(self, file: str, lines: dict[Path_, int]):
        self.file, self.lines = file, lines

    def error(self, path: Path_, problem: str, hint: str | None = None) -> ScenarioError:
        line = None
        for n in range(len(path), -1, -1):  # the field's line, or its nearest parent's
            line = self.lines.get(tuple(path[:n]))
            if line is not None:
                break
        field = format_path(path) or None
        return ScenarioError(problem, file=self.file, line=line, field=field, hint=hint)

    def mapping(self, value: Any, path: Path_, keys: dict[str, str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping, got {type(value).__name__}")
        for key in value:
            if key not in keys:
                raise self.error((*path, key), "unknown key", did_you_mean(str(key), keys))
        return value

    def integer(self, value: Any, path: Path_, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.error(path, f"{value} is out of range", f"use a value in [{low}, {high}]")
        return value

    def number(self, value: Any, path: Path_) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.error(path, f"expected a finite number, got {value!r}")
        return float(value)

    def text(self, value: Any, path: Path_) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, f"expected a non-empty text, got {value!r}")
        return value

    def boolean(self, value: Any, path: Path_) -> bool:
        if not isinstance(value, bool):
            raise self.error(path, f"expected true or false, got {value!r}")
        return value


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file (and check its parameters against its scenario)."""
    data, lines = read_yaml(path)
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return sweep_from_mapping(data, file=str(path), lines=lines, sha256=sha)


def sweep_from_mapping(
    data: Any, *, file: str = "<memory>", lines: dict[Path_, int] | None = None, sha256: str = ""
) -> SweepSpec:
    """Validate a plain mapping as a sweep (see the module docstring)."""
    r = _Reader(file, dict(lines or {}))
    data = r.mapping(data, (), TOP_KEYS)
    for key in REQUIRED:
        if key not in data:
            raise r.error((), f"missing required key {key!r}", f"add {key}: ({TOP_KEYS[key]})")
    from simulation.sweep.evaluators import EVALUATORS

    evaluator = r.text(data.get("evaluator", "alliance"), ("evaluator",))
    if evaluator not in EVALUATORS:
        raise r.error(
            ("evaluator",), f"unknown evaluator {evaluator!r}", did_you_mean(evaluator, EVALUATORS)
        )
    method, samples, levels = _design(r, data["design"])
    params = _parameters(r, data["parameters"], method)
    spec_seed = r.integer(data["seed"], ("seed",), 0, 2**63 - 1)
    reps = r.integer(data.get("replications", 1), ("replications",), 1, 10_000)
    steps = data.get("steps")
    steps = None if steps is None else r.integer(steps, ("steps",), 1, 100_000)
    timeseries, nations = _outputs(r, data.get("outputs") or {})
    name = r.text(data.get("name", Path(file).stem), ("name",))
    scenario_ref = None
    if EVALUATORS[evaluator].needs_scenario:
        if "scenario" not in data:
            raise r.error((), "missing required key 'scenario'", "add scenario: path/to/file.yaml")
        scenario_ref = str(Path(file).parent / r.text(data["scenario"], ("scenario",)))
    variant = data.get("variant")
    variant = None if variant is None else r.text(variant, ("variant",))
    spec = SweepSpec(
        name=name,
        file=file,
        sha256=sha256 or hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
        evaluator=evaluator,
        scenario=scenario_ref,
        variant=variant,
        method=method,
        samples=samples,
        levels=levels,
        replications=reps,
        steps=steps,
        seed=spec_seed,
        parameters=params,
        timeseries=timeseries,
        nations=nations,
        targets=_targets(r, data.get("targets") or []),
        description=str(data.get("description", "")),
        raw=data,
    )
    from simulation.sweep.designs import planned_points

    points = planned_points(spec)
    if points * reps > MAX_RUNS:
        raise r.error(
            ("design",), f"plans {points * reps} runs, more than {MAX_RUNS}", "reduce samples"
        )
    return EVALUATORS[evaluator].check(spec, r)


def _design(r: _Reader, value: Any) -> tuple[str, int | None, int]:
    if isinstance(value, str):
        value = {"method": value}
    keys = {"method": "", "samples": "", "levels": "", "second_order": ""}
    value = r.mapping(value, ("design",), keys)
    if "method" not in value:
        raise r.error(("design",), "missing method", f"one of {', '.join(METHODS)}")
    method = value["method"]
    if method not in METHODS:
        raise r.error(
            ("design", "method"), f"unknown method {method!r}", did_you_mean(str(method), METHODS)
        )
    samples = value.get("samples")
    if method == "grid":
        if samples is not None:
            raise r.error(
                ("design", "samples"), "a grid has no samples", "remove it, or give num per range"
            )
    elif samples is None:
        raise r.error(("design",), f"{method} needs samples", "add samples: N")
    else:
        samples = r.integer(samples, ("design", "samples"), 2, 1_000_000)
    levels = value.get("levels", 4)
    if "levels" in value and method != "morris":
        raise r.error(("design", "levels"), "levels apply to morris designs only", "remove it")
    levels = r.integer(levels, ("design", "levels"), 2, 100)
    if "second_order" in value:
        raise r.error(
            ("design", "second_order"), "second-order Sobol indices are not supported", "remove it"
        )
    return method, samples, levels


_RANGE_KEYS = {"low": "", "high": "", "scale": "", "num": "", "integer": ""}


def _parameters(r: _Reader, value: Any, method: str) -> tuple[Parameter, ...]:
    if not isinstance(value, dict) or not value:
        raise r.error(
            ("parameters",),
            "expected a mapping of field path to values or a range",
            "e.g. exercises.tempo_per_year: [6, 12, 24]",
        )
    if len(value) > 100:
        raise r.error(("parameters",), f"{len(value)} parameters, more than 100")
    out = []
    for path_text, spec in value.items():
        where = ("parameters", path_text)
        if not isinstance(path_text, str) or not all(path_text.split(".")):
            raise r.error(where, "expected a dotted field path", "e.g. trust.decay_per_month")
        if isinstance(spec, list):
            if not spec or len(spec) > 10_000:
                raise r.error(where, "expected 1 to 10000 values")
            for i, v in enumerate(spec):
                if isinstance(v, dict | list) or v is None:
                    raise r.error((*where, i), "expected a number, text or true/false")
            if len(set(map(repr, spec))) != len(spec):
                raise r.error(where, "a value is listed twice", "list each value once")
            out.append(Parameter(path_text, values=tuple(spec)))
            continue
        if not isinstance(spec, dict):
            raise r.error(
                where,
                "expected a list of values or a range {low, high}",
                "e.g. [6, 12] or {low: 0.01, high: 0.1, scale: log}",
            )
        spec = r.mapping(spec, where, _RANGE_KEYS)
        for key in ("low", "high"):
            if key not in spec:
                raise r.error(where, f"a range needs {key}", "give low and high")
        low = r.number(spec["low"], (*where, "low"))
        high = r.number(spec["high"], (*where, "high"))
        if not low < high:
            raise r.error((*where, "high"), f"high ({high}) must exceed low ({low})")
        scale = spec.get("scale", "linear")
        if scale not in SCALES:
            raise r.error((*where, "scale"), f"unknown scale {scale!r}", "linear or log")
        if scale == "log" and low <= 0:
            raise r.error((*where, "low"), "a log range needs low > 0")
        num = spec.get("num")
        if method == "grid" and num is None:
            raise r.error(where, "a grid needs num, the number of values of a range", "add num: 3")
        if method != "grid" and num is not None:
            raise r.error(
                (*where, "num"), f"num applies to grid designs, not {method}", "remove it"
            )
        num = None if num is None else r.integer(num, (*where, "num"), 2, 10_000)
        integer = r.boolean(spec.get("integer", False), (*where, "integer"))
        out.append(Parameter(path_text, low=low, high=high, scale=scale, num=num, integer=integer))
    return tuple(out)


def _outputs(r: _Reader, value: Any) -> tuple[bool, bool]:
    value = r.mapping(value, ("outputs",), {"timeseries": "", "nations": ""})
    return (
        r.boolean(value.get("timeseries", False), ("outputs", "timeseries")),
        r.boolean(value.get("nations", False), ("outputs", "nations")),
    )


def _targets(r: _Reader, value: Any) -> tuple[Target, ...]:
    if not isinstance(value, list):
        raise r.error(("targets",), "expected a list of {metric, observed, tolerance, source}")
    out = []
    keys = {"metric": "", "observed": "", "tolerance": "", "source": ""}
    for i, item in enumerate(value):
        where = ("targets", i)
        item = r.mapping(item, where, keys)
        for key in keys:
            if key not in item:
                raise r.error(
                    where, f"a target needs {key}", "give metric, observed, tolerance, source"
                )
        tolerance = r.number(item["tolerance"], (*where, "tolerance"))
        if tolerance <= 0:
            raise r.error((*where, "tolerance"), "must be positive")
        out.append(
            Target(
                metric=r.text(item["metric"], (*where, "metric")),
                observed=r.number(item["observed"], (*where, "observed")),
                tolerance=tolerance,
                source=r.text(item["source"], (*where, "source")),
            )
        )
    if len({t.metric for t in out}) != len(out):
        raise r.error(("targets",), "a metric has two targets", "give one target per metric")
    return tuple(out)
