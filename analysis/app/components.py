"""The page's parts, each a function of the :class:`~analysis.app.comparison.Comparison` model.

Mesa's SolaraViz calls every view function with the current model and redraws it after each
step. Every view carries a CSS class (``alliance-...``) so the browser test can find it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import solara

from analysis.app.comparison import Comparison, Settings, default_variants, load_cached
from analysis.app.drawing import NetworkPicture, SeriesPicture
from analysis.app.levers import Lever, current_value, levers_for
from analysis.app.session import shipped_scenarios
from analysis.style import variant_colors
from simulation.scenario import resolve, variant_names


def colors_of(model: Comparison) -> dict[str, str]:
    """Colour of A and B: the comparison's variant colours (B differs if the names are equal)."""
    a, b = model.names
    if b == a:
        b = f"{b} (levers)"
    palette = variant_colors([a, b])
    return {"A": palette[a], "B": palette[b]}


def network_view(label: str):
    """A view of variant ``label``'s trust network (``"A"`` or ``"B"``)."""
    which = 0 if label == "A" else 1

    def view(model: Comparison):
        sim = model.variants[which]
        picture = solara.use_memo(
            lambda: NetworkPicture(sim.state.iso3, model.layout, color=colors_of(model)[label]),
            [model],
        )
        challenges = model.challenges(sim)
        png = picture.draw(
            sim.state.trust,
            sim.state.role,
            challenges,
            title=f"{label}: {model.names[which]}  (step {sim.steps})",
        )
        with solara.Column(classes=[f"alliance-network-{label}"]) as column:
            solara.Image(png, width="100%", classes=[f"alliance-network-img-{label}"])
            shown = ", ".join(f"{e['actor']} {e['outcome']}" for e in challenges)
            solara.Text(f"{label}: challenges this step: {shown or 'none'}")
        return column

    view.__name__ = f"network_{label}"
    return view


def timeseries_view(model: Comparison):
    """Cohesion and deterrence of both variants over time, and their differences."""
    picture = solara.use_memo(
        lambda: SeriesPicture(model.names, colors_of(model), model.horizon), [model]
    )
    png = picture.draw(model.history())
    with solara.Column(classes=["alliance-timeseries"]) as column:
        solara.Image(png, width="100%", classes=["alliance-timeseries-img"])
    return column


TABLE_CSS = (
    "<style>.alliance-table td, .alliance-table th {padding: 1px 8px; text-align: right}"
    " .alliance-table {font-size: 13px; border-collapse: collapse}</style>"
)


def html_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A data frame as an HTML table (numbers to ``digits`` places, missing values blank)."""
    table = frame.to_html(
        float_format=lambda x: f"{x:.{digits}f}", na_rep="", border=0, classes="alliance-table"
    )
    return f"{TABLE_CSS}<div style='max-height: 380px; overflow: auto'>{table}</div>"


def html(text: str, classes: list[str]):
    """Raw HTML in a div (no Markdown: Solara's Markdown loads extra front-end packages)."""
    return solara.HTML(tag="div", unsafe_innerHTML=text, classes=classes)


def metrics_view(model: Comparison):
    """The current metrics of A and B and their difference B - A."""
    a, b = model.names
    with solara.Column(classes=["alliance-metrics"]) as column:
        levers = " + levers" if model.used.levers else ""
        html(
            f"<b>Step {model.a.steps} (A) / {model.b.steps} (B)</b>, seed {model.used.seed}<br>"
            f"A = {escape(a)}, B = {escape(b)}{levers}",
            ["alliance-steps"],
        )
        html(html_table(model.metrics_table()), ["alliance-metrics-table"])
    return column


def events_view(model: Comparison):
    """Decisions, exercises, crises and accessions of both variants, newest first."""
    with solara.Column(classes=["alliance-events"]) as column:
        html("<b>Event log</b> (newest first)", [])
        html(html_table(model.events(limit=30).set_index("step")), ["alliance-events-table"])
    return column


def settings_view(model: Comparison):
    """Scenario, seed, variants and the levers applied to B (taking effect on Reset)."""
    return SettingsPanel(settings=model.settings, used=model.used)


@solara.component
def LeverInput(lever: Lever, value: Any, on_value):
    """One lever: the widget for its kind, with its doc, unit and range as the tooltip."""
    bounds = "" if lever.kind in ("switch", "choice") else f" Range {lever.lo:g} to {lever.hi:g}."
    tip = f"{lever.doc}.{bounds}" + (f" Unit: {lever.unit}." if lever.unit else "")
    with solara.Tooltip(tip), solara.Column(classes=[f"alliance-lever-{lever.path}"]):
        if lever.kind == "switch":
            solara.Checkbox(label=lever.label, value=bool(value), on_value=on_value)
        elif lever.kind == "choice":
            solara.Select(lever.label, value=value, values=list(lever.choices), on_value=on_value)
        elif lever.kind == "int":
            solara.SliderInt(
                lever.label,
                value=int(value),
                min=int(lever.lo),
                max=int(lever.hi),
                on_value=on_value,
                thumb_label=True,
            )
        else:
            solara.SliderFloat(
                lever.label,
                value=float(value),
                min=lever.lo,
                max=lever.hi,
                step=lever.step,
                on_value=on_value,
                thumb_label=True,
            )


@solara.component
def SettingsPanel(settings: Settings, used: Settings):
    """Edit the session's settings; Reset builds both variants from them."""
    _, set_version = solara.use_state(0)  # re-render after each edit of ``settings``

    def edit(**changes):
        for key, value in changes.items():
            setattr(settings, key, value)
        set_version(lambda n: n + 1)

    def set_scenario(path: str):
        a, b = default_variants(load_cached(path))
        settings.levers.clear()
        edit(scenario=path, variant_a=a, variant_b=b)

    def set_lever(path: str, value: Any):
        settings.levers[path] = value
        edit()

    def clear_levers():
        settings.levers.clear()
        edit()

    base = load_cached(settings.scenario)
    names = variant_names(base)
    b_scenario = resolve(base, settings.variant_b)
    with solara.Column(classes=["alliance-settings"]) as column:
        html("<b>Scenario, seed and variants</b> (take effect on Reset)", [])
        solara.Select(
            "scenario",
            value=settings.scenario,
            values=scenario_choices(settings),
            on_value=set_scenario,
        )
        with solara.Row():
            solara.Select(
                "variant A",
                value=settings.variant_a,
                values=names,
                on_value=lambda v: edit(variant_a=v),
            )
            solara.Select(
                "variant B",
                value=settings.variant_b,
                values=names,
                on_value=lambda v: edit(variant_b=v),
            )
        solara.InputInt("seed", value=settings.seed, on_value=lambda v: edit(seed=max(0, int(v))))
        html("<b>Levers for variant B</b> (hover for the field's doc; apply on Reset)", [])
        for lever in levers_for(b_scenario):
            current = settings.levers.get(lever.path, current_value(b_scenario, lever.path))
            LeverInput(lever, current, lambda v, p=lever.path: set_lever(p, v))
        solara.Button("Clear levers", on_click=clear_levers, text=True)
        pending = settings != used
        solara.Text(
            ("Changed: press Reset to apply. " if pending else "")
            + "B runs with: "
            + (", ".join(f"{k}={v}" for k, v in used.levers.items()) or "its variant as written"),
            classes=["alliance-levers-applied"],
        )
    return column


def scenario_choices(settings: Settings) -> list[str]:
    """The shipped scenarios, and the session's own if it is not one of them."""
    own = Path(settings.scenario).resolve()
    choices = [str(p) for p in shipped_scenarios() if p.resolve() != own]
    return [settings.scenario, *choices]
