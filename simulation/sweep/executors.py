"""Where a sweep's chunks run: in this process, a local process pool, or Dask distributed.

All three are :class:`concurrent.futures.Executor` objects, so the engine has one code path:

* ``workers=1`` without a scheduler: :class:`InlineExecutor`, in this process;
* ``workers=N``: a :class:`~concurrent.futures.ProcessPoolExecutor` with an explicit start method.
  Importing Mesa sets the process-wide default to ``spawn`` (every worker would re-import
  everything, about a second each); ``fork`` (the default on Linux: workers start with everything
  imported) or ``forkserver`` (elsewhere; the sweep modules are preloaded in the server) avoids
  it. With ``forkserver`` and ``spawn``, ``max_tasks_per_child`` recycles workers to bound memory;
  Python refuses it with ``fork``, where the runner's release of each finished model (Mesa #3179)
  keeps memory flat (``benchmarks/README.md``);
* ``scheduler="local:N"`` starts a Dask ``LocalCluster`` of N single-threaded worker processes,
  ``scheduler="tcp://host:port"`` joins a running Dask scheduler; both through
  ``Client.get_executor()``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from simulation.errors import ScenarioError

START_METHODS = ("forkserver", "fork", "spawn")
MAX_TASKS_PER_CHILD = 200
"""Chunks a pooled worker runs before it is replaced (each chunk lasts about a second)."""


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class InlineExecutor(Executor):
    """Runs each task when submitted, in this process (one worker, no pickling)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn`` now; return a finished future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def default_start_method() -> str:
    """``fork`` on Linux, else ``forkserver`` where it exists, else ``spawn``."""
    available = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in available:
        return "fork"
    return "forkserver" if "forkserver" in available else "spawn"


def process_pool(workers: int, start_method: str | None = None) -> ProcessPoolExecutor:
    """A process pool with an explicit start method (:func:`default_start_method`)."""
    from simulation.sweep.worker import init_worker

    available = multiprocessing.get_all_start_methods()
    method = start_method or default_start_method()
    if method not in available:
        raise ScenarioError(
            f"start method {method!r} is not available here",
            field="start_method",
            hint=f"use one of {', '.join(available)}",
        )
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["simulation.sweep.worker", "simulation.model"])
    limit = None if method == "fork" else MAX_TASKS_PER_CHILD
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=init_worker, max_tasks_per_child=limit
    )


@contextlib.contextmanager
def open_executor(
    workers: int | None = None, scheduler: str | None = None, start_method: str | None = None
) -> Iterator[tuple[Executor, int]]:
    """Yield an executor and its number of workers; shut it (and any cluster it started) down."""
    if scheduler:
        with _dask(scheduler) as pair:
            yield pair
        return
    n = workers or default_workers()
    if n < 1:
        raise ScenarioError("must be at least 1", field="--workers")
    if n == 1:
        yield InlineExecutor(), 1
        return
    pool = process_pool(n, start_method)
    try:
        yield pool, n
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _dask(scheduler: str) -> Iterator[tuple[Executor, int]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError(
            "Dask distributed is not installed",
            field="--scheduler",
            hint="pip install -e '.[sweep]'",
        ) from None
    cluster = None
    try:
        if scheduler.startswith("local:"):
            n = scheduler.removeprefix("local:")
            if not n.isdigit() or not 1 <= int(n) <= 1024:
                raise ScenarioError(
                    f"bad worker count in {scheduler!r}", field="--scheduler", hint="e.g. local:4"
                )
            cluster = LocalCluster(
                n_workers=int(n),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
        elif scheduler.startswith("tcp://"):
            try:
                client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise ScenarioError(
                    f"cannot reach the Dask scheduler at {scheduler} ({exc})",
                    field="--scheduler",
                    hint="start one with `dask scheduler`, or use local:N",
                ) from None
        else:
            raise ScenarioError(
                f"unknown scheduler address {scheduler!r}",
                field="--scheduler",
                hint="use tcp://HOST:PORT to join a cluster or local:N to start one",
            )
        try:
            n_workers = max(
                1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
            )
            yield client.get_executor(pure=False), n_workers
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
