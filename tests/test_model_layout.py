"""The layout the code promises: one-way imports and one interface for every mechanism."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import simulation.mechanisms
from simulation import model as model_module
from simulation.model import OUTPUTS, PHASES, AllianceModel
from simulation.outputs import Output
from simulation.scenario import load_scenario
from simulation.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
HELPERS = {"rates", "negotiation", "escalation", "aftermath"}
"""Modules of simulation/mechanisms that are shared rules, not phases."""

FORBIDDEN = ("analysis", "cli", "matplotlib", "solara")


def mechanism_modules() -> list:
    names = [m.name for m in pkgutil.iter_modules(simulation.mechanisms.__path__)]
    return [
        importlib.import_module(f"simulation.mechanisms.{n}") for n in names if n not in HELPERS
    ]


@pytest.mark.parametrize(
    "target", ["simulation", "simulation.model", "simulation.runner", "simulation.sweep"]
)
def test_importing_the_model_loads_no_analysis_plotting_ui_or_command_module(target):
    code = f"import json, sys, {target}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(out.stdout)
    bad = [m for m in loaded if m.split(".")[0] in FORBIDDEN]
    assert not bad, f"import {target} loaded {bad}"
    if target == "simulation.model":  # the check can fail: the model does load the mechanisms
        assert "simulation.mechanisms.crises" in loaded


def test_the_schedule_lists_every_mechanism_module_exactly_once():
    names = [m.__name__ for m in PHASES]
    assert len(names) == len(set(names)), "a phase is listed twice"
    assert sorted(names) == sorted(m.__name__ for m in mechanism_modules())


@pytest.mark.parametrize("mechanism", mechanism_modules(), ids=lambda m: m.__name__.split(".")[-1])
def test_every_mechanism_exposes_the_same_interface(mechanism):
    for name in ("init", "step"):
        fn = getattr(mechanism, name)
        assert inspect.isfunction(fn) and fn.__module__ == mechanism.__name__
        assert list(inspect.signature(fn).parameters) == ["model"], f"{name}(model)"
        assert (fn.__doc__ or "").strip(), f"{mechanism.__name__}.{name} has no docstring"
    assert (mechanism.__doc__ or "").strip()
    assert isinstance(mechanism.OUTPUTS, tuple)
    assert all(isinstance(o, Output) for o in mechanism.OUTPUTS)
    section, params = mechanism.SECTION, mechanism.Params
    assert (section is None) == (params is None)
    if section is not None:
        # the parameter class is defined in the mechanism and is the scenario's field SECTION
        assert dataclasses.is_dataclass(params) and params.__module__ == mechanism.__name__
        hint = typing.get_type_hints(Scenario)[section]
        assert hint is params or typing.get_args(hint) == (params, ...)


def test_each_output_is_defined_once_and_collected_every_step():
    names = [o.name for o in OUTPUTS]
    assert len(names) == len(set(names))
    mechanism_outputs = {o.name for m in PHASES for o in m.OUTPUTS}
    assert mechanism_outputs <= set(names)
    assert set(model_module.STEP_COUNTS) == {o.name for o in OUTPUTS if o.count}


def test_the_schedule_runs_each_phase_once_per_step_in_order(monkeypatch):
    model = AllianceModel(load_scenario("scenarios/teaching.yaml"), seed=3)
    calls = []
    for mechanism in PHASES:
        original = mechanism.step

        def spy(m, original=original, name=mechanism.__name__):
            calls.append(name)
            original(m)

        monkeypatch.setattr(mechanism, "step", spy)
    model.step()
    model.step()
    order = [m.__name__ for m in PHASES]
    assert calls == order + order
    table = model.datacollector.get_model_vars_dataframe()
    assert list(table.columns) == [o.name for o in OUTPUTS]
    assert len(table) == 3  # the initial state and two steps


def test_the_odd_document_lists_the_schedule_in_order():
    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    section = text.split("## 3. Process overview and scheduling")[1].split("\n## ")[0]
    listed = re.findall(r"^\d+\. \*\*[^*]+\*\* \(`(\w+)`\)", section, flags=re.MULTILINE)
    assert listed == [m.__name__.rsplit(".", 1)[-1] for m in PHASES]
