"""Where a browser session starts: the command line's choices, passed through the environment.

``alliance-sim viz`` checks the scenario, variants and seed, then starts the server with them in
``ALLIANCE_SIM_VIZ_SCENARIO``, ``ALLIANCE_SIM_VIZ_VARIANTS`` (``A,B``) and
``ALLIANCE_SIM_VIZ_SEED``. Each new browser session builds its own :class:`Settings` from them
(and its own models from those), so sessions never share state.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.app.comparison import Settings, default_variants, load_cached

ENV_SCENARIO = "ALLIANCE_SIM_VIZ_SCENARIO"
ENV_VARIANTS = "ALLIANCE_SIM_VIZ_VARIANTS"
ENV_SEED = "ALLIANCE_SIM_VIZ_SEED"

PREFERRED = "nato_2024.yaml"
"""The scenario a session opens when none was given."""


def scenarios_dir() -> Path:
    """The shipped ``scenarios/`` folder (of the source tree this package runs from)."""
    return Path(__file__).resolve().parents[2] / "scenarios"


def shipped_scenarios() -> list[Path]:
    """The shipped scenario files, :data:`PREFERRED` first, then by name."""
    folder = scenarios_dir()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return sorted(files, key=lambda p: (p.name != PREFERRED, p.name))


def initial_settings() -> Settings:
    """A new session's settings, from the environment (else the preferred shipped scenario)."""
    scenario = os.environ.get(ENV_SCENARIO) or str(shipped_scenarios()[0])
    base = load_cached(scenario)
    a, b = default_variants(base)
    if os.environ.get(ENV_VARIANTS):
        a, b = os.environ[ENV_VARIANTS].split(",")
    seed = int(os.environ.get(ENV_SEED) or base.seed)
    return Settings(scenario=scenario, variant_a=a, variant_b=b, seed=seed)
