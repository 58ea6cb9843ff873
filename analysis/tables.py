"""Result tables as text: aligned plain text for the terminal, Markdown for reports.

Numbers in a row share one number of decimals, chosen from the row's scale
(:func:`decimals_for`), so a column of means and differences lines up and reads at about four
significant digits whatever the metric's unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from simulation.compare import DEFAULT_CONFIDENCE, RUN_KEYS, excludes_zero


def format_differences(differences: pd.DataFrame, confidence: float = DEFAULT_CONFIDENCE) -> str:
    """The paired differences as aligned plain text, one block per variant.

    Each row gives both means, the mean difference and its interval; ``*`` marks an interval
    that excludes 0. Numbers in a row share a number of decimals chosen from the row's scale.
    """
    level = f"{confidence * 100:g}% CI"
    width = max([len("metric"), *(len(m) for m in differences["metric"])]) + 2
    lines: list[str] = []
    for name, block in differences.groupby("variant", sort=False):
        reference = str(block["reference"].iloc[0])
        a, b = max(len(reference), 9), max(len(str(name)), 9)
        lines.append(f"{name} - {reference}")
        lines.append(
            f"{'metric':<{width}}{reference:>{a}}  {name:>{b}}  {'difference':>11}  "
            f"{level:<24}{'n':>4}"
        )
        for row in block.itertuples(index=False):
            places = decimals_for(row.mean_first, row.mean_variant)
            first, second, diff, ci = format_row(row, places)
            mark = " *" if excludes_zero(row.ci_low, row.ci_high) else ""
            lines.append(
                f"{row.metric:<{width}}{first:>{a}}  {second:>{b}}  {diff:>11}  "
                f"{ci:<24}{row.n:>4}{mark}"
            )
        lines.append("")
    lines.append(f"* the {level} of the paired difference excludes 0")
    return "\n".join(lines)


def format_row(row: Any, places: int) -> tuple[str, str, str, str]:
    """Texts of one differences row: both means, the difference and the interval."""
    ci = (
        "n/a"
        if math.isnan(row.ci_low)
        else f"[{format_number(row.ci_low, places, True)}, "
        f"{format_number(row.ci_high, places, True)}]"
    )
    return (
        format_number(row.mean_first, places),
        format_number(row.mean_variant, places),
        format_number(row.mean_diff, places, True),
        ci,
    )


def decimals_for(*values: float) -> int:
    """Decimals that show about four significant digits of the largest value (1 to 4)."""
    scale = max((abs(v) for v in values if v is not None and not math.isnan(v)), default=0.0)
    if scale == 0.0:
        return 3
    return int(min(4, max(1, 3 - math.floor(math.log10(scale)))))


def format_number(value: float | None, places: int, signed: bool = False) -> str:
    """``value`` with ``places`` decimals (and a sign if ``signed``); ``n/a`` if missing."""
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:+.{places}f}" if signed else f"{value:.{places}f}"


# ------------------------------------------------------------------ Markdown
def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """Lines of a Markdown table; ``align`` has one ``l`` or ``r`` per column."""
    rule = {"l": ":---", "r": "---:"}
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(rule[a] for a in align) + "|"]
    return out + ["| " + " | ".join(row) + " |" for row in rows]


def differences_markdown(
    differences: pd.DataFrame, confidence: float = DEFAULT_CONFIDENCE
) -> list[str]:
    """One Markdown table of paired differences per variant, ``*`` where 0 is excluded."""
    level = f"{confidence * 100:g}% CI"
    lines: list[str] = []
    for name, block in differences.groupby("variant", sort=False):
        reference = str(block["reference"].iloc[0])
        lines += [f"### {name} - {reference}", ""]
        rows = []
        for row in block.itertuples(index=False):
            first, second, diff, ci = format_row(
                row, decimals_for(row.mean_first, row.mean_variant)
            )
            mark = "*" if excludes_zero(row.ci_low, row.ci_high) else ""
            rows.append([f"`{row.metric}`", first, second, diff, ci, str(row.n), mark])
        header = ["metric", reference, str(name), "difference", level, "n", ""]
        lines += [*markdown_table(header, rows, "lrrrlrl"), ""]
    lines += [
        f"`*`: the {level} excludes 0. Means are over the seeds where both runs have a value "
        "(`n`); the interval is a percentile bootstrap of the mean paired difference.",
        "",
    ]
    return lines


def summary_markdown(summaries: pd.DataFrame, variants: Sequence[str]) -> list[str]:
    """Per-variant summary: each metric's mean over runs and its 10th-90th percentile range.

    ``summaries`` has one row per run (a ``variant`` column if it holds several variants).
    """
    metrics = [c for c in summaries.columns if c not in RUN_KEYS]
    if "variant" in summaries.columns:
        groups = [(str(v), summaries[summaries["variant"] == v]) for v in variants]
    else:
        groups = [(str(variants[0]), summaries)]
    spread = len(summaries) > len(groups)
    rows = []
    for metric in metrics:
        values = [g[metric].to_numpy(dtype=float) for _, g in groups]
        places = decimals_for(*(_mean(v) for v in values))
        rows.append([f"`{metric}`", *(_cell(v, places, spread) for v in values)])
    what = "mean over replications (10th-90th percentile)" if spread else "value"
    lines = [f"Final-step values and run totals; each cell is the {what}.", ""]
    header = ["metric", *(name for name, _ in groups)]
    return [*lines, *markdown_table(header, rows, "l" + "r" * len(groups)), ""]


def _mean(values: np.ndarray) -> float:
    return float(np.nanmean(values)) if (~np.isnan(values)).any() else math.nan


def _cell(values: np.ndarray, places: int, spread: bool) -> str:
    mean = _mean(values)
    if math.isnan(mean):
        return "n/a"
    if not spread:
        return format_number(mean, places)
    low, high = np.nanquantile(values, [0.1, 0.9])
    return (
        f"{format_number(mean, places)} "
        f"({format_number(low, places)} to {format_number(high, places)})"
    )
