"""Figures and a Markdown report from a ``run`` or ``compare`` output directory.

``write_report(directory)`` reads the tables the command wrote (:func:`load_results`), draws
every figure into ``directory/figures`` as PNG and SVG with provenance in the image and its
metadata (:func:`write_figures`), and writes ``directory/report.md``: provenance, the summary
table, the paired differences (for a comparison) and each figure with a one-line caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.figure_data import UNIT_INTERVAL_METRICS, event_marks
from analysis.figures import FORMATS, provenance_caption, save_figure
from analysis.loading import HINT, Results, load_results  # noqa: F401 (re-exported)
from analysis.tables import differences_markdown, summary_markdown
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


@dataclass
class FigureFile:
    """A figure written to disk, with what the report says about it."""

    stem: str
    title: str
    caption: str
    paths: list[Path]


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
    from analysis import crisis_plots, nation_plots, plots
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
                lambda chunk=chunk: crisis_plots.crisis_timeline_figure(
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


def comparison_figures(stage: Path) -> list[Path]:
    """Draw a comparison's figures into its staging directory, from the tables just written.

    Used by ``alliance-sim compare`` and :meth:`ComparisonResult.save` as the ``extra`` step of
    :func:`simulation.experiment.write_comparison`, so the figures are listed in the manifest.
    """
    results = load_results(stage, check_manifest=False)
    return [p for fig in write_figures(results) for p in fig.paths]
