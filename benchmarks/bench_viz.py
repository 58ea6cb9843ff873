"""Step plus redraw of both variants in the browser app (``alliance-sim viz``), for nato_2024.

A script, not a test: it prints a Markdown table to stdout.

    .venv/bin/python benchmarks/bench_viz.py             # 20 steps, 3 repeats
    .venv/bin/python benchmarks/bench_viz.py --steps 20 --repeats 5

Two measurements of one Step, both variants (baseline and qualified_majority, seed 7):

(a) ``draw``: the wrapper model's step and everything the page computes from it, called
    directly: both trust networks and the time series rendered to PNG, the metrics table and
    the event log rendered to HTML;
(b) ``page``: the whole page rendered by Solara in this process (``solara.render``) and its
    Step button clicked, so the time includes Mesa's controller, Solara's re-render and the
    widget updates; what is left is the transfer to the browser and its painting.

Each time is the median over ``--steps`` consecutive steps from step 0; repeats are interleaved
(a, b, a, b, ...) and the table gives the median of the repeats' medians with their range, as
wall time and as this process's CPU time (on a shared machine the CPU time is the steadier).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "nato_2024.yaml"
VARIANTS = ("baseline", "qualified_majority")
SEED = 7


def bench_draw(steps: int) -> list[tuple[float, float]]:
    from analysis.app.comparison import Comparison, Settings
    from analysis.app.components import colors_of, html_table
    from analysis.app.drawing import NetworkPicture, SeriesPicture

    comp = Comparison(Settings(str(SCENARIO), *VARIANTS, seed=SEED))
    colors = colors_of(comp)
    nets = [
        NetworkPicture(m.state.iso3, comp.layout, color=colors[label])
        for label, m in zip("AB", comp.variants, strict=True)
    ]
    series = SeriesPicture(comp.names, colors, comp.horizon)
    times = []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        comp.step()
        for net, m in zip(nets, comp.variants, strict=True):
            net.draw(m.state.trust, m.state.role, comp.challenges(m), title=f"step {m.steps}")
        series.draw(comp.history())
        html_table(comp.metrics_table())
        html_table(comp.events(limit=30).set_index("step"))
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return times


def bench_page(steps: int) -> list[tuple[float, float]]:
    import ipyvuetify as v
    import solara

    os.environ["ALLIANCE_SIM_VIZ_SCENARIO"] = str(SCENARIO)
    os.environ["ALLIANCE_SIM_VIZ_VARIANTS"] = ",".join(VARIANTS)
    os.environ["ALLIANCE_SIM_VIZ_SEED"] = str(SEED)
    from analysis.app.page import Page

    @solara.component
    def App():
        with solara.AppLayout():
            Page()

    with contextlib.redirect_stdout(io.StringIO()):  # Solara prints the app bar in tests
        _, rc = solara.render(App(), handle_error=False)
    button = rc.find(v.Btn, children=["Step"]).widget
    times = []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        button.click()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    rc.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    import matplotlib
    import mesa
    import solara

    load = os.getloadavg()[0]
    bench_draw(2)  # warm-up: imports, fonts, the scenario cache
    medians: dict[str, list[tuple[float, float]]] = {"draw": [], "page": []}
    for r in range(args.repeats):
        print(f"repeat {r + 1}/{args.repeats}", file=sys.stderr)
        for name, bench in (("draw", bench_draw), ("page", bench_page)):
            times = bench(args.steps)
            medians[name].append(tuple(statistics.median(t[k] for t in times) for k in (0, 1)))
    print(
        f"nato_2024, {' vs '.join(VARIANTS)}, seed {SEED}: median over {args.steps} steps "
        f"from step 0, {args.repeats} repeats"
    )
    print(
        f"\nPython {platform.python_version()}, Mesa {mesa.__version__}, "
        f"Solara {solara.__version__}, matplotlib {matplotlib.__version__}; "
        f"{os.cpu_count()} cores, load average {load:.1f} at start\n"
    )
    print("| measured | wall ms per step | range (ms) | CPU ms per step | range (ms) |")
    print("|---|---:|---|---:|---|")
    for name, values in medians.items():
        cells = []
        for k in (0, 1):
            ms = [1000 * v[k] for v in values]
            cells += [f"{statistics.median(ms):.0f}", f"{min(ms):.0f}-{max(ms):.0f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
