"""Figures and a Markdown report from a ``run`` or ``compare`` output directory.

``write_report(directory)`` reads the tables the command wrote (:func:`load_results`), draws
every figure into ``directory/figures`` as PNG and SVG with provenance in the image and its
metadata (:func:`write_figures`), and writes ``directory/report.md``: provenance, the summary
table, the paired differences (for a comparison) and each figure with a one-line caption.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.figure_data import UNIT_INTERVAL_METRICS, select_run
from analysis.figures import provenance_caption, save_figure
from analysis.tables import differences_markdown, summary_markdown
from simulation.compare import summary_frame
from simulation.errors import ScenarioError
from simulation.results import write_text

TIMESERIES_METRICS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "deterrence",
    "consensus_rate",
    "defence_share_mean",
)
"""Panels of the time-series figure (those present in the table)."""

HINT = "give the --out directory of an `alliance-sim run` or `alliance-sim compare`"


@dataclass
class Results:
    """The tables and provenance of one output directory, as the report needs them."""

    directory: Path
    kind: str
    """``run`` or ``compare``."""
    title: str
    provenance: dict[str, Any]
    variants: list[str]
    timeseries: pd.DataFrame
    events: pd.DataFrame
    summaries: pd.DataFrame
    """One row per run: run keys and numeric summary values."""
    nations: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    differences: pd.DataFrame | None = None
    confidence: float = 0.95
    notes: list[str] = field(default_factory=list)

    @property
    def seeds(self) -> list[int]:
        """The replication seeds (one per run of each variant)."""
        prov = self.provenance
        return list(prov.get("replication_seeds") or [prov.get("seed")])


@dataclass
class FigureFile:
    """A figure written to disk, with what the report says about it."""

    stem: str
    title: str
    caption: str
    paths: list[Path]


# ------------------------------------------------------------------ loading
def load_results(directory: Path | str) -> Results:
    """Read a ``run`` or ``compare`` output directory.

    Raises:
        ScenarioError: the directory is missing, is not such an output directory, or misses a
            table or has an unreadable one (the CLI turns this into exit code 2).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ScenarioError("no such directory", file=str(directory), hint=HINT)
    if (directory / "comparison.json").is_file():
        return _load_compare(directory)
    if (directory / "summary.json").is_file():
        return _load_run(directory)
    raise ScenarioError(
        "not a run or compare output directory (no summary.json or comparison.json)",
        file=str(directory),
        hint=HINT,
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"cannot read {path.name}: {exc}", file=str(path.parent)) from None
    if not isinstance(data, dict) or "provenance" not in data:
        raise ScenarioError(f"{path.name} has no provenance", file=str(path.parent), hint=HINT)
    return data


def _read_table(directory: Path, stem: str, required: bool = True) -> pd.DataFrame | None:
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = directory / f"{stem}{suffix}"
        if path.is_file():
            try:
                return reader(path)
            except Exception as exc:  # any unreadable file is the user's input, not a bug
                raise ScenarioError(
                    f"cannot read {path.name}: {exc}", file=str(directory)
                ) from None
    if required:
        raise ScenarioError(f"{stem}.parquet or {stem}.csv is missing", file=str(directory))
    return None


def _load_compare(directory: Path) -> Results:
    meta = _read_json(directory / "comparison.json")
    variants = [str(v) for v in meta.get("variants") or meta["provenance"].get("variants", [])]
    return Results(
        directory=directory,
        kind="compare",
        title=f"{meta.get('scenario', 'Scenario')}: {' vs '.join(variants)}",
        provenance=meta["provenance"],
        variants=variants,
        timeseries=_read_table(directory, "timeseries"),
        events=_read_table(directory, "events"),
        summaries=_read_table(directory, "summaries"),
        nations=_read_table(directory, "nations", required=False),
        pairs=_read_table(directory, "pairs", required=False),
        differences=_read_table(directory, "differences"),
        confidence=float(meta.get("confidence", 0.95)),
    )


def _load_run(directory: Path) -> Results:
    summary = _read_json(directory / "summary.json")
    prov = summary["provenance"]
    runs = summary.get("replications") or [summary]
    rows = [
        {"replication": k, "seed": r["provenance"].get("seed"), **r} for k, r in enumerate(runs)
    ]
    results = Results(
        directory=directory,
        kind="run",
        title=f"{_scenario_name(directory, prov)} [{prov.get('variant')}]",
        provenance=prov,
        variants=[str(prov.get("variant"))],
        timeseries=_read_table(directory, "timeseries"),
        events=_read_table(directory, "events"),
        summaries=summary_frame(rows),
        nations=_read_table(directory, "nations", required=False),
        pairs=_read_table(directory, "pairs", required=False),
    )
    if results.nations is None or results.pairs is None:
        _rerun_final_state(results)
    return results


def _scenario_name(directory: Path, prov: dict[str, Any]) -> str:
    from simulation.errors import ScenarioError
    from simulation.yamlfile import read_yaml  # the bounded reader: no alias bomb, no huge file

    path = directory / "scenario.resolved.yaml"
    try:
        name = read_yaml(path)[0].get("name")
    except (ScenarioError, AttributeError):
        name = None
    return str(name or Path(str(prov.get("scenario_file", "scenario"))).stem)


def _rerun_final_state(results: Results) -> None:
    """Older run directories lack the per-nation tables: rebuild them from the first run."""
    from analysis.snapshots import snapshots
    from simulation.scenario import load_scenario

    path = results.directory / "scenario.resolved.yaml"
    if not path.is_file():
        results.notes.append("No per-nation tables and no scenario.resolved.yaml: skipped.")
        return
    seed, steps = results.seeds[0], int(results.provenance["steps"])
    nations, pairs = snapshots(load_scenario(path), seed, [steps])
    results.nations = nations.drop(columns="step").assign(replication=0)
    results.pairs = pairs.drop(columns="step").assign(replication=0)
    results.notes.append(
        f"Per-nation figures re-ran the first replication (seed {seed}) from "
        "scenario.resolved.yaml: this directory has no nations/pairs tables."
    )


# ------------------------------------------------------------------ figures
def write_figures(results: Results, directory: Path | None = None) -> list[FigureFile]:
    """Draw every figure the results support into ``directory`` (default ``DIR/figures``)."""
    import matplotlib

    matplotlib.use("Agg")
    out = directory or results.directory / "figures"
    prov = results.provenance
    figures: list[FigureFile] = []
    for stem, title, caption, draw in _figure_plan(results):
        fig = draw()
        paths = save_figure(fig, out / stem, prov)
        figures.append(FigureFile(stem, title, f"{caption} {provenance_caption(prov)}.", paths))
    return figures


def _figure_plan(results: Results) -> list[tuple[str, str, str, Any]]:
    """``(stem, title, caption, draw)`` for each figure, ``draw()`` returning a Figure."""
    from analysis import nation_plots, plots

    by = "variant" if results.kind == "compare" else None
    reps = results.timeseries["replication"].nunique()
    metrics = [m for m in TIMESERIES_METRICS if m in results.timeseries.columns]
    per = " per variant" if by else ""
    plan: list[tuple[str, str, str, Any]] = [
        (
            "timeseries",
            "Outcomes over time",
            f"Median (line) and 10-90% band over {reps} replication(s){per}.",
            lambda: plots.overview_figure(results.timeseries, metrics, by=by, title=results.title),
        )
    ]
    if results.differences is not None and not results.differences.empty:
        present = [m for m in UNIT_INTERVAL_METRICS if m in set(results.differences["metric"])]
        level = f"{results.confidence * 100:g}%"
        plan.append(
            (
                "differences",
                "Paired differences",
                f"Mean paired difference from {results.variants[0]} (same seeds) with {level} "
                "percentile bootstrap intervals, for the 0-1 metrics (all metrics are in the "
                "table).",
                lambda: _single(plots.plot_forest, results.differences, metrics=present),
            )
        )
    if results.nations is not None and results.pairs is not None:
        final = f"at the final step ({results.provenance.get('steps')}) of the first replication"
        plan += [
            (
                "trust_network",
                "Trust network",
                f"Mutual trust {final}: edge width and opacity grow with trust (beyond 15 "
                "nations, the strongest quarter of pairs); colour and shape give the role, area "
                "the military capability; aligned nations sit close.",
                lambda: _per_variant(results, nation_plots.plot_trust_network, (5.2, 5.0)),
            ),
            (
                "trust_heatmap",
                "Trust matrix",
                f"Directed trust (row trusts column) {final}, nations ordered by bloc and GDP.",
                lambda: _per_variant(results, nation_plots.plot_trust_heatmap, (5.6, 4.8)),
            ),
            (
                "burden_sharing",
                "Burden sharing",
                f"Members' defence spending against GDP {final}, with Spearman's rank "
                "correlation (positive: larger members carry more of the burden).",
                lambda: _per_variant(results, nation_plots.plot_burden_sharing, (5.0, 3.8), 1),
            ),
        ]
    plan.append(
        (
            "crisis_timeline",
            "Crises",
            "Crises over time, one line per run; marker gives the outcome (hollow: a target the "
            "alliance was not committed to defend).",
            lambda: _single(plots.plot_crisis_timeline, results.events),
        )
    )
    return plan


def _single(plot, *args, **kwargs):
    ax = plot(*args, **kwargs)
    fig = ax.figure
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _per_variant(results: Results, plot, size: tuple[float, float], tables: int = 2):
    """One panel per variant (its first replication), side by side."""
    import matplotlib.pyplot as plt

    names = results.variants
    fig, axes = plt.subplots(1, len(names), figsize=(size[0] * len(names), size[1]), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=True):
        variant = name if results.kind == "compare" else None
        nations = select_run(results.nations, variant=variant)
        pairs = select_run(results.pairs, variant=variant)
        plot(*((nations, pairs) if tables == 2 else (nations,)), ax=ax)
        seed = nations["seed"].iloc[0] if "seed" in nations.columns else results.seeds[0]
        title = ax.get_title()
        ax.set_title(f"{name} (seed {seed})" + (f"\n{title}" if title else ""), fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


# ------------------------------------------------------------------ Markdown
def render_report(results: Results, figures: Sequence[FigureFile]) -> str:
    """The report as Markdown: provenance, tables, then each figure with its caption."""
    lines = [f"# {results.title}", "", *_provenance_lines(results), ""]
    if results.notes:
        lines += [f"> {note}" for note in results.notes] + [""]
    if results.differences is not None:
        lines += ["## Paired differences", ""]
        lines += differences_markdown(results.differences, results.confidence)
    lines += ["## Summary", ""]
    lines += summary_markdown(results.summaries, results.variants)
    lines += ["## Figures", ""]
    for k, fig in enumerate(figures, start=1):
        png = next(p for p in fig.paths if p.suffix == ".png")
        rel = png.relative_to(results.directory).as_posix()
        svg = png.with_suffix(".svg").relative_to(results.directory).as_posix()
        lines += [
            f"### Figure {k}. {fig.title}",
            "",
            f"![{fig.title}]({rel})",
            "",
            f"*Figure {k}. {fig.caption}* ([SVG]({svg}))",
            "",
        ]
    return "\n".join(lines)


def _provenance_lines(results: Results) -> list[str]:
    prov = results.provenance
    seeds = results.seeds
    commit = prov.get("git_commit") or "none (not a git checkout)"
    if results.kind == "compare":
        design = (
            f"- Design: variants {', '.join(results.variants)}; {len(seeds)} replication(s) "
            f"each on the same seeds (common random numbers), root seed {prov.get('seed')}"
        )
    else:
        design = (
            f"- Design: variant {results.variants[0]}; {len(seeds)} replication(s), "
            f"root seed {prov.get('seed')}"
        )
    lines = [
        f"- Scenario: `{prov.get('scenario_file')}` (sha256 `{prov.get('scenario_sha256')}`), "
        f"{prov.get('steps')} steps",
        design,
        f"- Replication seeds: {', '.join(str(s) for s in seeds)}",
        f"- Code: alliance-sim {prov.get('version')}, commit `{commit}`; Python "
        f"{prov.get('python')}, Mesa {prov.get('mesa')}, numpy {prov.get('numpy')}",
    ]
    boot = prov.get("bootstrap")
    if boot:
        lines.append(
            f"- Intervals: {boot.get('method')}, {boot.get('resamples')} resamples, "
            f"{float(boot.get('confidence', 0.95)) * 100:g}%, seeded from {boot.get('seed')}"
        )
    return lines


def write_report(directory: Path | str) -> tuple[Path, list[FigureFile]]:
    """Write ``DIR/figures/*`` and ``DIR/report.md``; return the report path and the figures."""
    results = load_results(directory)
    figures = write_figures(results)
    path = results.directory / "report.md"
    write_text(path, render_report(results, figures))
    return path, figures
