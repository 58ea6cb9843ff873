"""Designs: the parameter points of a sweep, and each run's key and seed.

* ``grid``: every combination of the parameters' grid values (lists, or ``num`` values of a range);
* ``lhs``: a Latin hypercube of ``samples`` points (:class:`scipy.stats.qmc.LatinHypercube`);
* ``sobol``: Saltelli's scheme for first- and total-order Sobol indices
  (``SALib.sample.sobol.sample``, ``samples`` base points, ``samples * (D + 2)`` points);
* ``morris``: ``samples`` Morris trajectories over ``levels`` levels
  (``SALib.sample.morris.sample``, ``samples * (D + 1)`` points).

Samplers draw coordinates (:mod:`simulation.sweep.values`); the design table holds the values.
Samplers are seeded from the sweep seed. A run is a design point and a replication; its key is a
hash of the point's values and the replication, and its seed is spawned from the sweep seed by that
key, so a run's result depends on neither the order of the design nor the executor.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulation.sweep.values import plain

if TYPE_CHECKING:
    from simulation.sweep.spec import SweepSpec


@dataclass(frozen=True)
class Run:
    """One run of a sweep: a design point and a replication."""

    key: str
    point: int
    replication: int
    seed: int
    values: dict[str, Any]


def planned_points(spec: SweepSpec) -> int:
    """Number of design points, without sampling them."""
    d = len(spec.parameters)
    if spec.method == "grid":
        return math.prod(len(p.grid()) for p in spec.parameters)
    if spec.method == "sobol":
        return (spec.samples or 0) * (d + 2)
    if spec.method == "morris":
        return (spec.samples or 0) * (d + 1)
    return spec.samples or 0


def salib_problem(spec: SweepSpec) -> dict[str, Any]:
    """The SALib problem of a sweep: parameter names and coordinate bounds."""
    return {
        "num_vars": len(spec.parameters),
        "names": [p.path for p in spec.parameters],
        "bounds": [list(p.bounds()) for p in spec.parameters],
    }


def design_seed(spec: SweepSpec) -> int:
    """A 32-bit seed for the samplers, spawned from the sweep seed."""
    seq = np.random.SeedSequence(spec.seed, spawn_key=(zlib.crc32(b"design"),))
    return int(seq.generate_state(1, dtype=np.uint32)[0])


def coordinates(spec: SweepSpec) -> np.ndarray:
    """The sampler's coordinates (points x parameters); for a grid, its values' coordinates."""
    params = spec.parameters
    if spec.method == "grid":
        combos = list(itertools.product(*(p.grid() for p in params)))
        return np.array([[p.coordinate(v) for p, v in zip(params, c, strict=True)] for c in combos])
    problem, seed = salib_problem(spec), design_seed(spec)
    if spec.method == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(params), seed=np.random.default_rng(seed)).random(
            spec.samples
        )
        low, high = np.array(problem["bounds"]).T
        return low + unit * (high - low)
    if spec.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, spec.samples, calc_second_order=False, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=seed)


def build_design(spec: SweepSpec) -> pd.DataFrame:
    """The design table: ``point`` and one column of values per parameter, in sampler order."""
    import warnings

    with warnings.catch_warnings():  # SALib warns when N is not a power of 2; the docs say so
        warnings.simplefilter("ignore", UserWarning)
        coords = coordinates(spec)
    rows = [
        {p.path: plain(p.value(x)) for p, x in zip(spec.parameters, row, strict=True)}
        for row in coords
    ]
    design = pd.DataFrame(rows, columns=[p.path for p in spec.parameters])
    design.insert(0, "point", np.arange(len(design)))
    return design


def run_key(values: dict[str, Any], replication: int) -> str:
    """A run's key: 16 hex digits of the SHA-256 of its parameter values and replication."""
    body = json.dumps({"values": values, "replication": replication}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def run_seed(sweep_seed: int, key: str) -> int:
    """A run's seed (0 to 2**63 - 1), spawned from the sweep seed by the run key."""
    seq = np.random.SeedSequence(sweep_seed, spawn_key=(int(key, 16),))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def plan_runs(spec: SweepSpec, design: pd.DataFrame) -> list[Run]:
    """Every run of the sweep, once each (design points that repeat share their runs)."""
    names = [p.path for p in spec.parameters]
    runs: dict[str, Run] = {}
    for point, *vals in design[["point", *names]].itertuples(index=False):
        values = {n: plain(v) for n, v in zip(names, vals, strict=True)}
        for rep in range(spec.replications):
            key = run_key(values, rep)
            if key not in runs:
                runs[key] = Run(key, int(point), rep, run_seed(spec.seed, key), values)
    return list(runs.values())
