"""The page: Mesa's SolaraViz around one :class:`~analysis.app.comparison.Comparison` per session.

Served by ``alliance-sim viz`` (``SOLARA_APP=analysis.app.page``). ``Page`` runs once for each
browser session and builds that session's settings and models with ``solara.use_memo``, so two
users never share a model. SolaraViz's Step, Play and Reset drive both variants through the
wrapper; Reset rebuilds it from the session's settings (scenario, seed, variants and levers).
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

from analysis.app.comparison import Comparison
from analysis.app.components import (
    events_view,
    metrics_view,
    network_view,
    settings_view,
    timeseries_view,
)
from analysis.app.session import initial_settings

VIEWS = (
    network_view("A"),
    network_view("B"),
    timeseries_view,
    metrics_view,
    settings_view,
    events_view,
)
"""The views, two to a row: the networks, then the series and the table, then levers and log."""


@solara.component
def Page():
    """One session's page."""
    settings = solara.use_memo(initial_settings, [])
    model = solara.use_memo(lambda: Comparison(settings), [])
    return SolaraViz(
        model,
        components=[(view, 0) for view in VIEWS],
        model_params={"settings": settings},
        name=f"alliance-sim: {settings.variant_a} vs {settings.variant_b}",
        play_interval=150,
    )
