"""Result tables as text: aligned plain text for the terminal, Markdown for reports.

Numbers in a row of paired differences share one number of decimals chosen from the width of
its interval (:func:`places_for`: two significant digits of the width), so a tiny effect with a
tiny interval is shown as ``+0.00015 [+0.00010, +0.00020]``, never as ``+0.000 *``; a row
without an interval falls back to about four significant digits of its means
(:func:`decimals_for`). An interval that excludes 0 is starred only with at least
:data:`~simulation.statistics.MIN_REPLICATIONS` pairs; with fewer it is flagged ``(*)`` and a
warning says why. A note says when variants end with different members.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from simulation.experiment import DEFAULT_CONFIDENCE, RUN_KEYS, excludes_zero
from simulation.statistics import MIN_REPLICATIONS


def format_differences(differences: pd.DataFrame, confidence: float = DEFAULT_CONFIDENCE) -> str:
    """The paired differences as aligned plain text, one block per variant.

    Each row gives both means, the mean difference and its interval; ``*`` marks an interval
    that excludes 0 (``(*)`` with too few pairs, see :func:`significance_mark`). Numbers in a
    row share the decimals of :func:`places_for`. Warnings and notes follow the table.
    """
    level = f"{confidence * 100:g}% CI"
    width = max([len("metric"), *(len(m) for m in differences["metric"])]) + 2
    lines: list[str] = []
    for name, block in differences.groupby("variant", sort=False):
        reference = str(block["reference"].iloc[0])
        a, b = max(len(reference), 9), max(len(str(name)), 9)
        rows = [(row, *format_row(row, places_for(row))) for row in block.itertuples(index=False)]
        d = max([11, *(len(r[3]) for r in rows)])
        c = max([24, *(len(r[4]) + 2 for r in rows)])
        lines.append(f"{name} - {reference}")
        lines.append(
            f"{'metric':<{width}}{reference:>{a}}  {name:>{b}}  {'difference':>{d}}  "
            f"{level:<{c}}{'n':>4}"
        )
        for row, first, second, diff, ci in rows:
            mark = significance_mark(row)
            lines.append(
                f"{row.metric:<{width}}{first:>{a}}  {second:>{b}}  {diff:>{d}}  "
                f"{ci:<{c}}{row.n:>4}{' ' + mark if mark else ''}"
            )
        lines.append("")
    lines += [line.replace("`", "") for line in table_notes(differences, level)]
    return "\n".join(lines)


def significance_mark(row: Any) -> str:
    """``*`` if the interval excludes 0 with enough pairs, ``(*)`` with too few, else ``""``."""
    if not excludes_zero(row.ci_low, row.ci_high):
        return ""
    return "*" if row.n >= MIN_REPLICATIONS else "(*)"


def table_notes(differences: pd.DataFrame, level: str) -> list[str]:
    """The key to the marks, the few-replications warning and the different-members note."""
    notes = [f"* the {level} of the paired difference excludes 0"]
    n = differences["n"].min() if len(differences) else 0
    if len(differences) and n < MIN_REPLICATIONS:
        notes.append(
            f"warning: only {n} paired replications (fewer than {MIN_REPLICATIONS}): a "
            "percentile bootstrap under-covers with so few, so intervals excluding 0 are "
            "flagged (*) rather than starred; run more replications (--replications)"
        )
    note = members_note(differences)
    if note:
        notes.append(note)
    return notes


def members_note(differences: pd.DataFrame) -> str | None:
    """A note when a variant ends with a different number of members than the reference."""
    rows = differences[differences["metric"] == "members"]
    changed = [
        f"{r.variant} {format_number(r.mean_variant, 1)} vs {r.reference} "
        f"{format_number(r.mean_first, 1)}"
        for r in rows.itertuples(index=False)
        if not math.isnan(r.mean_diff) and abs(r.mean_diff) > 1e-9
    ]
    if not changed:
        return None
    return (
        "note: variants end with different members (mean final members: "
        + "; ".join(changed)
        + "): averages over members (cohesion, trust, defence share, ...) then describe "
        "different alliances"
    )


def places_for(row: Any) -> int:
    """Decimals for a differences row: two significant digits of its interval's width.

    With no interval (NaN) or a zero-width one, about four significant digits of the means
    (:func:`decimals_for`). Between 0 and 8.
    """
    low, high = row.ci_low, row.ci_high
    width = high - low if not (math.isnan(low) or math.isnan(high)) else math.nan
    if math.isnan(width) or width <= 0.0:
        return decimals_for(row.mean_first, row.mean_variant, row.mean_diff)
    return int(min(8, max(0, 1 - math.floor(math.log10(width)))))


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
    """One Markdown table of paired differences per variant, marked as in the plain text."""
    level = f"{confidence * 100:g}% CI"
    lines: list[str] = []
    for name, block in differences.groupby("variant", sort=False):
        reference = str(block["reference"].iloc[0])
        lines += [f"### {name} - {reference}", ""]
        rows = []
        for row in block.itertuples(index=False):
            first, second, diff, ci = format_row(row, places_for(row))
            mark = significance_mark(row).replace("*", "\\*")
            rows.append([f"`{row.metric}`", first, second, diff, ci, str(row.n), mark])
        header = ["metric", reference, str(name), "difference", level, "n", ""]
        lines += [*markdown_table(header, rows, "lrrrlrl"), ""]
    notes = table_notes(differences, level)
    lines += [
        f"`*`: the {level} excludes 0. Means are over the seeds where both runs have a value "
        "(`n`); the interval is a percentile bootstrap of the mean paired difference, one "
        "resample of the seeds shared by every metric.",
        "",
    ]
    for note in notes[1:]:
        lines += ["> " + note.replace("(*)", "(\\*)"), ""]
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
