"""Scenario discovery and calibration regions over a sweep.

:func:`discover` asks which parameter region leads to a low (or high) value of a metric, for
example low deterrence or low cohesion, with the Patient Rule Induction Method (Friedman and
Fisher 1999) of the ``prim`` package (Project Platypus, the implementation EMA Workbench derives
from). Each finished run is a case; a case is *of interest* when its metric is beyond the
threshold (by default the metric's lower quartile). The result is the first box PRIM finds, with
its coverage (share of cases of interest inside it) and density (share of the box that is of
interest).

:func:`calibration` uses the sweep's targets: a design point meets them when the mean over its
replications of every target metric is within the target's tolerance of the observed value. It
returns the points that meet every target (with the parameter region they span) and the best
points by their largest distance in tolerance units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.sweeps import Sweep


@dataclass
class Discovery:
    """A PRIM box: the question, its limits and its quality."""

    metric: str
    threshold: float
    direction: str
    cases: int
    of_interest: int
    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float


def discover(
    sweep: Sweep, metric: str, threshold: float | None = None, direction: str = "<"
) -> Discovery | None:
    """The PRIM box of runs with ``metric`` below (``<``) or above (``>``) ``threshold``.

    Returns None when no run, or every run, is of interest (there is nothing to separate).
    """
    import warnings

    import prim

    sweep.check_metric(metric)
    runs = sweep.ok.dropna(subset=[metric])
    y = runs[metric].astype(float).to_numpy()
    if threshold is None:
        threshold = float(np.quantile(y, 0.25 if direction == "<" else 0.75))
    interest = y < threshold if direction == "<" else y > threshold
    if interest.all() or not interest.any():
        return None
    x = runs[sweep.names].reset_index(drop=True)
    for col in x.columns:
        numeric = pd.api.types.is_numeric_dtype(x[col]) and not pd.api.types.is_bool_dtype(x[col])
        x[col] = x[col].astype(float if numeric else object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(x, interest, threshold=0.5, threshold_type=">").find_box()
    limits = _limits(box, sweep.names)
    stats = box.stats
    return Discovery(
        metric=metric,
        threshold=threshold,
        direction=direction,
        cases=len(y),
        of_interest=int(interest.sum()),
        limits=limits,
        coverage=float(stats["coverage"]),
        density=float(stats["density"]),
        mass=float(stats["mass"]),
    )


def _limits(box: Any, names: list[str]) -> pd.DataFrame:
    """The box's restricted dimensions: ``min``/``max`` of ranges, the ``values`` kept of lists.

    Read from the box's limit records (``PrimBox.limits`` fails on categorical columns with
    pandas 3); a dimension is restricted when its limits differ from the whole sample's.
    """
    current, initial = box._box_lims[box._cur_box], box.prim._box_init
    rows = []
    for name in names:
        lo, hi = current[name][0], current[name][1]
        if isinstance(lo, set):
            if lo != initial[name][0]:
                rows.append({"parameter": name, "values": ", ".join(sorted(map(str, lo)))})
        elif (lo, hi) != (initial[name][0], initial[name][1]):
            rows.append({"parameter": name, "min": float(lo), "max": float(hi)})
    return pd.DataFrame(rows, columns=["parameter", "min", "max", "values"])


def point_table(sweep: Sweep) -> pd.DataFrame:
    """The design with each metric's mean over replications (one row per design point)."""
    table = sweep.design.copy()
    for metric in sweep.metrics:
        table[metric] = sweep.point_means(metric)
    return table.drop_duplicates(subset=sweep.names).reset_index(drop=True)


def calibration(sweep: Sweep, best: int = 10) -> dict[str, Any]:
    """Points meeting every target, the region they span, and the ``best`` points by distance."""
    targets = sweep.manifest.get("targets") or []
    if not targets:
        return {}
    table = point_table(sweep)
    distance = pd.DataFrame(
        {
            f"target_{t['metric']}": (table[t["metric"]] - t["observed"]).abs() / t["tolerance"]
            for t in targets
        }
    )
    table = pd.concat([table, distance], axis=1)
    table["worst_distance"] = distance.max(axis=1, skipna=False)
    meets = table[table["worst_distance"] <= 1.0]
    region = []
    for p in sweep.parameters:
        values = meets[p.path]
        if p.is_list:
            region.append({"parameter": p.path, "values": ", ".join(map(str, pd.unique(values)))})
        elif len(values):
            region.append(
                {"parameter": p.path, "values": f"{values.min():.4g} to {values.max():.4g}"}
            )
    cols = ["point", *sweep.names, *(t["metric"] for t in targets), "worst_distance"]
    return {
        "targets": targets,
        "meeting": meets[cols].reset_index(drop=True),
        "region": pd.DataFrame(region, columns=["parameter", "values"]),
        "best": table.sort_values("worst_distance")[cols].head(best).reset_index(drop=True),
        "points": len(table),
    }
