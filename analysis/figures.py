"""Saving figures with their provenance (package version, commit, scenario hash, seeds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.style import CAPTION_PT, PNG_DPI
from simulation.results import atomic_write

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def provenance_caption(prov: dict[str, Any]) -> str:
    """A one-line caption naming the scenario, variant(s), seeds, steps and code version.

    Works for a run's provenance (``variant``) and a comparison's (``variants``, paired seeds).
    """
    commit = (prov.get("git_commit") or "no-git")[:10]
    seeds = prov.get("replication_seeds") or [prov.get("seed")]
    variants = prov.get("variants")
    if variants:
        which = " vs ".join(str(v) for v in variants)
        paired = "paired seed" if len(seeds) == 1 else "paired seeds"
        seed_text = f"{len(seeds)} {paired} from {prov.get('seed')}"
    else:
        which = str(prov.get("variant"))
        seed_text = (
            f"seed {seeds[0]}" if len(seeds) == 1 else f"{len(seeds)} seeds from {prov['seed']}"
        )
    return (
        f"{Path(str(prov.get('scenario_file', ''))).name} [{which}], {seed_text}, "
        f"{prov.get('steps')} steps; alliance-sim {prov.get('version')} ({commit}), "
        f"scenario sha256 {str(prov.get('scenario_sha256', ''))[:12]}"
    )


FORMATS = ("png", "svg")
"""Formats written by default: a 300 dpi PNG and a vector SVG (add ``"pdf"`` for PDF)."""


def caption_lines(text: str, width_in: float, fontsize: float = CAPTION_PT) -> str:
    """``text`` wrapped to a figure ``width_in`` inches wide at ``fontsize`` points."""
    import textwrap

    chars = max(40, int(width_in * 72.0 / (fontsize * 0.52)))
    return "\n".join(textwrap.wrap(text, chars))


def save_figure(
    fig: Figure,
    stem: Path,
    prov: dict[str, Any],
    *,
    caption: str = "",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Save ``fig`` with its caption and provenance below it, and provenance in the metadata.

    The caption (``caption`` then :func:`provenance_caption`) is set in
    :data:`~analysis.style.CAPTION_PT` point type, wrapped to the figure's width, under the
    figure; the saved image grows to hold it. PNG at :data:`~analysis.style.PNG_DPI` dpi, SVG
    and PDF with text kept as text. Returns the paths, in the order of ``formats``.
    """
    import matplotlib.pyplot as plt

    text = " ".join(t for t in (caption.strip(), provenance_caption(prov) + ".") if t)
    fig.text(
        0.01,
        0.0,
        caption_lines(text, fig.get_figwidth() * 0.98),
        fontsize=CAPTION_PT,
        color="0.25",
        ha="left",
        va="top",
    )
    meta = json.dumps(prov, sort_keys=True)
    metadata = {
        "png": {"Description": meta, "Software": "alliance-sim"},
        "svg": {"Description": meta},
        "pdf": {"Subject": meta, "Creator": "alliance-sim"},
    }
    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        atomic_write(
            path,
            lambda tmp, fmt=fmt: fig.savefig(
                tmp,
                format=fmt,
                dpi=PNG_DPI,
                bbox_inches="tight",
                pad_inches=0.08,
                metadata=metadata.get(fmt),
            ),
        )
        paths.append(path)
    plt.close(fig)
    return paths


def write_run_figures(result: Any, out: Path) -> list[Path]:
    """A run's overview figure (PNG and SVG) under ``out/figures``: what ``run`` writes.

    ``result`` is a :class:`simulation.runner.RunResult`; used by the CLI and by
    ``RunResult.save``, so both write the same files.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figure_data import band_caption
    from analysis.plots import OVERVIEW_METRICS, overview_figure
    from analysis.style import rc_params

    reps = int(result.timeseries["replication"].nunique())
    with plt.rc_context(rc_params()):
        fig = overview_figure(
            result.timeseries,
            OVERVIEW_METRICS,
            title=f"{result.scenario.name} [{result.scenario.variant}]",
            events=result.events,
        )
        return save_figure(
            fig,
            Path(out) / "figures" / "overview",
            result.summary["provenance"],
            caption=band_caption(reps),
        )
