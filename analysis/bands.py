"""Summaries over replications: median and a percentile band per step (figure data)."""

from __future__ import annotations

import pandas as pd


def bands(
    df: pd.DataFrame,
    metric: str,
    *,
    by: str | None = None,
    low: float = 0.1,
    high: float = 0.9,
) -> pd.DataFrame:
    """Median and ``[low, high]`` quantiles of ``metric`` per step (and per ``by`` group).

    ``df`` is a timeseries table with ``step`` and ``replication`` columns (and ``by`` if given).
    Returns columns ``[by,] step, year, median, low, high, n`` with one row per step (and group).
    Groups keep the order in which they first appear in ``df`` (for a comparison, the order the
    variants were named, so the reference comes first); steps are sorted. Quantiles interpolate
    linearly between replications; ``n`` counts the non-missing values.
    """
    if metric not in df.columns:
        raise KeyError(f"metric {metric!r} not in table; columns: {', '.join(df.columns)}")
    if by is not None and by not in df.columns:
        raise KeyError(f"column {by!r} not in table; columns: {', '.join(df.columns)}")
    keys = [by, "step"] if by else ["step"]
    grouped = df.groupby(keys, sort=True)[metric]
    out = pd.DataFrame(
        {
            "median": grouped.median(),
            "low": grouped.quantile(low),
            "high": grouped.quantile(high),
            "n": grouped.count(),
        }
    )
    if "year" in df.columns:
        out.insert(0, "year", df.groupby(keys, sort=True)["year"].first())
    out = out.reset_index()
    if by:
        order = {name: i for i, name in enumerate(pd.unique(df[by]))}
        out = out.sort_values([by, "step"], key=lambda s: s.map(order) if s.name == by else s)
        out = out.reset_index(drop=True)
    return out
