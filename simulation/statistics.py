"""Statistics of paired comparisons: percentile bootstrap intervals of mean paired differences.

Runs of two variants on the same replication seed form a matched pair (common random numbers).
:func:`paired_differences` takes each variant's difference from the first, per seed, and gives
its mean with a percentile bootstrap interval (:func:`bootstrap_ci`; Efron and Tibshirani 1993).
The bootstrap resamples seeds (the pairs), never runs within a variant, so the interval reflects
the paired design. One resample of the pairs (:func:`resample_index`) is drawn per variant and
shared by every metric, so two metrics with the same paired differences get the same interval
and intervals of different metrics come from the same resampled replications. Its random
numbers come from the root seed and a key named by the variant (:func:`bootstrap_seed`): a table
is reproducible, and adding a metric or variant leaves the other rows unchanged.

Fewer than :data:`MIN_REPLICATIONS` pairs are too few for a percentile bootstrap to keep its
nominal coverage (Efron and Tibshirani 1993, 13.7 and 14.3: it under-covers in small samples),
so tables flag such intervals instead of marking them significant.
Pure functions of their inputs; nothing here runs the model.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

DEFAULT_RESAMPLES = 2000
DEFAULT_CONFIDENCE = 0.95
MIN_REPLICATIONS = 10
"""Pairs below which an interval that excludes 0 is flagged, not starred, in tables."""
SHARED = "pairs"
"""The metric key of the one resample shared by every metric of a variant."""
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


def bootstrap_seed(root: int, variant: str, metric: str = SHARED) -> np.random.SeedSequence:
    """The bootstrap's seed: the root seed and a key named by variant (and ``metric``).

    :func:`paired_differences` uses one seed per variant (``metric`` = :data:`SHARED`).
    """
    key = tuple(zlib.crc32(text.encode("utf-8")) for text in ("bootstrap", variant, metric))
    return np.random.SeedSequence(int(root), spawn_key=key)


def resample_index(
    n: int, n_resamples: int, seed: int | np.random.SeedSequence | None
) -> np.ndarray:
    """Row indices of ``n_resamples`` bootstrap resamples of ``n`` pairs, shape ``(R, n)``."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(int(n_resamples), n))


def shared_bootstrap_ci(
    diffs: np.ndarray, index: np.ndarray, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Percentile interval of the mean of ``diffs`` over the given resamples ``index``.

    ``diffs`` holds one value per pair (NaN where a run lacks the metric); each resample's mean
    is over its non-missing values, so every metric uses the same resampled pairs. Fewer than
    two values: both ends NaN. A resample that drew only missing values is left out.
    """
    values = np.asarray(diffs, dtype=float)
    if (~np.isnan(values)).sum() < 2 or index.size == 0:
        return math.nan, math.nan
    drawn = values[index]
    counts = (~np.isnan(drawn)).sum(axis=1)
    sums = np.nansum(drawn, axis=1)
    means = sums[counts > 0] / counts[counts > 0]
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return float(low), float(high)


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
    metric (as :func:`simulation.experiment.summary_frame` builds). A pair counts for a metric when
    both runs have a value; ``n`` is the number of such pairs, and ``mean_first`` and
    ``mean_variant`` are means over those pairs, so ``mean_diff == mean_variant - mean_first``.
    The interval resamples the pairs once per variant, the same resample for every metric
    (:func:`shared_bootstrap_ci`).
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
        ).sort_index()
        index = resample_index(len(joined), n_resamples, bootstrap_seed(seed, name, SHARED))
        for metric in metrics:
            a = joined[f"{metric}_first"].to_numpy(dtype=float)
            b = joined[f"{metric}_variant"].to_numpy(dtype=float)
            low, high = shared_bootstrap_ci(b - a, index, confidence)
            keep = ~(np.isnan(a) | np.isnan(b))
            a, b = a[keep], b[keep]
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


def replication_summary(
    runs: Sequence[dict], confidence: float = DEFAULT_CONFIDENCE
) -> pd.DataFrame:
    """Per numeric summary key over replications: ``metric, mean, sd, ci_low, ci_high, n``.

    ``sd`` is the sample standard deviation (``ddof=1``) and the interval Student's t interval
    of the mean, ``mean +- t(n-1, (1+confidence)/2) * sd / sqrt(n)``; with fewer than two runs
    both are NaN. Missing values (None) are left out per key.
    """
    from scipy import stats

    keys = [
        k
        for k, v in (runs[0].items() if runs else [])
        if isinstance(v, int | float | type(None)) and not isinstance(v, bool)
    ]
    rows = []
    for key in keys:
        values = np.array([r[key] for r in runs if r.get(key) is not None], dtype=float)
        n = len(values)
        mean = float(values.mean()) if n else math.nan
        sd = float(values.std(ddof=1)) if n > 1 else math.nan
        half = (
            float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)
            if n > 1
            else math.nan
        )
        rows.append(
            {
                "metric": key,
                "mean": mean,
                "sd": sd,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "n": n,
            }
        )
    return pd.DataFrame(rows, columns=["metric", "mean", "sd", "ci_low", "ci_high", "n"])
