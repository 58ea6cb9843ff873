"""Batch sweeps: many runs over a design, stored as they finish, resumable, local or on Dask.

The public API::

    from simulation.sweep import load_sweep, run_sweep

    outcome = run_sweep("scenarios/sweeps/smoke.yaml", "results/sweeps/smoke", workers=2)
    outcome.counts()  # {"planned": ..., "completed": ..., "failed": ..., "skipped": ...}

and :func:`analysis.sweeps.load` to read a store. Modules: :mod:`~simulation.sweep.spec` (sweep
files), :mod:`~simulation.sweep.values` (lists and ranges), :mod:`~simulation.sweep.designs`
(grid, LHS, Sobol, Morris; run keys and seeds), :mod:`~simulation.sweep.evaluators` (the model or
a test function), :mod:`~simulation.sweep.worker` (chunks of runs), :mod:`~simulation.sweep.store`
(the directory), :mod:`~simulation.sweep.manifest` (provenance, resume checks),
:mod:`~simulation.sweep.executors` (in process, process pool, Dask) and
:mod:`~simulation.sweep.engine` (the loop).
"""

from simulation.sweep.engine import SweepInterrupted, SweepOutcome, run_sweep
from simulation.sweep.spec import SweepSpec, load_sweep
from simulation.sweep.store import SweepStore, is_store

__all__ = [
    "SweepInterrupted",
    "SweepOutcome",
    "SweepSpec",
    "SweepStore",
    "is_store",
    "load_sweep",
    "run_sweep",
]
