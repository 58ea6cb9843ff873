"""Publication figures: data on hand-built tables, and every figure on real output in size."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from analysis import nation_plots, plots
from analysis.figure_data import (
    backbone,
    band_caption,
    event_marks,
    network_data,
    to_dates,
)
from analysis.report import Results, write_figures
from analysis.style import (
    CAPTION_PT,
    MAX_IMAGE_IN,
    PNG_DPI,
    grid_shape,
    pages,
    variant_colors,
)
from simulation import load_scenario
from simulation.experiment import compare
from simulation.runner import run

FIVE_EYES = Path(__file__).resolve().parent.parent / "scenarios" / "five_eyes.yaml"
TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ hand-built tables
def test_calendar_dates_from_decimal_years():
    dates = to_dates([2025.0, 2025 + 5 / 12, 2020 + 2 / 12, 2019.9999])
    assert [str(d)[:10] for d in dates] == ["2025-01-01", "2025-06-01", "2020-03-01", "2020-01-01"]


def test_event_marks_keep_accessions_and_scheduled_missions():
    events = pd.DataFrame(
        {
            "variant": ["a", "a", "a", "b", "b"],
            "replication": [0, 0, 1, 0, 1],
            "step": [12, 5, 12, 12, 30],
            "year": [2021.0, 2020.4167, 2021.0, 2021.0, 2022.5],
            "event": ["accession", "mission_start", "accession", "mission_start", "crisis"],
            "actor": ["MNE", "KFOR", "MNE", "mission-12", "EST"],
        }
    )
    marks = event_marks(events)
    # four runs; the MNE accession in two of them; mission-12 came from a proposal: not marked
    assert list(marks["label"]) == ["mission start KFOR", "accession MNE"]
    assert list(marks["step"]) == [5, 12]
    assert list(marks["share"]) == [0.25, 0.5]
    assert str(marks["date"].iloc[1])[:7] == "2021-01"
    assert event_marks(events[events["event"] == "crisis"]).empty


def test_band_caption_says_what_the_band_is_and_that_one_run_has_none():
    assert "no band" in band_caption(1)
    assert "10th-90th percentiles" in band_caption(5) and "5 replications" in band_caption(5)


def test_no_band_with_one_replication():
    df = pd.DataFrame(
        {"replication": 0, "step": [0, 1, 2], "year": [2020.0, 2020 + 1 / 12, 2020 + 2 / 12]}
    ).assign(cohesion=[0.5, 0.6, 0.7])
    ax = plots.plot_bands(df, "cohesion")
    assert not ax.collections  # fill_between makes a PolyCollection
    two = pd.concat([df, df.assign(replication=1, cohesion=[0.4, 0.5, 0.9])])
    assert len(plots.plot_bands(two, "cohesion", ax=plt.subplots()[1]).collections) == 1


def test_time_axis_ticks_are_calendar_months():
    df = pd.DataFrame(
        {"replication": 0, "step": range(12), "year": [2020 + k / 12 for k in range(12)]}
    ).assign(cohesion=np.linspace(0, 1, 12))
    ax = plots.plot_bands(df, "cohesion")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(len(t) == 7 and t[4] == "-" for t in ticks), ticks  # "2020-06"


def _four_nations() -> tuple[pd.DataFrame, pd.DataFrame]:
    nations = pd.DataFrame(
        {
            "iso3": ["USA", "GBR", "EST", "RUS"],
            "name": list("UGER"),
            "role": ["member", "member", "member", "adversary"],
            "capability_busd": [10.0, 2.0, 0.1, 5.0],
        }
    )
    trust = {("USA", "GBR"): 0.9, ("USA", "EST"): 0.8, ("GBR", "EST"): 0.7}
    rows = []
    for a in nations["iso3"]:
        for b in nations["iso3"]:
            if a != b:
                t = trust.get((a, b), trust.get((b, a), 0.05))
                rows.append({"from": a, "to": b, "trust": t, "alignment": 0.5})
    return nations, pd.DataFrame(rows)


def test_backbone_connects_every_nation_and_hides_none():
    nations, pairs = _four_nations()
    data = network_data(nations, pairs)
    drawn = data.edges[data.edges["backbone"]]
    ends = set(drawn["a"]) | set(drawn["b"])
    assert ends == set(nations["iso3"])  # the adversary, with trust 0.05 to all, is still linked
    # tree: USA-GBR .9, USA-EST .8, and one .05 edge to RUS; plus the top quarter (>= .75)
    assert len(drawn) == 3
    assert {frozenset(p) for p in zip(drawn["a"], drawn["b"], strict=True)} >= {
        frozenset(("USA", "GBR")),
        frozenset(("USA", "EST")),
    }
    mask = backbone(data.edges, list(nations["iso3"]), quantile=0.0)
    assert mask.all()  # quantile 0: every edge


def test_layout_helpers():
    assert grid_shape(1) == (1, 1) and grid_shape(3) == (2, 2) and grid_shape(4) == (2, 2)
    assert pages(list("abcdefghi"), 4) == [list("abcd"), list("efgh"), ["i"]]
    assert pages([], 4) == [[]]


# ------------------------------------------------------------------ real output
@pytest.fixture(scope="module")
def four():
    scenario = load_scenario(FIVE_EYES)
    names = ["baseline", "no_sharing", "five_eyes_plus", "strategic_communication"]
    return compare(scenario, names, replications=2, steps=8, seed=5, n_resamples=200)


def test_a_variant_keeps_its_colour_in_every_figure(four):
    colors = variant_colors(four.variants)
    fig = plots.overview_figure(four.timeseries, ("cohesion",), by="variant", colors=colors)
    for ax, name in zip(fig.axes, four.variants, strict=True):  # small multiples: one per variant
        assert to_hex(ax.lines[-1].get_color()) == colors[name].lower()
    forest = plots.plot_forest(four.differences, colors=colors)
    marker_colours = {
        to_hex(colour)
        for c in forest.collections
        for colour in [*c.get_facecolor(), *c.get_edgecolor()]
        if colour[3] > 0 and to_hex(colour) != "#ffffff"
    }
    assert colors["no_sharing"].lower() in marker_colours
    assert colors["baseline"].lower() not in marker_colours  # the reference has no difference
    # the same names in another order would change colours: the map is fixed by the comparison
    assert variant_colors(four.variants[::-1])[four.variants[0]] != colors[four.variants[0]]


def _results(kind: str, result, variants: list[str]) -> Results:
    return Results(
        directory=Path("."),
        kind=kind,
        title="test",
        provenance=result.provenance if kind == "compare" else result.summary["provenance"],
        variants=variants,
        timeseries=result.timeseries,
        events=result.events,
        summaries=result.summaries if kind == "compare" else pd.DataFrame(),
        nations=result.nations,
        pairs=result.pairs,
        differences=result.differences if kind == "compare" else None,
    )


def _subset(result, names: list[str]):
    class Sub:
        pass

    sub = Sub()
    for name in ("timeseries", "events", "nations", "pairs", "summaries", "differences"):
        table = getattr(result, name)
        sub.__dict__[name] = table[table["variant"].isin(names)].reset_index(drop=True)
    sub.provenance = {**result.provenance, "variants": names}
    return sub


@pytest.mark.parametrize("count", [1, 2, 4])
def test_every_figure_within_the_size_limits(four, tmp_path, count):
    if count == 1:
        single = run(load_scenario(FIVE_EYES), steps=8, seed=5)
        results = _results("run", single, ["baseline"])
    else:
        names = list(four.variants[:count])
        results = _results("compare", _subset(four, names), names)
    formats = ("png", "svg", "pdf") if count == 2 else ("png", "svg")  # PDF once: it is slow
    figures = write_figures(results, tmp_path, formats=formats)
    stems = {f.stem for f in figures}
    assert {"timeseries", "trust_network", "trust_heatmap", "burden_sharing"} <= stems
    assert "crisis_timeline" in stems
    assert ("differences" in stems) == (count > 1)
    limit = (MAX_IMAGE_IN[0] * PNG_DPI, MAX_IMAGE_IN[1] * PNG_DPI)
    for fig in figures:
        assert [p.suffix for p in fig.paths] == [f".{f}" for f in formats]
        image = Image.open(fig.paths[0])
        width, height = image.size
        assert width <= limit[0] and height <= limit[1], (fig.stem, image.size)
        assert width >= 1000, (fig.stem, image.size)  # not a thumbnail
        assert round(image.info["dpi"][0]) == PNG_DPI
        svg = fig.paths[1].read_text(encoding="utf-8")
        assert f"font-size: {CAPTION_PT:g}px" in svg or f"font: {CAPTION_PT:g}px" in svg


def test_many_variants_are_paged_not_drawn_on_a_giant_canvas(four, tmp_path):
    names = [*four.variants, *four.variants[1:], four.variants[1]]  # 8 panels' worth
    from analysis import report

    results = _results("compare", four, list(four.variants))
    results.variants = [four.variants[0], *[f"{n}" for n in names[1:]]]
    plan = report.figure_plan(results)
    stems = [stem for stem, *_ in plan]
    assert "timeseries_p2" in stems and "trust_network_p2" in stems


def test_per_nation_figures_draw_every_nation(four):
    fig = nation_plots.per_variant_figure("network", four.nations, four.pairs, list(four.variants))
    nations = four.nations[four.nations["variant"] == "baseline"]
    nations = nations[nations["replication"] == 0]
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert labels == set(nations["iso3"])
    burden = nation_plots.per_variant_figure("burden", four.nations, None, list(four.variants))
    limits = {(ax.get_xlim(), ax.get_ylim()) for ax in burden.axes if ax.get_visible()}
    assert len(limits) == 1  # one scale for all panels
