"""``Comparison``: one Mesa model that owns two variants of a scenario and steps them together.

Variant A and variant B are two :class:`~simulation.model.AllianceModel` built from the same
scenario file and the same root seed, so they draw the same external shocks (the same random
streams) until their policies make them act differently. One Step, Play or Reset of the page
drives both. The lever settings of the session apply to B only, as ``--set`` overrides on top of
B's variant.

The wrapper also keeps what the page draws from step to step: the node layout of the trust
network (computed once, from the initial trust of A, so nodes stay put and the two networks are
drawn alike), and the history of each variant's outputs.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from analysis.app.levers import override_texts
from analysis.layout import spring_layout
from simulation.model import AllianceModel
from simulation.scenario import load_scenario, resolve, variant_names
from simulation.schema import Scenario

SHOWN_EVENTS = ("proposal", "exercise", "challenge", "crisis", "invitation", "accession")
"""Event kinds in the page's log: decisions, exercises, crises and accessions."""

TABLE_METRICS = (
    "cohesion",
    "deterrence",
    "mean_trust",
    "interoperability",
    "credibility",
    "consensus_rate",
    "readiness_mean",
    "defence_share_mean",
    "members",
)
"""Outputs in the page's metrics table (current value of A, of B, and B - A)."""

CUMULATIVE_METRICS = ("exercises", "adopted", "challenges", "crises_deterred")
"""Per-step counts shown in the table as totals since step 0."""


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> Scenario:
    return load_scenario(path)


def load_cached(path: str | Path) -> Scenario:
    """``load_scenario``, cached per file and modification time (scenarios are immutable)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return load_scenario(path)  # raises the loader's one-line error for a missing file
    return _load(str(path), mtime)


def default_variants(scenario: Scenario) -> tuple[str, str]:
    """Baseline and the first other variant (baseline twice if the file has no other)."""
    names = variant_names(scenario)
    return names[0], names[1] if len(names) > 1 else names[0]


@dataclass
class Settings:
    """What one browser session has chosen; read by every Reset (mutable, one per session)."""

    scenario: str
    variant_a: str
    variant_b: str
    seed: int
    levers: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Settings:
        """An independent copy (its own lever mapping)."""
        return dataclasses.replace(self, levers=dict(self.levers))


class Comparison(mesa.Model):
    """Variants A and B of one scenario on one seed, stepped together.

    Args:
        settings: the session's choices; read once, here (change them, then Reset).
    """

    def __init__(self, settings: Settings):
        super().__init__(rng=settings.seed)
        self.settings = settings
        self.used = settings.copy()  # what this instance was built from
        base = load_cached(settings.scenario)
        self.scenario_a = resolve(base, settings.variant_a)
        self.scenario_b = resolve(base, settings.variant_b, override_texts(settings.levers))
        self.names = (settings.variant_a, settings.variant_b)
        self.a = AllianceModel(self.scenario_a, seed=settings.seed)
        self.b = AllianceModel(self.scenario_b, seed=settings.seed)
        self.layout = spring_layout(self.a.state.trust, seed=settings.seed)

    @property
    def horizon(self) -> int:
        """The scenario's horizon in steps (A's; the variants may not change it)."""
        return self.scenario_a.steps

    @property
    def variants(self) -> tuple[AllianceModel, AllianceModel]:
        """The two models, A first."""
        return self.a, self.b

    def step(self) -> None:
        """One step of each variant; stop at the scenario's horizon."""
        for model in self.variants:
            model.step()
        if self.a.steps >= self.horizon:
            self.running = False

    def history(self) -> pd.DataFrame:
        """Per-step outputs of both variants: columns ``(metric, "A"|"B")``, index step."""
        frames = {
            label: model.datacollector.get_model_vars_dataframe()
            for label, model in zip(("A", "B"), self.variants, strict=True)
        }
        out = pd.concat(frames, axis=1).swaplevel(axis=1)
        out.index.name = "step"
        return out

    def metrics_table(self) -> pd.DataFrame:
        """Current value of each metric for A and B and the difference B - A."""
        rows = []
        for name in TABLE_METRICS:
            a, b = getattr(self.a, name), getattr(self.b, name)
            rows.append((name, a, b))
        for name in CUMULATIVE_METRICS:
            a, b = (
                float(m.datacollector.get_model_vars_dataframe()[name].sum()) for m in self.variants
            )
            rows.append((f"{name} (total)", a, b))
        table = pd.DataFrame(rows, columns=["metric", "A", "B"]).set_index("metric")
        table = table.astype(float)
        table["B - A"] = table["B"] - table["A"]
        return table

    def events(self, limit: int = 40) -> pd.DataFrame:
        """The latest decisions, exercises, crises and accessions of both variants, newest first."""
        rows = []
        for label, model in zip(("A", "B"), self.variants, strict=True):
            for order, event in enumerate(model.events):
                if event["event"] in SHOWN_EVENTS:
                    rows.append({"order": order, "variant": label, **event})
        columns = ["step", "variant", "event", "actor", "kind", "outcome"]
        if not rows:
            return pd.DataFrame(columns=columns)
        frame = pd.DataFrame(rows).sort_values(
            ["step", "variant", "order"], ascending=[False, True, False]
        )
        for column in columns:
            if column not in frame:
                frame[column] = None
        return frame[columns].head(limit).reset_index(drop=True)

    def challenges(self, model: AllianceModel) -> list[dict[str, Any]]:
        """The adversary's challenges of this step in ``model`` (target, covered, outcome)."""
        return [
            e
            for e in model.events
            if e["step"] == model.steps and e["event"] in ("challenge", "crisis")
        ]


def trust_edges(trust: np.ndarray, mask: np.ndarray, top: int = 250) -> np.ndarray:
    """The ``top`` strongest pairs ``(i, j, w)`` among nations in ``mask`` (w: mean trust).

    Trust is directed; an edge shows the pair's mean ``(T[i, j] + T[j, i]) / 2``.
    """
    idx = np.flatnonzero(mask)
    if len(idx) < 2:
        return np.zeros((0, 3))
    sub = (trust[np.ix_(idx, idx)] + trust[np.ix_(idx, idx)].T) / 2.0
    i, j = np.triu_indices(len(idx), k=1)
    w = sub[i, j]
    keep = np.argsort(-w, kind="stable")[:top]
    return np.column_stack([idx[i[keep]], idx[j[keep]], w[keep]])
