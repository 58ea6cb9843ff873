"""The worker side of a sweep: run a chunk of runs and send back only what the sweep keeps.

A worker process prepares its evaluator once (loads and validates the scenario) and keeps it for
every later chunk of the same sweep, so a run costs the model and nothing else. A chunk returns one
summary row per run (a run that raises is a row with ``status = failed`` and the error message)
and, when the sweep keeps them, the per-step and per-nation tables tagged with ``run_key``.
Everything here is a plain top-level function, so it pickles to a process pool or a Dask worker.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import pandas as pd

_CONTEXTS: dict[str, Any] = {}
"""Prepared evaluator contexts of this process, by job hash (one sweep at a time, usually)."""


def job_hash(job: dict[str, Any]) -> str:
    """Key of a job description (evaluator, scenario and its hash, variant, steps, outputs)."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()


def context(job: dict[str, Any]) -> Any:
    """The evaluator's context for ``job``, prepared on first use in this process."""
    from simulation.sweep.evaluators import EVALUATORS

    key = job_hash(job)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        _CONTEXTS.clear()
        ctx = _CONTEXTS[key] = EVALUATORS[job["evaluator"]].prepare(job)
    return ctx


def run_chunk(job: dict[str, Any], runs: list[tuple[str, int, int, dict[str, Any]]]) -> dict:
    """Run ``runs`` (key, replication, seed, values); return rows, tables and the time taken."""
    from simulation.sweep.evaluators import EVALUATORS

    start = time.perf_counter()
    evaluator = EVALUATORS[job["evaluator"]]
    rows: list[dict[str, Any]] = []
    tables: dict[str, list[pd.DataFrame]] = {}
    try:
        ctx = context(job)
        error = None
    except Exception as exc:  # every run of the chunk fails with the same message
        ctx, error = None, f"{type(exc).__name__}: {exc}"
    for key, replication, seed, values in runs:
        row: dict[str, Any] = {"run_key": key, **values, "replication": replication, "seed": seed}
        if error is not None:
            rows.append({**row, "status": "failed", "error": error})
            continue
        try:
            summary, extra = evaluator.evaluate(ctx, values, seed)
        except Exception as exc:
            rows.append({**row, "status": "failed", "error": f"{type(exc).__name__}: {exc}"})
            continue
        rows.append({**row, "status": "ok", "error": None, **summary})
        for name, table in extra.items():
            table = table.copy()
            table.insert(0, "run_key", key)
            tables.setdefault(name, []).append(table)
    return {
        "rows": rows,
        "tables": {name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()},
        "seconds": time.perf_counter() - start,
    }


def init_worker() -> None:
    """Process-pool initializer: leave Ctrl-C to the parent, which stops the sweep cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
