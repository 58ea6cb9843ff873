"""Performance of alliance-sim: runs per second and the cost of a step as nations are added.

A script, not a test: it prints Markdown tables to stdout (progress goes to stderr).

    .venv/bin/python benchmarks/bench_runs.py            # full run, about 5-10 minutes
    .venv/bin/python benchmarks/bench_runs.py --quick    # smoke run, well under a minute

Measured:

(a) runs per second of each shipped scenario (``scenarios/*.yaml``) through
    :func:`simulation.runner.run` (model construction, the steps, the tables, the summary and
    its provenance), ``--steps`` steps (120 by default), ``--repeats`` times each;
(b) the cost of one step as the number of nations N grows, on synthetic scenarios built in code
    (half members, a quarter partners in one programme, one adversary, the rest neutral; seeded
    random interests, GDP and exposure): ``--bench-steps`` steps (20) timed after construction,
    in ms per step and as a ratio to the smallest N, with the time per phase of
    ``AllianceModel.step``;
(c) where the time goes at one N (300 by default): cProfile, top entries by cumulative time.

The machine is shared and noisy: the things compared are interleaved (one repeat of every
scenario, or of every N, then the next repeat), a warm-up run precedes the timings, and the
tables quote medians (with the min-max range) and ratios of medians.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import glob
import io
import os
import platform
import pstats
import statistics
import string
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from simulation.errors import ScenarioError  # noqa: E402
from simulation.limits import MAX_NATIONS  # noqa: E402
from simulation.runner import run  # noqa: E402
from simulation.scenario import load_scenario, scenario_from_mapping  # noqa: E402

SIZES = (10, 30, 100, 300, MAX_NATIONS)  # the largest scenario a file may hold (500)
QUICK_SIZES = (10, 30, 100)


def log(*args: Any) -> None:
    """Progress to stderr, so stdout holds only the Markdown report."""
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- synthetic scenarios
def iso3_code(i: int) -> str:
    """The i-th three-capital code: AAA, AAB, ... (17,576 of them)."""
    letters = string.ascii_uppercase
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def synthetic_mapping(n: int, seed: int = 0) -> dict[str, Any]:
    """A scenario mapping with ``n`` nations (n >= 4).

    ``n // 2`` members, ``n // 4`` partners (every other one an aspirant) in one programme, one
    adversary and the rest neutral; interests, GDP, exposure and ideal points are seeded random.
    """
    if n < 4:
        raise ValueError("need at least 4 nations")
    rng = np.random.default_rng(seed)
    n_members, n_partners = n // 2, n // 4
    n_neutral = n - n_members - n_partners - 1
    roles = ["member"] * n_members + ["partner"] * n_partners + ["neutral"] * n_neutral
    roles.append("adversary")
    nations = []
    for i, role in enumerate(roles):
        nation: dict[str, Any] = {
            "iso3": iso3_code(i),
            "name": f"Nation {i}",
            "role": role,
            "gdp_busd": round(float(rng.lognormal(5.5, 1.2)), 3),
            "defence_share_pct": round(float(rng.uniform(1.0, 3.5)), 3),
            "interests": rng.uniform(0.0, 1.0, 3).round(3).tolist(),
            "exposure": round(float(rng.uniform(0.0, 1.0)), 3),
            "ideal_point": round(float(rng.normal(1.0, 0.8)), 3),
        }
        if role == "member":
            nation["accession_year"] = int(rng.choice([1949, 1982, 1999, 2004, 2009, 2020]))
        elif role == "partner":
            nation["aspirant"] = bool(i % 2 == 0)
        elif role == "adversary":
            nation.update(gdp_busd=2000.0, defence_share_pct=6.0, exposure=0.0, ideal_point=-0.8)
            nation["interests"] = [0.0, 0.5, 0.1]
        nations.append(nation)
    partners = [nat["iso3"] for nat in nations if nat["role"] == "partner"]
    data: dict[str, Any] = {
        "name": f"Synthetic alliance, {n} nations",
        "start_year": 2020,
        "steps": 120,
        "seed": seed,
        "issues": ["east", "south", "out_of_area"],
        "nations": nations,
    }
    if partners:
        data["programmes"] = [{"name": "Partnership programme", "partners": partners}]
    return data


def synthetic_scenario(n: int, seed: int = 0):
    """The validated scenario of :func:`synthetic_mapping`."""
    return scenario_from_mapping(synthetic_mapping(n, seed), file=f"<synthetic N={n}>")


# --------------------------------------------------------------------------- helpers
def release(model: Any) -> None:
    """Drop Mesa 3.3's class-level reference to a model (Mesa #3179 leak), as the runner does."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


@contextlib.contextmanager
def phase_timer(totals: dict[str, float]) -> Iterator[None]:
    """Accumulate the wall time of each phase of the schedule (and the reporters) into ``totals``.

    Wraps each mechanism's ``step`` (the model looks it up at call time) and
    ``DataCollector.collect``, and restores them on exit.
    """
    from mesa import DataCollector

    from simulation.model import PHASES

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - t0

        return timed

    originals = [(m, m.step) for m in PHASES]
    collect = DataCollector.collect
    for mechanism, step in originals:
        mechanism.step = wrap(mechanism.__name__.rsplit(".", 1)[-1], step)
    DataCollector.collect = wrap("collect (reporters)", collect)
    try:
        yield
    finally:
        for mechanism, step in originals:
            mechanism.step = step
        DataCollector.collect = collect


def fmt_ms(seconds: float) -> str:
    """Milliseconds with a sensible number of digits."""
    ms = seconds * 1e3
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def median_range(values: list[float]) -> tuple[float, float, float]:
    """Median, minimum and maximum."""
    return statistics.median(values), min(values), max(values)


# --------------------------------------------------------------------------- (a) scenarios
def bench_scenarios(files: list[str], steps: int, repeats: int, seed: int) -> str:
    """Runs per second of each scenario file, interleaved repeats; a Markdown section."""
    loaded, notes = [], []
    for f in files:
        try:
            scenario = load_scenario(f)
        except ScenarioError as exc:
            notes.append(f"- skipped `{f}`: does not load ({exc.message})")
            continue
        except Exception as exc:  # a broken file must not stop the benchmark
            notes.append(f"- skipped `{f}`: does not load ({type(exc).__name__}: {exc})")
            continue
        log(f"(a) warm-up {f}")  # imports, caches, first-touch allocations
        try:
            run(scenario, steps=min(steps, 5), seed=seed)
        except Exception as exc:
            notes.append(f"- skipped `{f}`: fails to run ({type(exc).__name__}: {exc})")
            continue
        loaded.append((f, scenario))
    times: dict[str, list[float]] = defaultdict(list)
    for r in range(repeats):
        log(f"(a) repeat {r + 1}/{repeats}")
        for f, scenario in loaded:
            gc.collect()
            t0 = time.perf_counter()
            run(scenario, steps=steps, seed=seed + r)
            times[f].append(time.perf_counter() - t0)
    out = [
        f"## (a) Shipped scenarios: {steps} steps per run, {repeats} runs each (interleaved)",
        "",
        "| scenario | nations | members | s per run (median) | min-max | runs/s | ms/step |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f, scenario in loaded:
        med, lo, hi = median_range(times[f])
        members = sum(n.role == "member" for n in scenario.nations)
        out.append(
            f"| `{f}` | {len(scenario.nations)} | {members} | {med:.3f} | {lo:.3f}-{hi:.3f} "
            f"| {1 / med:.2f} | {fmt_ms(med / steps)} |"
        )
    if not loaded:
        out.append("| (none ran) | | | | | | |")
    out += ["", *notes] if notes else []
    return "\n".join(out)


# --------------------------------------------------------------------------- (b) step cost
def time_steps(
    n: int, steps: int, seed: int, phases: dict[str, float] | None = None
) -> tuple[float, float]:
    """Build a model of ``n`` nations, time ``steps`` steps: (construction s, steps s).

    With ``phases``, the time of each phase is added to it (see :func:`phase_timer`).
    """
    from simulation.model import AllianceModel

    scenario = synthetic_scenario(n, seed=0)
    gc.collect()
    t0 = time.perf_counter()
    model = AllianceModel(scenario, seed=seed)
    build = time.perf_counter() - t0
    timer = contextlib.nullcontext() if phases is None else phase_timer(phases)
    try:
        with timer:
            t1 = time.perf_counter()
            for _ in range(steps):
                model.step()
            return build, time.perf_counter() - t1
    finally:
        release(model)


def bench_sizes(sizes: tuple[int, ...], steps: int, repeats: int, seed: int) -> str:
    """Milliseconds per step as N grows (interleaved), then per phase; a Markdown section."""
    step_t: dict[int, list[float]] = defaultdict(list)
    build_t: dict[int, list[float]] = defaultdict(list)
    for n in sizes:
        log(f"(b) warm-up N={n}")
        time_steps(n, 2, seed)
    # Per phase: a separate instrumented pass after each timed one (the wrappers add ~1 us per
    # phase call, kept out of the headline numbers).
    phase_t: dict[int, dict[str, list[float]]] = {n: defaultdict(list) for n in sizes}
    for r in range(repeats):
        log(f"(b) repeat {r + 1}/{repeats}")
        for n in sizes:
            build, total = time_steps(n, steps, seed + r)
            build_t[n].append(build)
            step_t[n].append(total / steps)
            totals: dict[str, float] = defaultdict(float)
            time_steps(n, steps, seed + r, totals)
            for name, seconds in totals.items():
                phase_t[n][name].append(seconds / steps)
    base = statistics.median(step_t[sizes[0]])
    out = [
        f"## (b) Step cost as nations are added: {steps} steps after construction, "
        f"{repeats} repeats (interleaved)",
        "",
        "Synthetic scenarios: N/2 members, N/4 partners in one programme, 1 adversary, "
        "the rest neutral.",
        "",
        f"| N | ms/step (median) | min-max | ratio to N={sizes[0]} | construction ms |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        med, lo, hi = median_range(step_t[n])
        out.append(
            f"| {n} | {fmt_ms(med)} | {fmt_ms(lo)}-{fmt_ms(hi)} | {med / base:.1f} "
            f"| {fmt_ms(statistics.median(build_t[n]))} |"
        )
    shares = {n: {k: statistics.median(v) for k, v in phase_t[n].items()} for n in sizes}
    names = list(shares[sizes[0]])
    out += [
        "",
        "Time per phase of `AllianceModel.step`, ms per step (median of the instrumented passes); "
        "the largest at each N in bold:",
        "",
        "| phase | " + " | ".join(f"N={n}" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for name in names:
        cells = []
        for n in sizes:
            v = shares[n].get(name, 0.0)
            cell = fmt_ms(v)
            cells.append(f"**{cell}**" if v == max(shares[n].values()) else cell)
        out.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------- (c) profile
def profile_size(n: int, steps: int, seed: int, top: int = 10) -> str:
    """Profile ``steps`` steps at ``n`` nations; the top entries by cumulative time."""
    from simulation.model import AllianceModel

    model = AllianceModel(synthetic_scenario(n, seed=0), seed=seed)
    prof = cProfile.Profile()
    try:
        prof.enable()
        for _ in range(steps):
            model.step()
        prof.disable()
    finally:
        release(model)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top + 6)
    lines = buf.getvalue().strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    body = [line for line in lines[start + 1 :] if line.strip()]
    # Skip the wrappers around the work (the profiler's own frames and the loop above).
    body = [line for line in body if "{method 'disable'" not in line][:top]
    return "\n".join(
        [
            f"## (c) Where the time goes at N={n}: cProfile of {steps} steps, top {top} by "
            "cumulative time",
            "",
            "```",
            lines[start],
            *body,
            "```",
        ]
    )


# --------------------------------------------------------------------------- main
def machine() -> str:
    """One line describing the machine and the versions."""
    import mesa

    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), load average at start {load}; "
        f"Python {platform.python_version()}, "
        f"Mesa {mesa.__version__}, numpy {np.__version__}; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the benchmarks, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run (small N, 2 repeats)")
    parser.add_argument("--repeats", type=int, help="repeats per item (default 5; quick: 2)")
    parser.add_argument("--steps", type=int, help="steps per scenario run (default 120; quick: 12)")
    parser.add_argument("--bench-steps", type=int, help="steps timed per N (default 20; quick: 5)")
    parser.add_argument("--sizes", type=int, nargs="+", help=f"values of N (default {SIZES})")
    parser.add_argument("--profile-n", type=int, help="N for the profile (default 300; quick: 100)")
    parser.add_argument("--seed", type=int, default=7, help="root seed (default 7)")
    parser.add_argument("--scenarios", nargs="+", help="scenario files (default: scenarios/*.yaml)")
    parser.add_argument(
        "--only", choices=("scenarios", "sizes", "profile"), action="append", help="run only these"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    repeats = args.repeats or (2 if quick else 5)
    steps = args.steps or (12 if quick else 120)
    bench_steps = args.bench_steps or (5 if quick else 20)
    sizes = tuple(args.sizes or (QUICK_SIZES if quick else SIZES))
    profile_n = args.profile_n or (100 if quick else 300)
    files = args.scenarios or sorted(
        os.path.relpath(p) for p in glob.glob(str(ROOT / "scenarios" / "*.yaml"))
    )
    parts = set(args.only or ("scenarios", "sizes", "profile"))

    t0 = time.perf_counter()
    print("# alliance-sim benchmarks" + (" (quick)" if quick else ""))
    print()
    print(f"Machine: {machine()}")
    sections = []
    if "scenarios" in parts:
        sections.append(bench_scenarios(files, steps, repeats, args.seed))
    if "sizes" in parts:
        sections.append(bench_sizes(sizes, bench_steps, repeats, args.seed))
    if "profile" in parts:
        log(f"(c) profile N={profile_n}")
        sections.append(profile_size(profile_n, bench_steps, args.seed))
    for section in sections:
        print()
        print(section)
    print()
    print(f"Total benchmark time {time.perf_counter() - t0:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
