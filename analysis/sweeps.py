"""Reading a sweep store into pandas, and querying it with DuckDB.

``load(dir)`` returns a :class:`Sweep`: the manifest, the design, the summary (one row per run),
the kept per-step and per-nation tables, and helpers that the sensitivity, discovery, calibration
and figure modules share: the swept parameters, the summary metrics, each design point's mean over
its replications (in the sampler's order, as SALib expects), and SQL over the tables::

    sweep = load("results/sweeps/smoke")
    sweep.query("SELECT replication, avg(cohesion) FROM summary GROUP BY 1")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.errors import ScenarioError
from simulation.sweep.designs import run_key
from simulation.sweep.store import SweepStore, is_store
from simulation.sweep.values import Parameter, plain

RUN_COLUMNS = ("run_key", "replication", "seed", "status", "error", "meets_targets")


@dataclass
class Sweep:
    """A loaded sweep store."""

    path: Path
    manifest: dict[str, Any]
    design: pd.DataFrame
    summary: pd.DataFrame
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @cached_property
    def parameters(self) -> list[Parameter]:
        """The swept parameters, as the sweep file gave them."""
        out = []
        for p in self.manifest["design"]["parameter_specs"]:
            values = tuple(p["values"]) if p.get("values") is not None else None
            out.append(Parameter(**{**p, "values": values}))
        return out

    @property
    def names(self) -> list[str]:
        """Parameter paths (the design's value columns)."""
        return [p.path for p in self.parameters]

    @property
    def method(self) -> str:
        """The design method: grid, lhs, sobol or morris."""
        return self.manifest["design"]["method"]

    @property
    def metrics(self) -> list[str]:
        """Numeric summary metrics (not parameters, keys, seeds or target distances)."""
        skip = set(RUN_COLUMNS) | set(self.names)
        return [
            c
            for c in self.summary.columns
            if c not in skip
            and not c.startswith("target_")
            and pd.api.types.is_numeric_dtype(self.summary[c])
        ]

    @property
    def ok(self) -> pd.DataFrame:
        """The runs that finished without error."""
        return self.summary[self.summary["status"] == "ok"]

    def table(self, name: str) -> pd.DataFrame:
        """A kept table: ``timeseries`` or ``nations`` (empty if the sweep did not keep it)."""
        if name not in self._tables:
            self._tables[name] = SweepStore(self.path).table(name)
        return self._tables[name]

    def check_metric(self, metric: str) -> None:
        """Raise a one-line error unless ``metric`` is a summary metric of this sweep."""
        if metric not in self.metrics:
            from simulation.errors import did_you_mean

            raise ScenarioError(
                f"unknown metric {metric!r}",
                field="--metric",
                hint=did_you_mean(metric, self.metrics),
            )

    def point_means(self, metric: str) -> np.ndarray:
        """Each design row's mean of ``metric`` over its replications, in design order.

        Failed runs are left out of the mean; a point with no finished run is NaN.
        """
        self.check_metric(metric)
        values = dict(zip(self.ok["run_key"], self.ok[metric].astype(float), strict=True))
        reps = int(self.manifest["replications"])
        out = np.full(len(self.design), np.nan)
        for i, row in enumerate(self.design[self.names].itertuples(index=False)):
            point = {n: plain(v) for n, v in zip(self.names, row, strict=True)}
            ys = [values[k] for r in range(reps) if (k := run_key(point, r)) in values]
            ys = [y for y in ys if not np.isnan(y)]
            if ys:
                out[i] = float(np.mean(ys))
        return out

    def coordinates(self) -> np.ndarray:
        """The design in sampler coordinates (``log10`` for log ranges, index for lists)."""
        cols = [[p.coordinate(plain(v)) for v in self.design[p.path]] for p in self.parameters]
        return np.array(cols, dtype=float).T

    def query(self, sql: str) -> pd.DataFrame:
        """Run SQL (DuckDB) over ``summary``, ``design`` and the kept tables."""
        import duckdb

        con = duckdb.connect()
        try:
            con.register("summary", self.summary)
            con.register("design", self.design)
            for name in ("timeseries", "nations"):
                table = self.table(name)
                if len(table):
                    con.register(name, table)
            return con.execute(sql).df()
        finally:
            con.close()

    def provenance(self) -> dict[str, Any]:
        """Provenance for figure captions and metadata."""
        m = self.manifest
        return {
            "scenario_file": m.get("scenario") or m.get("evaluator"),
            "variant": f"sweep {m['name']}",
            "seed": m["seed"],
            "steps": m.get("steps") or ("scenario" if m.get("scenario") else "no"),
            "version": m["code"]["version"],
            "git_commit": m["code"]["git_commit"],
            "scenario_sha256": m.get("scenario_sha256") or "",
            "sweep_sha256": m["sweep_sha256"],
        }


def load(path: str | Path) -> Sweep:
    """Load the sweep store at ``path`` (see :mod:`simulation.sweep.store`)."""
    path = Path(path)
    if not is_store(path):
        raise ScenarioError(
            f"{path} is not a sweep store (no sweep manifest.json)",
            field="SWEEP_DIR",
            hint="give the --out directory of alliance-sim sweep",
        )
    store = SweepStore(path)
    return Sweep(path, store.manifest(), store.design(), store.summary())
