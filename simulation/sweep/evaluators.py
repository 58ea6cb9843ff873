"""What one run of a sweep evaluates: the alliance model, or a test function with known answers.

An evaluator has

* ``needs_scenario``: whether the sweep file must name a scenario;
* ``check(spec, reader)``: validates the sweep's parameters and targets against what it evaluates
  (errors located in the sweep file) and returns the spec;
* ``prepare(job)``: loads what every run needs, once per worker process (the scenario);
* ``evaluate(context, values, seed)``: one run; returns the summary metrics (a flat dict of
  numbers) and the tables the sweep keeps (``timeseries``, ``nations``).

``alliance`` runs :class:`~simulation.model.AllianceModel` through
:func:`simulation.runner.run_once`. ``ishigami`` is the Ishigami-Homma function
(Ishigami and Homma 1990), ``y = sin x1 + a sin^2 x2 + b x3^4 sin x1`` with ``a = 7``, ``b = 0.1``
on ``[-pi, pi]^3``, whose Sobol indices are known in closed form; it lets the sweep, store and
sensitivity code be checked end to end against exact values.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import TYPE_CHECKING, Any

from simulation.errors import ScenarioError

if TYPE_CHECKING:
    from simulation.sweep.spec import SweepSpec, _Reader


def overrides(values: dict[str, Any]) -> list[str]:
    """A design point as ``path=value`` overrides (values as JSON, which YAML reads back).

    PyYAML reads a float only with a dot (``1e-05`` would be a text), so one is added.
    """
    out = []
    for path, value in values.items():
        text = json.dumps(value)
        if isinstance(value, float) and "e" in text and "." not in text:
            text = text.replace("e", ".0e", 1)
        out.append(f"{path}={text}")
    return out


class Alliance:
    """The alliance model: parameters are scenario field paths."""

    needs_scenario = True

    @staticmethod
    def metrics() -> tuple[str, ...]:
        """Summary metrics of a run (``alliance-sim run --json`` without provenance)."""
        from simulation.summary import FINAL_KEYS, TOTAL_KEYS

        return (*FINAL_KEYS, *(f"{k}_final" for k in FINAL_KEYS), *TOTAL_KEYS)

    @classmethod
    def check(cls, spec: SweepSpec, r: _Reader) -> SweepSpec:
        """Load the scenario; try each listed value and both ends of each range on it."""
        from simulation.scenario import load_scenario, resolve

        assert spec.scenario is not None
        base = load_scenario(spec.scenario)  # errors name the scenario file itself
        if spec.variant is not None:
            try:
                base = resolve(base, spec.variant)
            except ScenarioError as exc:
                raise r.error(("variant",), exc.problem, exc.hint) from None
        for p in spec.parameters:
            probes = p.values if p.values is not None else (p.value(x) for x in p.bounds())
            for value in probes:
                try:
                    resolve(base, None, overrides({p.path: value}))
                except ScenarioError as exc:
                    field = f"{exc.field}: " if exc.field and exc.field != p.path else ""
                    hint = (exc.hint or "").split("set by --set")[0].rstrip("; ") or None
                    raise r.error(
                        ("parameters", p.path), f"{field}{exc.problem} (value {value!r})", hint
                    ) from None
        _check_targets(spec, r, cls.metrics())
        return dataclasses.replace(spec, scenario_sha256=base.source_sha256)

    @staticmethod
    def prepare(job: dict[str, Any]) -> dict[str, Any]:
        """Load and resolve the scenario once; refuse a file changed since the sweep began."""
        from simulation.scenario import load_scenario, resolve

        scenario = load_scenario(job["scenario"])
        if scenario.source_sha256 != job["scenario_sha256"]:
            raise RuntimeError(f"{job['scenario']} changed since the sweep started")
        if job["variant"] is not None:
            scenario = resolve(scenario, job["variant"])
        return {**job, "scenario": scenario}

    @staticmethod
    def evaluate(ctx: dict[str, Any], values: dict[str, Any], seed: int):
        """Run the model at one design point; keep the summary and the tables asked for.

        The summary is the one :func:`simulation.runner.run_once` gives (the same final values
        and totals of the same per-step table); when the sweep keeps no table, it is read from
        the collected series directly, without building the run's tables. A point's resolved
        scenario is reused for its replications (they run one after another).
        """
        from simulation.runner import run_once

        scenario = _resolved(ctx, values)
        steps = ctx["steps"] or scenario.steps
        if ctx["timeseries"] or ctx["nations"]:
            out = run_once(scenario, steps, seed)
            summary = {k: v for k, v in out["summary"].items() if k != "provenance"}
            tables = {name: out[name] for name in ("timeseries", "nations") if ctx[name]}
            return summary, tables
        return summary_only(scenario, steps, seed), {}


def _resolved(ctx: dict[str, Any], values: dict[str, Any]):
    """The scenario at ``values`` (the last one is cached in ``ctx``)."""
    from simulation.scenario import resolve

    if not values:
        return ctx["scenario"]
    key = json.dumps(values, sort_keys=True)
    cached = ctx.get("_last")
    if cached is None or cached[0] != key:
        cached = ctx["_last"] = (key, resolve(ctx["scenario"], None, overrides(values)))
    return cached[1]


def summary_only(scenario: Any, steps: int, seed: int) -> dict[str, Any]:
    """A run's summary metrics (as :func:`~simulation.runner.run_once`), and nothing else."""
    import numpy as np
    import pandas as pd

    from simulation.model import AllianceModel
    from simulation.runner import _release
    from simulation.summary import run_summary

    model = AllianceModel(scenario, seed=seed)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(steps):
                model.step()
        ts = pd.DataFrame(model.datacollector.model_vars)
        return run_summary(model, ts, scenario, steps)
    finally:
        _release(model)


class Ishigami:
    """The Ishigami-Homma test function; parameters ``x1``, ``x2``, ``x3``."""

    needs_scenario = False
    A, B = 7.0, 0.1

    @staticmethod
    def metrics() -> tuple[str, ...]:
        """The one output, ``y``."""
        return ("y",)

    @classmethod
    def check(cls, spec: SweepSpec, r: _Reader) -> SweepSpec:
        """Parameters must be exactly the numeric ``x1``, ``x2``, ``x3``."""
        names = [p.path for p in spec.parameters]
        if sorted(names) != ["x1", "x2", "x3"]:
            raise r.error(("parameters",), f"ishigami takes x1, x2, x3, got {', '.join(names)}")
        for p in spec.parameters:
            if p.is_list and not all(isinstance(v, int | float) for v in p.values or ()):
                raise r.error(("parameters", p.path), "expected numbers")
        _check_targets(spec, r, cls.metrics())
        return spec

    @staticmethod
    def prepare(job: dict[str, Any]) -> dict[str, Any]:
        """Nothing to load."""
        return dict(job)

    @classmethod
    def evaluate(cls, ctx: dict[str, Any], values: dict[str, Any], seed: int):
        """``y`` at ``values`` (deterministic: the seed is unused)."""
        x1, x2, x3 = (float(values[k]) for k in ("x1", "x2", "x3"))
        y = math.sin(x1) + cls.A * math.sin(x2) ** 2 + cls.B * x3**4 * math.sin(x1)
        return {"y": y}, {}


EVALUATORS: dict[str, Any] = {"alliance": Alliance, "ishigami": Ishigami}
"""Evaluators by the name a sweep file gives in ``evaluator:``."""


def _check_targets(spec: SweepSpec, r: _Reader, metrics: tuple[str, ...]) -> None:
    from simulation.errors import did_you_mean

    for i, target in enumerate(spec.targets):
        if target.metric not in metrics:
            raise r.error(
                ("targets", i, "metric"),
                f"unknown metric {target.metric!r}",
                did_you_mean(target.metric, metrics),
            )
