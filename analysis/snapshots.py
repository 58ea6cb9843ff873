"""Per-nation state at chosen steps of a run, by re-running the model (runs are deterministic).

A run writes its final ``nations`` and ``pairs`` tables; to draw the trust network or the burden
scatter at an earlier step, :func:`snapshots` re-runs the same scenario and seed and reads the
same tables (:func:`simulation.runner.nations_table`, :func:`simulation.runner.pairs_table`) at
each requested step, so the columns match the run's own tables plus a ``step`` column.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from simulation.runner import _release, nations_table, pairs_table
from simulation.schema import Scenario


def snapshots(
    scenario: Scenario, seed: int, steps: Iterable[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``nations`` and ``pairs`` tables of one run at each of ``steps`` (0 is the start).

    ``scenario`` is resolved (variant applied) and ``seed`` is the run's own seed (a
    replication's, as recorded in its provenance). Returns two frames with ``seed`` and ``step``
    as their first columns.
    """
    from simulation.model import AllianceModel

    wanted = sorted({int(s) for s in steps})
    if not wanted or wanted[0] < 0:
        raise ValueError("steps must be one or more non-negative step numbers")
    model = AllianceModel(scenario, seed=seed)
    nations, pairs = [], []
    try:
        for step in range(wanted[-1] + 1):
            if step > 0:
                model.step()
            if step in wanted:
                for table, frames in ((nations_table(model), nations), (pairs_table(model), pairs)):
                    table.insert(0, "seed", int(seed))
                    table.insert(1, "step", step)
                    frames.append(table)
    finally:
        _release(model)
    return pd.concat(nations, ignore_index=True), pd.concat(pairs, ignore_index=True)
