"""Compare policy variants on common random numbers, with paired bootstrap intervals.

``compare(scenario, ["baseline", "qualified_majority"], replications=20)`` runs every variant on
the same replication seeds (:func:`simulation.rng.replication_seeds`), so each seed gives one
matched pair of runs that share every external shock their policies do not touch (DESIGN 3,
STYLE 7 and 9). It returns a :class:`ComparisonResult` holding

* ``timeseries``, ``events``, ``nations``, ``pairs``: the run tables of every run, one tidy
  frame each, with ``variant``, ``replication`` and ``seed`` as the first columns;
* ``summaries``: one row per run (``variant, replication, seed`` and one column per numeric
  summary key);
* ``differences``: for each variant after the first and each metric, the mean paired difference
  (variant minus the first, per seed) with a percentile bootstrap confidence interval over seeds.

The statistics (bootstrap intervals, paired differences) are in :mod:`simulation.statistics`
and re-exported here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.errors import ScenarioError, did_you_mean, shown
from simulation.results import comparison_json, write_comparison
from simulation.rng import replication_seeds
from simulation.runner import TABLES, check_counts, provenance, run_once
from simulation.scenario import BASELINE, resolve, variant_names
from simulation.schema import Scenario
from simulation.statistics import (  # re-exported: the experiment's statistics
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    DIFFERENCE_COLUMNS,
    RUN_KEYS,
    bootstrap_ci,
    bootstrap_seed,
    excludes_zero,
    paired_differences,
)

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_REPLICATIONS",
    "DEFAULT_RESAMPLES",
    "DIFFERENCE_COLUMNS",
    "RUN_KEYS",
    "ComparisonResult",
    "bootstrap_ci",
    "bootstrap_seed",
    "check_variants",
    "compare",
    "comparison_json",
    "comparison_provenance",
    "excludes_zero",
    "paired_differences",
    "summary_frame",
    "write_comparison",
]

DEFAULT_REPLICATIONS = 10


@dataclass
class ComparisonResult:
    """Runs of several variants on shared seeds, their tables and the paired differences."""

    variants: tuple[str, ...]
    seeds: list[int]
    steps: int
    confidence: float
    summaries: pd.DataFrame = field(repr=False)
    differences: pd.DataFrame = field(repr=False)
    timeseries: pd.DataFrame = field(repr=False)
    events: pd.DataFrame = field(repr=False)
    nations: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    scenarios: dict[str, Scenario] = field(repr=False)
    provenance: dict[str, Any] = field(repr=False)
    warnings: list[str] = field(default_factory=list)
    """Caveats for the reader, e.g. variants that end with different members."""

    @property
    def reference(self) -> str:
        """The variant every other one is compared with (the first named)."""
        return self.variants[0]

    @property
    def metrics(self) -> list[str]:
        """The numeric summary metrics, in summary order."""
        return [c for c in self.summaries.columns if c not in RUN_KEYS]

    def __repr__(self) -> str:
        from simulation.display import short

        level = f"{self.confidence * 100:g}%"
        parts = []
        for row in self.differences[self.differences["metric"] == "cohesion"].itertuples():
            parts.append(
                f"{row.variant}-{row.reference} cohesion {short(row.mean_diff)} "
                f"[{short(row.ci_low)}, {short(row.ci_high)}]"
            )
        return (
            f"ComparisonResult({' vs '.join(self.variants)}; {len(self.seeds)} paired seeds, "
            f"{self.steps} steps, {level} intervals"
            + ("; " + "; ".join(parts) if parts else "")
            + ")"
        )

    def _repr_html_(self) -> str:
        from simulation.display import comparison_html

        return comparison_html(self)

    def to_frame(self, table: str = "timeseries") -> pd.DataFrame:
        """A run table in long format (``variant, replication, seed, step, year, metric, value``).

        ``table`` is ``timeseries`` (default) or ``summaries``; ``differences`` is already long.
        """
        from simulation.display import long_frame

        if table not in ("timeseries", "summaries", "differences"):
            raise ValueError(f"table must be timeseries, summaries or differences, not {table!r}")
        return (
            self.differences.copy() if table == "differences" else long_frame(getattr(self, table))
        )

    def plot(self, metrics: Sequence[str] | None = None, **kwargs: Any) -> Any:
        """Metrics over time, one colour per variant (small multiples beyond two variants)."""
        from simulation.display import analysis

        plots = analysis("plots")
        return plots.overview_figure(
            self.timeseries,
            tuple(metrics) if metrics is not None else plots.OVERVIEW_METRICS,
            by="variant",
            colors=analysis("style").variant_colors(self.variants),
            events=kwargs.pop("events", self.events),
            **kwargs,
        )

    def save(self, directory: str | Path, *, plots: bool = True) -> list[Path]:
        """Write the files ``alliance-sim compare --out DIR`` writes; return their paths."""
        from simulation.display import analysis

        figures = analysis("report").comparison_figures if plots else None
        return write_comparison(self, Path(directory), extra=figures)


def compare(
    scenario: Scenario,
    variants: Sequence[str],
    *,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    steps: int | None = None,
    progress: bool | Callable[[int], None] | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    n_resamples: int = DEFAULT_RESAMPLES,
    overrides: Sequence[str] = (),
    window_months: int | None = None,
) -> ComparisonResult:
    """Run ``variants`` of ``scenario`` on the same replication seeds and pair their results.

    Args:
        scenario: the scenario as loaded (:func:`simulation.load_scenario`), not a resolved
            variant; each variant is resolved from it.
        variants: two or more distinct variant names; the first is the reference.
        replications: runs per variant, on seeds spawned from ``seed``.
        seed: root seed; defaults to the scenario's ``seed``.
        steps: horizon; defaults to the scenario's ``steps``.
        progress: ``True`` for a progress bar (tqdm), or a callable called after each step.
        confidence: level of the bootstrap intervals.
        n_resamples: bootstrap resamples (one resample of the seeds shared by all metrics).
        overrides: ``path.to.field=VALUE`` strings applied to every variant after it.
        window_months: the summary's final window (default: each variant's
            ``metrics.summary_window_months``).

    Raises:
        ScenarioError: an unknown variant (with a did-you-mean), fewer than two variants, a
            repeated variant, or a bad ``steps``, ``replications`` or ``seed``.
    """
    names = check_variants(scenario, variants)
    horizon = scenario.steps if steps is None else int(steps)
    root = scenario.seed if seed is None else int(seed)
    _check_numbers(horizon, replications, root, confidence, n_resamples)
    window = [] if window_months is None else [f"metrics.summary_window_months={window_months}"]
    resolved = {
        name: _as_run(resolve(scenario, name, (*overrides, *window)), horizon, root)
        for name in names
    }
    seeds = replication_seeds(root, replications)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    rows: list[dict[str, Any]] = []
    from simulation.display import progress_bar

    total = horizon * len(seeds) * len(names)
    with progress_bar(progress, total, scenario.name) as tick:
        for name in names:
            for rep, rep_seed in enumerate(seeds):
                out = run_once(resolved[name], horizon, rep_seed, progress=tick)
                summary = out.pop("summary")
                rows.append({"variant": name, "replication": rep, "seed": rep_seed, **summary})
                for table, df in out.items():
                    df.insert(0, "variant", name)
                    df.insert(1, "replication", rep)
                    df.insert(2, "seed", rep_seed)
                    tables[table].append(df)
    summaries = summary_frame(rows)
    nations = _concat(tables["nations"])
    differences = paired_differences(
        summaries, names, seed=root, confidence=confidence, n_resamples=n_resamples
    )
    return ComparisonResult(
        variants=tuple(names),
        seeds=seeds,
        steps=horizon,
        confidence=confidence,
        summaries=summaries,
        differences=differences,
        scenarios=resolved,
        provenance=comparison_provenance(resolved, root, seeds, horizon, confidence, n_resamples),
        warnings=membership_warnings(nations, names),
        **{name: _concat(frames) for name, frames in tables.items()},
    )


def membership_warnings(nations: pd.DataFrame, variants: Sequence[str]) -> list[str]:
    """A warning per variant whose runs end with other members than the reference's.

    Alliance-wide means (deterrence, defence_share_mean, cohesion) then average over different
    nations; the ``*_initial_members`` metrics compare the same fixed panel.
    """
    if nations.empty:
        return []
    members = nations[nations["role"] == "member"]
    sets = members.groupby(["variant", "replication"])["iso3"].agg(frozenset)
    ref = variants[0]
    out = []
    for name in variants[1:]:
        differ = [r for r in sets[ref].index if sets[name].get(r) != sets[ref][r]]
        if differ:
            gained = sorted(set().union(*(sets[name][r] - sets[ref][r] for r in differ)))
            lost = sorted(set().union(*(sets[ref][r] - sets[name][r] for r in differ)))
            change = "; ".join(
                part
                for part in (
                    f"members only in {name}: {', '.join(gained)}" if gained else "",
                    f"members only in {ref}: {', '.join(lost)}" if lost else "",
                )
                if part
            )
            out.append(
                f"{name} ends with different members than {ref} in {len(differ)} of "
                f"{len(sets[ref])} replications ({change}): alliance-wide metrics average over "
                "different nations; compare the *_initial_members metrics"
            )
    return out


def check_variants(scenario: Scenario, variants: Sequence[str]) -> list[str]:
    """The variant names to compare, checked: known, at least two, none repeated.

    ``variants`` may also be one comma-separated string. Raises :class:`ScenarioError`.
    """
    if isinstance(variants, str):
        variants = [v.strip() for v in variants.split(",") if v.strip()]
    names = [str(v) for v in variants]
    if scenario.variant != BASELINE:
        raise ScenarioError(
            f"compare needs the scenario as loaded, not its resolved variant {scenario.variant!r}",
            file=scenario.source_file,
            hint="pass load_scenario(path) and name the variants instead",
        )
    known = variant_names(scenario)
    for name in names:
        if name not in known:
            raise ScenarioError(
                f"unknown variant {shown(name)}",
                file=scenario.source_file,
                field="variants",
                hint=did_you_mean(name, known),
            )
    if len(names) < 2:
        raise ScenarioError(
            "compare needs at least two variants",
            file=scenario.source_file,
            field="variants",
            hint=f"name two or more of: {', '.join(known)}",
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ScenarioError(
            f"variant {shown(repeated[0])} is named twice",
            file=scenario.source_file,
            field="variants",
            hint="name each once",
        )
    return names


def _as_run(scenario: Scenario, steps: int, seed: int) -> Scenario:
    """The resolved scenario with the horizon and root seed that actually ran (as ``run`` does)."""
    if (steps, seed) == (scenario.steps, scenario.seed):
        return scenario
    raw = {**scenario.raw, "steps": steps, "seed": seed}
    return dataclasses.replace(scenario, steps=steps, seed=seed, raw=raw)


def _check_numbers(steps: int, replications: int, seed: int, confidence: float, resamples: int):
    check_counts(steps, replications, seed)
    if not 0.0 < confidence < 1.0:
        raise ScenarioError("confidence must be between 0 and 1", field="confidence")
    if resamples < 1:
        raise ScenarioError("n_resamples must be at least 1", field="n_resamples")


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    non_empty = [f for f in frames if not f.empty]
    return pd.concat(non_empty or frames[:1], ignore_index=True)


def summary_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per run: the run keys and every numeric summary value (None becomes NaN)."""
    if not rows:
        return pd.DataFrame(columns=list(RUN_KEYS))
    keys = [
        k
        for k, v in rows[0].items()
        if k in RUN_KEYS or (isinstance(v, int | float | type(None)) and not isinstance(v, bool))
    ]
    frame = pd.DataFrame([{k: row.get(k) for k in keys} for row in rows], columns=keys)
    metrics = [k for k in keys if k not in RUN_KEYS]
    frame[metrics] = frame[metrics].apply(pd.to_numeric, errors="coerce").astype(float)
    return frame


# ------------------------------------------------------------------ provenance and output
def comparison_provenance(
    scenarios: dict[str, Scenario],
    seed: int,
    seeds: list[int],
    steps: int,
    confidence: float,
    n_resamples: int,
) -> dict[str, Any]:
    """Provenance of a comparison: the run provenance with every variant and seed named."""
    names = list(scenarios)
    prov = provenance(scenarios[names[0]], seed, steps)
    prov.pop("variant")
    prov["variants"] = names
    prov["resolved_sha256"] = {
        n: provenance(s, seed, steps)["resolved_sha256"] for n, s in scenarios.items()
    }
    prov["replication_seeds"] = list(seeds)
    prov["bootstrap"] = {
        "method": "percentile, resampling seeds (pairs)",
        "confidence": confidence,
        "resamples": n_resamples,
        "seed": seed,
    }
    return prov
