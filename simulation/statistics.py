"""Statistics of paired comparisons: percentile bootstrap intervals of mean paired differences.

Runs of two variants on the same replication seed form a matched pair (common random numbers).
:func:`paired_differences` takes each variant's difference from the first, per seed, and gives
its mean with a percentile bootstrap interval (:func:`bootstrap_ci`; Efron and Tibshirani 1993).
The bootstrap resamples seeds (the pairs), never runs within a variant, so the interval reflects
the paired design. Its random numbers come from the root seed and a key named per variant and
metric (:func:`bootstrap_seed`): a table is reproducible, and adding a metric or variant leaves
the other rows unchanged. Pure functions of their inputs; nothing here runs the model.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95
RUN_KEYS = ("variant", "replication", "seed")
"""The columns that identify a run in every table of a comparison."""

DIFFERENCE_COLUMNS = (
    "variant",
    "reference",
    "metric",
    "mean_first",
    "mean_variant",
    "mean_diff",
    "ci_low",
    "ci_high",
    "n",
)


def bootstrap_ci(
    diffs: Sequence[float] | np.ndarray,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | np.random.SeedSequence | None = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of ``diffs`` (Efron and Tibshirani 1993, 13.3).

    Resamples the values with replacement ``n_resamples`` times and returns the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled means. A pure
    function: the same inputs and ``seed`` give the same interval. NaN values are dropped; with
    fewer than two values there is no interval and both ends are NaN.
    """
    values = np.asarray(diffs, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    index = rng.integers(0, len(values), size=(int(n_resamples), len(values)))
    means = values[index].mean(axis=1)
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return float(low), float(high)


def bootstrap_seed(root: int, variant: str, metric: str) -> np.random.SeedSequence:
    """The bootstrap's seed for one interval: the root seed and a key named by variant, metric."""
    key = tuple(zlib.crc32(text.encode("utf-8")) for text in ("bootstrap", variant, metric))
    return np.random.SeedSequence(int(root), spawn_key=key)


def paired_differences(
    summaries: pd.DataFrame,
    variants: Sequence[str] | None = None,
    *,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    n_resamples: int = DEFAULT_RESAMPLES,
) -> pd.DataFrame:
    """Mean paired difference (each variant minus the first, per seed) with bootstrap intervals.

    ``summaries`` has one row per run with ``variant`` and ``seed`` columns and one column per
    metric (as :func:`simulation.compare.summary_frame` builds). A pair counts for a metric when
    both runs have a value; ``n`` is the number of such pairs, and ``mean_first`` and
    ``mean_variant`` are means over those pairs, so ``mean_diff == mean_variant - mean_first``.
    """
    names = list(variants) if variants is not None else list(dict.fromkeys(summaries["variant"]))
    metrics = [c for c in summaries.columns if c not in RUN_KEYS]
    first = summaries[summaries["variant"] == names[0]].set_index("seed")[metrics]
    rows = []
    for name in names[1:]:
        other = summaries[summaries["variant"] == name].set_index("seed")[metrics]
        joined = pd.merge(
            first,
            other,
            how="inner",
            left_index=True,
            right_index=True,
            suffixes=("_first", "_variant"),
        )
        for metric in metrics:
            a = joined[f"{metric}_first"].to_numpy(dtype=float)
            b = joined[f"{metric}_variant"].to_numpy(dtype=float)
            keep = ~(np.isnan(a) | np.isnan(b))
            a, b = a[keep], b[keep]
            low, high = bootstrap_ci(
                b - a,
                confidence=confidence,
                n_resamples=n_resamples,
                seed=bootstrap_seed(seed, name, metric),
            )
            rows.append(
                {
                    "variant": name,
                    "reference": names[0],
                    "metric": metric,
                    "mean_first": _mean(a),
                    "mean_variant": _mean(b),
                    "mean_diff": _mean(b - a),
                    "ci_low": low,
                    "ci_high": high,
                    "n": len(a),
                }
            )
    return pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else math.nan


def excludes_zero(low: float, high: float) -> bool:
    """Whether an interval lies strictly on one side of zero (NaN ends never do)."""
    return bool((low > 0.0 and high > 0.0) or (low < 0.0 and high < 0.0))
