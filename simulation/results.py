"""Write run results to a directory, atomically: an interrupted run never leaves a half file.

Layout of ``--out DIR``::

    summary.json              the run summary with provenance
    timeseries.parquet/.csv   one row per replication and step
    events.parquet/.csv       one row per event (exercise, proposal, crisis, accession, ...)
    nations.parquet/.csv      final per-nation state, one row per replication and nation
    pairs.parquet/.csv        final trust and interoperability per ordered pair of nations
    scenario.resolved.yaml    the scenario as run: variant and overrides applied, defaults filled
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.runner import TABLES, RunResult
from simulation.scenario import to_yaml


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


def write_table(df: pd.DataFrame, directory: Path, stem: str) -> list[Path]:
    """Write a table as Parquet and CSV; return the paths."""
    paths = [directory / f"{stem}.parquet", directory / f"{stem}.csv"]
    atomic_write(paths[0], lambda tmp: df.to_parquet(tmp, index=False))
    atomic_write(paths[1], lambda tmp: df.to_csv(tmp, index=False))
    return paths


def summary_json(summary: dict[str, Any]) -> str:
    """The summary as strict JSON (NaN is written as null)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def write_run(result: RunResult, out: Path) -> list[Path]:
    """Write summary, tables and the resolved scenario into ``out``; return what was written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TABLES:
        written += write_table(getattr(result, name), out, name)
    write_text(out / "scenario.resolved.yaml", to_yaml(result.scenario))
    write_text(out / "summary.json", summary_json(result.summary))
    written += [out / "scenario.resolved.yaml", out / "summary.json"]
    return written
