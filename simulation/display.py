"""How results show themselves in Python: short reprs, notebook HTML, long frames, plots, bars.

:class:`~simulation.runner.RunResult` and :class:`~simulation.experiment.ComparisonResult` delegate
here. Plotting and saving figures need :mod:`analysis`, which sits above :mod:`simulation`: it
is imported through :mod:`importlib` only when ``.plot()`` or ``.save()`` is called, so
importing :mod:`simulation` still loads no plotting module.
"""

from __future__ import annotations

import html
import importlib
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

HEADLINE = ("cohesion", "deterrence", "mean_trust", "crises")
"""Summary keys a result's ``repr`` shows."""

ID_COLUMNS = ("variant", "replication", "seed", "step", "year")


def analysis(module: str) -> Any:
    """Import ``analysis.<module>`` on demand (the layer above; never at import time)."""
    return importlib.import_module(f"analysis.{module}")


def short(value: Any) -> str:
    """A number in four significant digits, ``n/a`` for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def long_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A wide run table in long format: the id columns present, then ``metric, value``.

    Non-numeric columns (other than the ids) are left out; rows keep their table order.
    """
    ids = [c for c in ID_COLUMNS if c in table.columns]
    values = [c for c in table.columns if c not in ids and pd.api.types.is_numeric_dtype(table[c])]
    out = table.melt(id_vars=ids, value_vars=values, var_name="metric", value_name="value")
    return out.astype({"value": float})


def html_table(title: str, rows: Sequence[tuple[str, str]], note: str = "") -> str:
    """A small two-column HTML table for notebooks (``_repr_html_``)."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    tail = f"<p><small>{html.escape(note)}</small></p>" if note else ""
    return f"<div><strong>{html.escape(title)}</strong><table>{body}</table>{tail}</div>"


@contextmanager
def progress_bar(
    progress: bool | Callable[[int], None] | None, total: int, label: str
) -> Iterator[Callable[[int], None] | None]:
    """The per-step callback for ``progress``: a tqdm bar for ``True``, the callable as given."""
    if progress is None or progress is False:
        yield None
        return
    if callable(progress):
        yield progress
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=label, unit="step")
    try:
        yield lambda _done: bar.update(1)
    finally:
        bar.close()


def comparison_html(result: Any) -> str:
    """Notebook HTML of a comparison: design, then each variant's cohesion and deterrence."""
    rows = [("variants", ", ".join(result.variants)), ("paired seeds", str(len(result.seeds)))]
    diffs = result.differences
    for metric in ("cohesion", "deterrence"):
        for row in diffs[diffs["metric"] == metric].itertuples():
            rows.append(
                (
                    f"{metric}: {row.variant} - {row.reference}",
                    f"{short(row.mean_diff)} [{short(row.ci_low)}, {short(row.ci_high)}]",
                )
            )
    level = f"{result.confidence * 100:g}%"
    return html_table(
        f"Comparison, {result.steps} steps",
        rows,
        f"paired differences with {level} bootstrap intervals; all metrics: .differences; "
        ".to_frame() for long format; .plot(); .save(dir)",
    )
