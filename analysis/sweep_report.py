"""``alliance-sim report SWEEP_DIR``: figures and a Markdown report of a sweep store.

``report.md`` holds the sweep's provenance, the run counts, each main metric's distribution, main
effects and a response surface over the first two parameters, sensitivity indices for Sobol and
Morris designs, scenario discovery (the PRIM box of the lowest quartile of each main metric) and,
for calibration sweeps, the parameter region that meets every target and the best points. Figures
go to ``SWEEP_DIR/figures`` as PNG and SVG with the sweep's provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.discovery import calibration, discover
from analysis.figures import save_figure
from analysis.sensitivity import index_figure, indices
from analysis.sweep_plots import main_effects, response_surface
from analysis.sweeps import Sweep, load
from analysis.tables import markdown_table
from simulation.results import write_text

MAIN_METRICS = ("cohesion", "deterrence")


def main_metrics(sweep: Sweep) -> list[str]:
    """The metrics the report dwells on: cohesion and deterrence, or the first metric."""
    found = [m for m in MAIN_METRICS if m in sweep.metrics]
    return found or sweep.metrics[:1]


def frame_markdown(df: pd.DataFrame, places: int = 4) -> list[str]:
    """A data frame as a Markdown table (numbers to ``places`` significant digits)."""

    def cell(v) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else f"{v:.{places}g}"
        return "" if v is None else str(v)

    rows = [[cell(v) for v in row] for row in df.itertuples(index=False)]
    return markdown_table([str(c) for c in df.columns], rows, "l" + "r" * (len(df.columns) - 1))


def write_sweep_report(directory: str | Path) -> tuple[Path, list[Path]]:
    """Write ``report.md`` and its figures for the sweep store at ``directory``."""
    import matplotlib

    matplotlib.use("Agg")
    sweep = load(directory)
    out = Path(directory)
    prov = sweep.provenance()
    m = sweep.manifest
    figures: list[Path] = []
    ok, failed = len(sweep.ok), int((sweep.summary["status"] != "ok").sum())
    code = m["code"]
    lines = [
        f"# Sweep report: {m['name']}",
        "",
        f"- sweep file: `{m['sweep_file']}` (sha256 {m['sweep_sha256'][:12]})",
        f"- evaluator: {m['evaluator']}; scenario: `{m.get('scenario')}`"
        f" (variant {m.get('variant') or 'baseline'})",
        f"- design: {m['design']['method']}, {m['design']['points']} points x "
        f"{m['replications']} replications; seed {m['seed']}; steps {m.get('steps') or 'scenario'}",
        f"- runs: {m['planned']} planned, {ok} finished, {failed} failed; state {m.get('state')}",
        f"- code: alliance-sim {code['version']} ({str(code['git_commit'])[:10]}"
        f"{', dirty' if code.get('dirty') else ''}); Python {m['packages'].get('python')}",
        "",
    ]
    metrics = main_metrics(sweep)
    if not ok:
        lines.append("No run finished; nothing to summarise.")
        return _finish(out, lines), figures
    stats = sweep.ok[sweep.metrics].astype(float).describe().T[["mean", "std", "min", "max"]]
    lines += [
        "## Metrics over all runs",
        "",
        *frame_markdown(stats.reset_index(names="metric")),
        "",
    ]
    fig_dir = out / "figures"
    for metric in metrics:
        figures += save_figure(
            main_effects(sweep, metric), fig_dir / f"main_effects_{metric}", prov
        )
        lines += [
            f"## Main effects on {metric}",
            "",
            f"![main effects](figures/main_effects_{metric}.png)",
            "",
        ]
    if len(sweep.names) >= 2:
        x, y = sweep.names[:2]
        for metric in metrics:
            stem = f"surface_{metric}"
            figures += save_figure(response_surface(sweep, metric, x, y), fig_dir / stem, prov)
            lines += [f"## {metric} over {x} and {y}", "", f"![surface](figures/{stem}.png)", ""]
    if sweep.method in ("sobol", "morris"):
        lines += _sensitivity(sweep, metrics, fig_dir, prov, figures)
    lines += _discovery(sweep, metrics)
    lines += _calibration(sweep)
    if failed:
        errors = sweep.summary.loc[sweep.summary["status"] != "ok", "error"].value_counts().head(5)
        lines += ["## Failed runs", ""] + [f"- {n} x `{e}`" for e, n in errors.items()] + [""]
    return _finish(out, lines), figures


def _finish(out: Path, lines: Sequence[str]) -> Path:
    path = out / "report.md"
    write_text(path, "\n".join(lines) + "\n")
    return path


def _sensitivity(sweep, metrics, fig_dir, prov, figures) -> list[str]:
    lines = [f"## Sensitivity ({sweep.method})", ""]
    for metric in metrics:
        table, warnings = indices(sweep, metric)
        figures += save_figure(
            index_figure(table, sweep.method, metric), fig_dir / f"indices_{metric}", prov
        )
        lines += [f"### {metric}", "", *frame_markdown(table, 3), ""]
        lines += [f"- warning: {w}" for w in warnings]
        lines += ["", f"![indices](figures/indices_{metric}.png)", ""]
    return lines


def _discovery(sweep: Sweep, metrics) -> list[str]:
    lines = ["## Scenario discovery (PRIM)", ""]
    for metric in metrics:
        found = discover(sweep, metric)
        if found is None:
            lines += [f"- {metric}: nothing to separate (no run or every run below the quartile)"]
            continue
        lines += [
            f"### Low {metric} (< {found.threshold:.3g}, the lower quartile: "
            f"{found.of_interest} of {found.cases} runs)",
            "",
            f"Coverage {found.coverage:.2f}, density {found.density:.2f}, mass {found.mass:.2f}.",
            "",
            *frame_markdown(found.limits),
            "",
        ]
    return lines


def _calibration(sweep: Sweep) -> list[str]:
    result = calibration(sweep)
    if not result:
        return []
    lines = ["## Calibration targets", ""]
    lines += [
        f"- {t['metric']}: observed {t['observed']} +/- {t['tolerance']} ({t['source']})"
        for t in result["targets"]
    ]
    lines += [
        "",
        f"{len(result['meeting'])} of {result['points']} design points meet every target.",
    ]
    if len(result["meeting"]):
        lines += ["", "Region spanned by those points:", "", *frame_markdown(result["region"])]
    lines += ["", "Best points (largest distance in tolerance units):", ""]
    return [*lines, *frame_markdown(result["best"]), ""]
