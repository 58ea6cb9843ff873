"""alliance-sim: an agent-based model of alliance diplomacy, cohesion and deterrence on Mesa.

Python API (mirrors the CLI)::

    from simulation import compare, load_scenario, run
    result = run(load_scenario("scenarios/nato_2024.yaml"), seed=7, progress=True)
    result.summary["cohesion"], result.timeseries, result.events
    result.to_frame(), result.plot(), result.save("results/nato")
    both = compare(load_scenario("scenarios/teaching.yaml"), ["baseline", "qualified_majority"])
    both.differences, both.plot(), both.save("results/teaching")

Importing this package is cheap: Mesa, pandas and the model are imported on first use.
``simulation.experiment`` is the function (as ``simulation.run`` is); its module stays importable
as ``from simulation.experiment import ...``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "AllianceModel",
    "ComparisonResult",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_scenario",
    "run",
]

if TYPE_CHECKING:
    from simulation.errors import ScenarioError
    from simulation.experiment import ComparisonResult, compare
    from simulation.model import AllianceModel
    from simulation.runner import RunResult, run
    from simulation.scenario import load_scenario
    from simulation.schema import Scenario

_LAZY = {
    "AllianceModel": "simulation.model",
    "ComparisonResult": "simulation.experiment",
    "compare": "simulation.experiment",
    "RunResult": "simulation.runner",
    "run": "simulation.runner",
    "load_scenario": "simulation.scenario",
    "Scenario": "simulation.schema",
    "ScenarioError": "simulation.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")
