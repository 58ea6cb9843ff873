"""The run summary: which metrics it holds, how each is reduced, and when a run is refused.

Level metrics (:data:`FINAL_KEYS`) are reported as the mean over the final window
(``metrics.summary_window_months``) under their own name and as the last step's value under
``<name>_final``; counts (:data:`TOTAL_KEYS`) are totals over the run. Keys of
:data:`ADVERSARY_KEYS` (and their variants) are ``null`` without an adversary;
:data:`MAY_BE_MISSING` may be ``null`` when undefined. :func:`check_finite` refuses any other
missing or non-finite value before anything is written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from simulation.errors import ScenarioError
from simulation.mechanisms.crises import COUNTS as CRISIS_COUNTS
from simulation.schema import Scenario

FINAL_KEYS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "deterrence",
    "consensus_rate",
    "decision_latency",
    "defence_share_mean",
    "burden_size_correlation",
    "members",
    "credibility",
    "interest_alignment",
    "readiness_mean",
    "aggression",
    "adversary_threat",
    "mean_dilution",
    "cohesion_initial_members",
    "deterrence_initial_members",
    "defence_share_initial_members",
)
"""Level metrics of the summary (DESIGN 3.3 first, then mechanism-specific ones, then the fixed
panel of initial members). Each is reported as its mean over the final window
(``metrics.summary_window_months``; :func:`simulation.metrics.window_mean`) under its own name and
as the last step's value under ``<name>_final``; ``members`` is a count of nations, reported at
the last step under both names."""

TOTAL_KEYS = {
    "challenges": "challenges",
    "crises": "crises",
    "crises_deterred": "crises_deterred",
    "crises_defended": "crises_defended",
    "crises_conceded": "crises_conceded",
    "proposals": "proposals",
    "proposals_adopted": "adopted",
    "exercises": "exercises",
    "hybrid_campaigns": "hybrid_campaigns",
    **{name: name for name, _ in CRISIS_COUNTS if name not in ("challenges", "crises")},
}
"""Summary keys that total a per-step count over the run (summary key -> timeseries column)."""

ADVERSARY_KEYS = ("deterrence", "credibility", *(name for name, _ in CRISIS_COUNTS))
"""Summary keys that are ``null`` for a scenario without an adversary (nothing to deter)."""


def window_steps(scenario: Scenario, steps: int) -> int:
    """Steps in the summary's final window (at most the horizon)."""
    months = scenario.metrics.summary_window_months
    return min(steps, max(1, math.ceil(months / scenario.step_months)))


def summarise(ts: pd.DataFrame, window: int) -> dict[str, Any]:
    """Window means and final values of the level metrics (rows after step 0 only)."""
    from simulation.metrics import window_mean

    body = ts.iloc[1:] if len(ts) > 1 else ts
    out: dict[str, Any] = {}
    for k in FINAL_KEYS:
        last = number(body[k].iloc[-1])
        out[k] = last if k == "members" else number(window_mean(body[k].to_numpy(), window))
        out[f"{k}_final"] = last
    return out


MAY_BE_MISSING = frozenset(
    f"{key}{suffix}"
    for key in ("decision_latency", "mean_dilution", "burden_size_correlation")
    for suffix in ("", "_final")
)
"""Summary keys that are ``null`` when undefined: no decision (latency, dilution) in the trailing
window, or fewer than three members or no spread in GDP or spending (the rank correlation)."""


def adversary_keys(summary: dict[str, Any]) -> tuple[str, ...]:
    """The keys of ``summary`` that are ``null`` without an adversary.

    :data:`ADVERSARY_KEYS` and their variants (``deterrence_final``,
    ``deterrence_initial_members``, ...).
    """
    stems = ("deterrence", "credibility")
    return tuple(
        key
        for key in summary
        if key in ADVERSARY_KEYS or any(key.startswith(f"{stem}_") for stem in stems)
    )


def check_finite(
    summary: dict[str, Any], scenario: Scenario, nullable: Iterable[str] = MAY_BE_MISSING
) -> None:
    """Refuse a run whose summary is not finite where a number is promised, before any output.

    Schema ranges keep every parameter computable alone; this guards their combinations (e.g. 30 %
    GDP growth for 100,000 steps overflows).
    """
    nullable = frozenset(nullable)
    for key, value in summary.items():
        if key in nullable and value is None:
            continue
        if value is None or not math.isfinite(value):
            raise ScenarioError(
                f"the run gave {'no value' if value is None else value} for {key}, which must be "
                "a finite number",
                file=scenario.source_file,
                hint="the parameters, together, are beyond what the model computes; bring extreme "
                "values (growth, horizon, GDP, weights) closer to the shipped scenarios",
            )


def number(value: Any) -> float | int | None:
    """A summary value as JSON will hold it: int for counts, float, or ``None`` for NaN."""
    if isinstance(value, np.integer | int) and not isinstance(value, bool):
        return int(value)
    value = float(value)
    return None if math.isnan(value) else value


def mean_summary(summaries: list[dict[str, Any]], root_seed: int) -> dict[str, Any]:
    """The summary of replications.

    Each key's mean over the runs that define it, the root seed and every replication's seed in
    the provenance, and each run's own summary under ``replications``.
    """
    out: dict[str, Any] = {}
    for key, value in summaries[0].items():
        if key == "provenance":
            continue
        values = [s[key] for s in summaries if s[key] is not None]
        out[key] = float(np.mean(values)) if values and isinstance(value, int | float) else None
    prov = dict(summaries[0]["provenance"])
    prov["seed"] = root_seed
    prov["replication_seeds"] = [s["provenance"]["seed"] for s in summaries]
    out["provenance"] = prov
    out["replications"] = summaries
    return out


def run_summary(model: Any, ts: pd.DataFrame, scenario: Scenario, steps: int) -> dict[str, Any]:
    """The summary of one finished run (without provenance), checked by :func:`check_finite`.

    ``ts`` is the per-step table (row 0 is the initial state). Level metrics: window mean and
    final value (:func:`summarise`); counts: totals over the run; adversary keys: ``null`` when
    the scenario has no adversary. Used by :func:`simulation.runner.run_once` and by sweeps.
    """
    summary = summarise(ts, window_steps(scenario, steps))
    summary.update({k: int(ts[col].sum()) for k, col in TOTAL_KEYS.items()})
    nullable = set(MAY_BE_MISSING)
    if not model.state.adversary.any():  # no adversary: no challenge could be made
        summary.update(dict.fromkeys(adversary_keys(summary)))
        nullable |= set(adversary_keys(summary))
    check_finite(summary, scenario, nullable)
    return summary
