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

from analysis.figure_data import UNIT_INTERVAL_METRICS, event_marks
from analysis.figures import FORMATS, provenance_caption, save_figure
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
    import yaml

    path = directory / "scenario.resolved.yaml"
    try:
        name = yaml.safe_load(path.read_text(encoding="utf-8")).get("name")
    except (OSError, yaml.YAMLError, AttributeError):
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
NATION_PANELS = 4
"""Per-nation panels per figure (2 x 2); more variants go to further pages."""
TIMESERIES_VARIANTS = 4
"""Variants per time-series page (the reference and three others, as columns)."""


def write_figures(
    results: Results, directory: Path | None = None, formats: Sequence[str] = FORMATS
) -> list[FigureFile]:
    """Draw every figure the results support into ``directory`` (default ``DIR/figures``).

    Each is saved as a 300 dpi PNG and an SVG (and in any other of ``formats``, e.g. ``pdf``),
    with its caption and the provenance under it.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    from analysis.style import rc_params

    matplotlib.use("Agg")
    out = directory or results.directory / "figures"
    prov = results.provenance
    figures: list[FigureFile] = []
    with plt.rc_context(rc_params()):
        for stem, title, caption, draw in figure_plan(results):
            paths = save_figure(draw(), out / stem, prov, caption=caption, formats=formats)
            figures.append(FigureFile(stem, title, f"{caption} {provenance_caption(prov)}.", paths))
    return figures


def _paged(stem: str, title: str, k: int, total: int) -> tuple[str, str]:
    if total == 1:
        return stem, title
    return (stem if k == 0 else f"{stem}_p{k + 1}"), f"{title} ({k + 1}/{total})"


def figure_plan(results: Results) -> list[tuple[str, str, str, Any]]:
    """``(stem, title, caption, draw)`` for each figure, ``draw()`` returning a Figure.

    One variant -> colour map (:func:`analysis.style.variant_colors`, in the order the variants
    were named) is passed to every figure. Comparisons of many variants are paged rather than
    drawn on ever larger canvases.
    """
    from analysis import nation_plots, plots
    from analysis.figure_data import band_caption
    from analysis.style import pages, variant_colors

    compare = results.kind == "compare"
    by = "variant" if compare else None
    names = results.variants
    colors = variant_colors(names)
    reps = int(results.timeseries["replication"].nunique())
    metrics = [m for m in TIMESERIES_METRICS if m in results.timeseries.columns]
    marks = (
        " Dotted vertical lines: accessions and scheduled missions (darker: in more runs)."
        if not event_marks(results.events).empty
        else ""
    )
    plan: list[tuple[str, str, str, Any]] = []
    others = pages(names[1:], TIMESERIES_VARIANTS - 1) if len(names) > 2 else [names[1:]]
    for k, chunk in enumerate(others):
        shown = [names[0], *chunk]
        stem, title = _paged("timeseries", "Outcomes over time", k, len(others))
        grid = (
            f" One column per variant; the grey dashed line is the reference ({names[0]}) median."
            if len(names) > 2
            else ""
        )
        plan.append(
            (
                stem,
                title,
                f"{band_caption(reps)}{grid}{marks}",
                lambda shown=shown: plots.overview_figure(
                    results.timeseries[results.timeseries["variant"].isin(shown)]
                    if by
                    else results.timeseries,
                    metrics,
                    by=by,
                    title=results.title,
                    colors=colors,
                    events=results.events,
                    variants=shown if by else None,
                    reference=names[0] if by else None,
                ),
            )
        )
    if results.differences is not None and not results.differences.empty:
        present = [m for m in UNIT_INTERVAL_METRICS if m in set(results.differences["metric"])]
        level = f"{results.confidence * 100:g}%"
        plan.append(
            (
                "differences",
                "Paired differences",
                f"Mean paired difference from {names[0]} (same seeds) with {level} "
                "percentile bootstrap intervals, for the 0-1 metrics (all metrics are in the "
                "table); hollow markers: the interval includes 0.",
                lambda: _single(
                    plots.plot_forest, results.differences, metrics=present, colors=colors
                ),
            )
        )
    if results.nations is not None and results.pairs is not None:
        final = f"at the final step ({results.provenance.get('steps')}) of the first replication"
        seed = results.seeds[0]
        per_page = pages(names, NATION_PANELS)
        texts = {
            "trust_network": (
                "Trust network",
                "network",
                f"Mutual trust {final}. Every nation is drawn; edges are the backbone: the "
                "maximum spanning tree of trust (each nation's strongest ties) plus the "
                "strongest quarter of pairs; width and darkness grow with trust, dashed red "
                "edges involve the adversary. Colour and shape give the role, area the military "
                "capability; aligned nations sit close (one layout for all panels).",
            ),
            "trust_heatmap": (
                "Trust matrix",
                "heatmap",
                f"Directed trust (row trusts column) {final}, nations ordered by bloc "
                "(member, partner, neutral, adversary; white lines) and GDP; one colour scale.",
            ),
            "burden_sharing": (
                "Burden sharing",
                "burden",
                f"Members' defence spending against GDP {final}, on common axes, with "
                "Spearman's rank correlation (positive: larger members carry more).",
            ),
        }
        for base, (title, kind, caption) in texts.items():
            for k, chunk in enumerate(per_page):
                stem, paged_title = _paged(base, title, k, len(per_page))
                plan.append(
                    (
                        stem,
                        paged_title,
                        caption,
                        lambda chunk=chunk, kind=kind: nation_plots.per_variant_figure(
                            kind,
                            results.nations,
                            results.pairs if kind != "burden" else None,
                            chunk,
                            colors=colors,
                            seeds=dict.fromkeys(chunk, seed),
                        ),
                    )
                )
    crisis_pages = pages(names, NATION_PANELS)
    for k, chunk in enumerate(crisis_pages):
        stem, title = _paged("crisis_timeline", "Crises", k, len(crisis_pages))
        plan.append(
            (
                stem,
                title,
                f"Crises over time, one line per target nation (label colour: its role), "
                f"one panel per variant, every replication ({reps}) on the target's line "
                "(offset within it); marker gives the outcome, hollow: a target the alliance "
                "was not committed to defend.",
                lambda chunk=chunk: plots.crisis_timeline_figure(
                    results.events if by else results.events.assign(variant=names[0]),
                    chunk,
                    colors,
                ),
            )
        )
    return plan


_figure_plan = figure_plan


def _single(plot, *args, **kwargs):
    ax = plot(*args, **kwargs)
    fig = ax.figure
    fig.tight_layout()
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


def write_report(
    directory: Path | str, formats: Sequence[str] = FORMATS
) -> tuple[Path, list[FigureFile]]:
    """Write ``DIR/figures/*`` and ``DIR/report.md``; return the report path and the figures."""
    results = load_results(directory)
    figures = write_figures(results, formats=formats)
    path = results.directory / "report.md"
    write_text(path, render_report(results, figures))
    return path, figures
