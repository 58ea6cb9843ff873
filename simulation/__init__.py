"""alliance-sim: an agent-based model of alliance diplomacy, cohesion and deterrence on Mesa.

Python API (mirrors the CLI)::

    from simulation import compare, load_scenario, run
    result = run(load_scenario("scenarios/nato_2024.yaml"), seed=7, progress=True)
    result.summary["cohesion"], result.timeseries, result.events
    result.to_frame(), result.plot(), result.save("results/nato")
    both = compare(load_scenario("scenarios/teaching.yaml"), ["baseline", "qualified_majority"])
    both.differences, both.plot(), both.save("results/teaching")

Importing this package is cheap: Mesa, pandas and the model are imported on first use.
``simulation.compare`` is the function (as ``simulation.run`` is); its module stays importable
as ``from simulation.compare import ...``.
"""

from __future__ import annotations

import sys
import types
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
    from simulation.compare import ComparisonResult, compare
    from simulation.errors import ScenarioError
    from simulation.model import AllianceModel
    from simulation.runner import RunResult, run
    from simulation.scenario import load_scenario
    from simulation.schema import Scenario

_LAZY = {
    "AllianceModel": "simulation.model",
    "ComparisonResult": "simulation.compare",
    "compare": "simulation.compare",
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


class _Package(types.ModuleType):
    """The package class: keeps ``compare`` the function when its module is imported.

    Importing a submodule sets it as an attribute of the package, which would shadow the
    function of the same name (``from simulation import compare`` then gave the module).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return  # the module stays in sys.modules; the attribute stays the function
        super().__setattr__(name, value)


_FUNCTIONS = frozenset({"compare"})
sys.modules[__name__].__class__ = _Package
