"""Run a sweep: plan the runs, skip those already stored, run the rest in chunks, store as they end.

Chunks are sized from the measured cost of a run so that each lasts about ``CHUNK_SECONDS``
(small enough that a kill loses little, large enough that per-task overhead is negligible); at
most two chunks per worker are in flight. Each finished chunk is committed to the store at once.
Ctrl-C cancels what has not started, commits the chunks that finish within ``DRAIN_SECONDS``, marks
the store ``interrupted`` and raises :class:`SweepInterrupted`; ``resume=True`` then runs only the
missing run keys.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulation.errors import ScenarioError
from simulation.sweep.designs import Run, build_design, plan_runs
from simulation.sweep.executors import open_executor
from simulation.sweep.manifest import check_resume, new_manifest
from simulation.sweep.spec import SweepSpec, load_sweep
from simulation.sweep.store import SweepStore, is_store, target_columns
from simulation.sweep.worker import run_chunk

CHUNK_SECONDS = 1.0
DRAIN_SECONDS = 30.0


@dataclass
class SweepOutcome:
    """What a sweep did: runs planned, completed and failed now, skipped (already stored)."""

    planned: int
    completed: int
    failed: int
    skipped: int
    out: Path

    def counts(self) -> dict[str, int]:
        """The counts that ``alliance-sim sweep --json`` prints."""
        return {k: getattr(self, k) for k in ("planned", "completed", "failed", "skipped")}


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the sweep; what finished is stored. Carries the outcome so far."""

    def __init__(self, outcome: SweepOutcome):
        super().__init__("sweep interrupted")
        self.outcome = outcome


def default_out(spec: SweepSpec) -> Path:
    """``results/sweeps/<sweep file name>``."""
    return Path("results") / "sweeps" / Path(spec.file).stem


def job_of(spec: SweepSpec) -> dict[str, Any]:
    """What a worker needs to prepare every run of the sweep (small, sent with each chunk)."""
    return {
        "evaluator": spec.evaluator,
        "scenario": spec.scenario,
        "scenario_sha256": spec.scenario_sha256,
        "variant": spec.variant,
        "steps": spec.steps,
        "timeseries": spec.timeseries,
        "nations": spec.nations,
    }


def open_store(spec: SweepSpec, out: Path, runs: list[Run], resume: bool, force: bool):
    """Create the store, or reopen it for a resume (checked unless ``force``)."""
    design = build_design(spec)
    if is_store(out) and resume:
        store = SweepStore(out)
        manifest = store.manifest()
        if not force:
            check_resume(manifest, spec, out)
        store.drop_orphans()
        manifest["state"] = "running"
        manifest.setdefault("resumed", []).append(
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        store.write_manifest(manifest)
        return store, manifest
    if is_store(out) and not force:
        raise ScenarioError(
            f"{out} already holds a sweep",
            field="--out",
            hint="add --resume to continue it, --force to start it over, or give another --out",
        )
    manifest = new_manifest(spec, planned=len(runs), points=len(design))
    return SweepStore.create(out, manifest, design), manifest


def run_sweep(
    spec: SweepSpec | str | Path,
    out: str | Path | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    force: bool = False,
    start_method: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> SweepOutcome:
    """Run a sweep file (or a loaded :class:`SweepSpec`) into the store at ``out``.

    Args:
        spec: a sweep file path or a loaded spec.
        out: the store directory (default: ``results/sweeps/<sweep file name>``).
        workers: local worker processes (default: the cores available); 1 runs in this process.
        scheduler: a Dask scheduler (``tcp://host:port``) or ``local:N`` for a local cluster.
        resume: run only the runs missing from an existing store at ``out``.
        force: resume despite a changed sweep file or code, or start over an existing store.
        start_method: ``fork`` (default on Linux), ``forkserver`` or ``spawn`` (local pool).
        progress: called with (runs finished, of which failed) after each committed chunk.
        on_start: called once with (planned, skipped) before any run starts.
    """
    if not isinstance(spec, SweepSpec):
        spec = load_sweep(spec)
    out = Path(out) if out is not None else default_out(spec)
    runs = plan_runs(spec, build_design(spec))
    store, manifest = open_store(spec, out, runs, resume, force)
    done = store.done_keys()
    todo = deque(r for r in runs if r.key not in done)
    outcome = SweepOutcome(len(runs), 0, 0, len(runs) - len(todo), out)
    if on_start is not None:
        on_start(outcome.planned, outcome.skipped)
    job = job_of(spec)

    def commit(result: dict[str, Any]) -> None:
        rows = result["rows"]
        target_columns(rows, spec.targets)
        store.commit(rows, result["tables"])
        failed = sum(r["status"] != "ok" for r in rows)
        outcome.completed += len(rows) - failed
        outcome.failed += failed
        if progress is not None:
            progress(len(rows), failed)

    state = "stopped"  # by an error, unless the loop completes or Ctrl-C stops it
    try:
        with open_executor(workers, scheduler, start_method) as (executor, n):
            in_flight: dict[Future, list[Run]] = {}
            per_run: float | None = None
            try:
                while todo or in_flight:
                    while todo and len(in_flight) < 2 * n:
                        size = _chunk_size(per_run, len(todo), n)
                        chunk = [todo.popleft() for _ in range(min(size, len(todo)))]
                        payload = [(r.key, r.replication, r.seed, r.values) for r in chunk]
                        in_flight[executor.submit(run_chunk, job, payload)] = chunk
                    finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                    for future in finished:
                        chunk = in_flight.pop(future)
                        result = _result(future, chunk)
                        seconds = result["seconds"] / max(1, len(chunk))
                        per_run = seconds if per_run is None else 0.7 * per_run + 0.3 * seconds
                        commit(result)
                state = "complete"
            except KeyboardInterrupt:
                state = "interrupted"
                _drain(in_flight, commit)
                raise
    except KeyboardInterrupt:
        state = "interrupted"
        raise SweepInterrupted(outcome) from None
    finally:
        if state == "complete":
            store.compact()
        manifest.update(state=state, finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        manifest["counts"] = {"done": len(store.done_keys()), "failed_now": outcome.failed}
        store.write_manifest(manifest)
    return outcome


def _chunk_size(per_run: float | None, remaining: int, workers: int) -> int:
    """Runs per chunk: about ``CHUNK_SECONDS`` of work, without starving any worker."""
    if per_run is None:
        return 1  # measure first
    size = max(1, math.ceil(CHUNK_SECONDS / max(per_run, 1e-6)))
    return max(1, min(size, math.ceil(remaining / workers)))


def _result(future: Future, chunk: list[Run]) -> dict[str, Any]:
    """A chunk's result; if the chunk itself failed, its runs are failed with the reason."""
    try:
        return future.result()
    except Exception as exc:
        from concurrent.futures import BrokenExecutor

        if isinstance(exc, BrokenExecutor):
            raise
        message = f"{type(exc).__name__}: {exc}"
        rows = [
            {
                "run_key": r.key,
                **r.values,
                "replication": r.replication,
                "seed": r.seed,
                "status": "failed",
                "error": message,
            }
            for r in chunk
        ]
        return {"rows": rows, "tables": {}, "seconds": 0.0}


def _drain(in_flight: dict[Future, list[Run]], commit: Callable[[dict], None]) -> None:
    """After Ctrl-C: cancel chunks not started; commit those that finish within the drain time."""
    for future in in_flight:
        future.cancel()
    deadline = time.monotonic() + DRAIN_SECONDS
    for future, _chunk in list(in_flight.items()):
        if future.cancelled():
            continue
        try:
            result = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except (FuturesTimeout, Exception):
            continue
        commit(result)
