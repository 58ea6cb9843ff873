"""Sweep throughput and memory: 1 and 2 workers, start methods, Dask, against mesa.batch_run.

A script, not a test: Markdown on stdout, progress on stderr.

    .venv/bin/python benchmarks/bench_sweep.py               # a few minutes on 2 cores
    .venv/bin/python benchmarks/bench_sweep.py --runs 24 --memory-runs 400   # quicker

Measured, on one design (the teaching scenario, exercise tempo x decision rule, ``--runs`` runs of
``--steps`` steps), each wall time including pool or cluster start-up and the store's writes:

(a) runs per second of ``run_sweep`` in this process (1 worker), with 2 local workers under each
    start method (fork, forkserver, spawn) and through a Dask LocalCluster of 2 workers; and of
    ``mesa.batch_run`` on the same design with 1 and 2 processes (``max_steps = steps - 1``:
    Mesa 3.3's batch_run runs one step more than it is given). Order is interleaved over
    ``--repeats`` repeats; medians are quoted.
(b) memory: the resident set size of one process running ``--memory-runs`` runs in process
    (the worst case: no worker recycling), read after 10% of the runs and at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulation.model import AllianceModel  # noqa: E402
from simulation.scenario import resolve  # noqa: E402

TEACHING = ROOT / "scenarios" / "teaching.yaml"
TEMPOS = [4.0, 8.0, 12.0, 16.0, 20.0, 24.0]
RULES = ["unanimity", "qualified_majority"]


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def sweep_file(folder: Path, runs: int, steps: int) -> Path:
    """A grid of 6 tempos x 2 rules with enough replications for ``runs`` runs."""
    reps = max(1, runs // (len(TEMPOS) * len(RULES)))
    path = folder / "bench.yaml"
    path.write_text(
        f"""name: bench
scenario: {TEACHING}
design: grid
replications: {reps}
steps: {steps}
seed: 1
parameters:
  exercises.tempo_per_year: {TEMPOS}
  consensus.rule: [{", ".join(RULES)}]
"""
    )
    return path


def rss_mb() -> float:
    """Current resident set size of this process (MB), from /proc."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


_BASE = {}


def _base():
    if "s" not in _BASE:
        from simulation.scenario import load_scenario

        _BASE["s"] = load_scenario(TEACHING)
    return _BASE["s"]


class BatchModel(AllianceModel):
    """The model as mesa.batch_run builds it: keyword parameters, resolved per run."""

    def __init__(self, tempo=12.0, rule="unanimity", seed=None, rng=None):
        scenario = resolve(
            _base(), None, [f"exercises.tempo_per_year={tempo}", f"consensus.rule={rule}"]
        )
        super().__init__(scenario, seed=seed if seed is not None else rng)


def run_batch(runs: int, steps: int, processes: int) -> float:
    import mesa

    reps = max(1, runs // (len(TEMPOS) * len(RULES)))
    start = time.perf_counter()
    mesa.batch_run(
        BatchModel,
        parameters={"tempo": TEMPOS, "rule": RULES, "seed": 1},
        iterations=reps,
        max_steps=steps - 1,
        number_processes=processes,
        data_collection_period=-1,
        display_progress=False,
    )
    return time.perf_counter() - start


def run_ours(path: Path, folder: Path, **kwargs) -> float:
    from simulation.sweep import run_sweep

    start = time.perf_counter()
    run_sweep(path, folder / f"store-{time.perf_counter_ns()}", **kwargs)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=48)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--memory-runs", type=int, default=2000)
    ap.add_argument("--memory-steps", type=int, default=12)
    ap.add_argument("--only", choices=("throughput", "memory"), help="run one part only")
    args = ap.parse_args()
    import mesa
    import numpy as np

    load = os.getloadavg()
    print(
        f"Machine: {os.cpu_count()} cores, load average at start {load[0]:.1f}, {load[1]:.1f}, "
        f"{load[2]:.1f}; Python {platform.python_version()}, Mesa {mesa.__version__}, "
        f"numpy {np.__version__}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = sweep_file(folder, args.runs, args.steps)
        runs = max(1, args.runs // 12) * 12
        if args.only != "memory":
            throughput(path, folder, runs, args)
        if args.only != "throughput":
            memory(folder, args)


def throughput(path: Path, folder: Path, runs: int, args) -> None:
    """Part (a): runs per second of each way of running the same design."""
    cases = {
        "run_sweep, 1 worker (in process)": lambda: run_ours(path, folder, workers=1),
        "run_sweep, 2 workers, fork": lambda: run_ours(
            path, folder, workers=2, start_method="fork"
        ),
        "run_sweep, 2 workers, forkserver": lambda: run_ours(
            path, folder, workers=2, start_method="forkserver"
        ),
        "run_sweep, 2 workers, spawn": lambda: run_ours(
            path, folder, workers=2, start_method="spawn"
        ),
        "run_sweep, Dask LocalCluster of 2": lambda: run_ours(path, folder, scheduler="local:2"),
        "mesa.batch_run, 1 process": lambda: run_batch(runs, args.steps, 1),
        "mesa.batch_run, 2 processes": lambda: run_batch(runs, args.steps, 2),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    run_ours(path, folder, workers=1)  # warm-up: imports, caches
    for r in range(args.repeats):
        for name, case in cases.items():
            log(f"repeat {r + 1}/{args.repeats}: {name}")
            times[name].append(case())
    base = statistics.median(times["run_sweep, 1 worker (in process)"])
    batch1 = statistics.median(times["mesa.batch_run, 1 process"])
    print(
        f"### (a) Throughput: {runs} runs of {args.steps} steps (teaching), "
        f"{args.repeats} repeats\n"
    )
    print("| how | s (median) | min-max | runs/s | vs 1 worker | vs batch_run (1 process) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(
            f"| {name} | {med:.2f} | {min(ts):.2f}-{max(ts):.2f} | {runs / med:.2f} | "
            f"{base / med:.2f}x | {batch1 / med:.2f}x |"
        )
    print()


def memory(folder: Path, args) -> None:
    """Part (b): resident memory of one process after 10% of the runs and at the end."""
    mem_path = sweep_file(folder, args.memory_runs, args.memory_steps)
    mem_runs = max(1, args.memory_runs // 12) * 12
    marks: dict[str, float] = {}
    done = [0]

    def progress(n: int, _failed: int) -> None:
        done[0] += n
        if done[0] >= mem_runs // 10 and "first" not in marks:
            marks["first"] = rss_mb()
            marks["first_n"] = done[0]

    from simulation.sweep import run_sweep

    log(f"memory: {mem_runs} runs in process")
    run_sweep(mem_path, folder / "mem", workers=1, progress=progress)
    end = rss_mb()
    print(f"### (b) Memory of one process running {mem_runs} runs of {args.memory_steps} steps\n")
    print("| after runs | RSS (MB) |")
    print("|---:|---:|")
    print(f"| {marks['first_n']} | {marks['first']:.1f} |")
    print(f"| {mem_runs} | {end:.1f} |")
    print(f"\ngrowth: {100 * (end / marks['first'] - 1):+.1f}%")


if __name__ == "__main__":
    main()
