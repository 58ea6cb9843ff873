"""Write run results to a directory, atomically: an interrupted run never leaves a half file.

Layout of ``--out DIR``::

    summary.json              the run summary with provenance
    timeseries.parquet/.csv   one row per replication and step
    events.parquet/.csv       one row per event (exercise, proposal, crisis, accession, ...)
    nations.parquet/.csv      final per-nation state, one row per replication and nation
    pairs.parquet/.csv        final trust and interoperability per ordered pair of nations
    scenario.resolved.yaml    the scenario as run: variant and overrides applied, defaults filled
    figures/                  figures drawn by the command (``extra``), if any
    manifest.json             written last: every file above with its SHA-256 and size

The directory is all-or-nothing (:mod:`simulation.resultdir`): the files are staged in a hidden
sibling, listed in ``manifest.json`` and swapped in whole, under a lock, so an interrupted or
concurrent run leaves the previous results or the new ones, never a mix. A comparison
(:func:`write_comparison`) writes the same tables over every variant's runs, plus ``summaries``,
``differences``, ``comparison.json`` and one ``scenario.<variant>.resolved.yaml`` per variant.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulation.resultdir import publish
from simulation.runner import TABLES, RunResult
from simulation.scenario import to_yaml

if TYPE_CHECKING:
    from simulation.experiment import ComparisonResult


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: Path, text: str) -> None:
    """Write text atomically (UTF-8)."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    _pause()


def write_table(df: pd.DataFrame, directory: Path, stem: str) -> list[Path]:
    """Write a table as Parquet and CSV, both from the one frame ``df``; return the paths."""
    paths = [directory / f"{stem}.parquet", directory / f"{stem}.csv"]
    atomic_write(paths[0], lambda tmp: df.to_parquet(tmp, index=False))
    _pause()
    atomic_write(paths[1], lambda tmp: df.to_csv(tmp, index=False))
    _pause()
    return paths


PAUSE_ENV = "ALLIANCE_SIM_WRITE_PAUSE"
"""Test hook: seconds (0 to 2) to sleep after each file is written, so that tests can interrupt
a real run in the middle of its writing. Unset in normal use."""


def _pause() -> None:
    text = os.environ.get(PAUSE_ENV)
    if text:
        import time

        with contextlib.suppress(ValueError):
            time.sleep(min(max(float(text), 0.0), 2.0))


def summary_json(summary: dict[str, Any]) -> str:
    """The summary as strict JSON (NaN is written as null)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def write_run(
    result: RunResult, out: Path, *, extra: Callable[[Path], list[Path]] | None = None
) -> list[Path]:
    """Write summary, tables and the resolved scenario into ``out``, all-or-nothing.

    ``extra(stage)`` may write more files (figures) into the staging directory before the
    manifest is written. Returns the final paths of every file written, manifest last.
    """
    summary = summary_json(result.summary)  # fails on a non-finite value before any write

    def write(stage: Path) -> list[Path]:
        written: list[Path] = []
        for name in TABLES:
            written += write_table(getattr(result, name), stage, name)
        write_text(stage / "scenario.resolved.yaml", to_yaml(result.scenario))
        write_text(stage / "summary.json", summary)
        written += [stage / "scenario.resolved.yaml", stage / "summary.json"]
        return written + (extra(stage) if extra else [])

    return publish(Path(out), write)


def comparison_json(result: ComparisonResult) -> dict[str, Any]:
    """What ``comparison.json`` holds: design, per-variant means, differences, provenance."""
    means = result.summaries.groupby("variant", sort=False)[result.metrics].mean()
    first = next(iter(result.scenarios.values()))
    return _finite(
        {
            "scenario": first.name,
            "variants": list(result.variants),
            "reference": result.reference,
            "replications": len(result.seeds),
            "steps": result.steps,
            "seed": result.provenance["seed"],
            "replication_seeds": list(result.seeds),
            "confidence": result.confidence,
            "means": {v: means.loc[v].to_dict() for v in result.variants},
            "differences": result.differences.to_dict(orient="records"),
            "warnings": list(result.warnings),
            "provenance": result.provenance,
        }
    )


def _finite(value: Any) -> Any:
    """Replace NaN and numpy scalars by JSON-friendly values, recursively."""
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


def write_comparison(
    result: ComparisonResult, out: Path, *, extra: Callable[[Path], list[Path]] | None = None
) -> list[Path]:
    """Write every table (Parquet and CSV), the resolved variants and ``comparison.json``.

    All-or-nothing, as :func:`simulation.results.write_run`: ``extra(stage)`` may add files
    (figures) before the manifest; returns the final paths, manifest last.
    """
    meta = summary_json(comparison_json(result))

    def write(stage: Path) -> list[Path]:
        written: list[Path] = []
        for name in (*TABLES, "summaries", "differences"):
            written += write_table(getattr(result, name), stage, name)
        for name, scenario in result.scenarios.items():
            path = stage / f"scenario.{name}.resolved.yaml"
            write_text(path, to_yaml(scenario))
            written.append(path)
        write_text(stage / "comparison.json", meta)
        written.append(stage / "comparison.json")
        return written + (extra(stage) if extra else [])

    return publish(Path(out), write)
