"""Run a scenario: one run or replications, with a summary and provenance.

``run(scenario, steps=None, seed=None, variant=None, replications=1)`` returns a
:class:`RunResult` with ``.summary`` (the dict that ``alliance-sim run --json`` prints),
``.timeseries`` (one row per replication and step, one column per metric) and ``.events``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.errors import ScenarioError
from simulation.limits import MAX_REPLICATIONS, MAX_SEED, MAX_STEPS
from simulation.provenance import provenance
from simulation.rng import iter_replication_seeds
from simulation.scenario import resolve
from simulation.schema import Scenario
from simulation.summary import (  # noqa: F401 (re-exported)
    ADVERSARY_KEYS,
    FINAL_KEYS,
    MAY_BE_MISSING,
    TOTAL_KEYS,
    adversary_keys,
    check_finite,
    mean_summary,
    run_summary,
    summarise,
    window_steps,
)


@dataclass
class RunResult:
    """What a run returns: the summary dict and tidy tables."""

    summary: dict[str, Any]
    timeseries: pd.DataFrame
    events: pd.DataFrame
    scenario: Scenario
    nations: pd.DataFrame
    """Final per-nation state, one row per replication and nation."""
    pairs: pd.DataFrame
    """Final trust and interoperability, one row per replication and ordered pair of nations."""

    def __repr__(self) -> str:
        from simulation.display import HEADLINE, short

        prov = self.summary["provenance"]
        reps = len(self.summary.get("replications") or [None])
        head = ", ".join(f"{k}={short(self.summary.get(k))}" for k in HEADLINE)
        return (
            f"RunResult({self.scenario.name!r}, variant={prov['variant']!r}, "
            f"steps={prov['steps']}, replications={reps}, seed={prov['seed']}: {head})"
        )

    def _repr_html_(self) -> str:
        from simulation.display import html_table, short

        rows = [
            (k, short(v))
            for k, v in self.summary.items()
            if k not in ("provenance", "replications")
        ]
        prov = self.summary["provenance"]
        return html_table(
            f"{self.scenario.name} [{prov['variant']}], {prov['steps']} steps",
            rows,
            "final-step values and run totals"
            + (" (means over replications)" if "replications" in self.summary else "")
            + "; tables: .timeseries, .events, .nations, .pairs; .to_frame() for long format",
        )

    def to_frame(self, table: str = "timeseries") -> pd.DataFrame:
        """A table in long format (``replication, seed, step, year, metric, value``).

        ``table`` is one of :data:`TABLES` (``timeseries`` by default); ``nations`` and
        ``pairs`` keep their identity columns and melt the numeric ones.
        """
        from simulation.display import long_frame

        if table not in TABLES:
            raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
        frame = getattr(self, table)
        if table in ("nations", "pairs"):
            ids = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
            ids = ["replication", "seed", *ids]
            return frame.melt(id_vars=ids, var_name="metric", value_name="value")
        return long_frame(frame)

    def plot(self, metrics: Iterable[str] | None = None, **kwargs: Any) -> Any:
        """The overview figure (cohesion, deterrence, ...) as a matplotlib Figure.

        Needs :mod:`analysis` (imported now, not with :mod:`simulation`); ``kwargs`` go to
        :func:`analysis.plots.overview_figure`.
        """
        from simulation.display import analysis

        plots = analysis("plots")
        return plots.overview_figure(
            self.timeseries,
            tuple(metrics) if metrics is not None else plots.OVERVIEW_METRICS,
            title=kwargs.pop("title", f"{self.scenario.name} [{self.scenario.variant}]"),
            events=kwargs.pop("events", self.events),
            **kwargs,
        )

    def save(self, directory: str | Path, *, plots: bool = True) -> list[Path]:
        """Write the files ``alliance-sim run --out DIR`` writes; return their paths.

        Tables, summary and resolved scenario through :func:`simulation.results.write_run`
        (the CLI's writer, all-or-nothing), with the overview figure unless ``plots`` is false.
        """
        from simulation.display import analysis
        from simulation.results import write_run

        def figures(stage: Path) -> list[Path]:
            return analysis("figures").write_run_figures(self, stage)

        return write_run(self, Path(directory), extra=figures if plots else None)


def run(
    scenario: Scenario,
    *,
    steps: int | None = None,
    seed: int | None = None,
    variant: str | None = None,
    replications: int = 1,
    overrides: Iterable[str] = (),
    progress: bool | Callable[[int], None] | None = None,
) -> RunResult:
    """Run a scenario (optionally a variant, with overrides) for one or more replications.

    Args:
        scenario: as returned by :func:`simulation.load_scenario`.
        steps: horizon; defaults to the scenario's ``steps``.
        seed: root seed; defaults to the scenario's ``seed``. One run uses it as given;
            replications use seeds spawned from it (each recorded in its provenance).
        variant: a variant named in the scenario file; ``baseline`` (the file) by default.
        replications: number of independent runs; the summary holds the mean of each key and a
            ``replications`` list with each run's own summary.
        overrides: ``path.to.field=VALUE`` strings applied after the variant.
        progress: ``True`` for a progress bar (tqdm), or a callable called with the number of
            steps done after each step.
    """
    overrides = tuple(overrides)
    if variant is not None or overrides:
        scenario = resolve(scenario, variant or scenario.variant, overrides)
    horizon = scenario.steps if steps is None else int(steps)
    root = scenario.seed if seed is None else int(seed)
    check_counts(horizon, replications, root)
    if (horizon, root) != (scenario.steps, scenario.seed):  # record what actually ran
        raw = {**scenario.raw, "steps": horizon, "seed": root}
        scenario = dataclasses.replace(scenario, steps=horizon, seed=root, raw=raw)
    summaries: list[dict[str, Any]] = []
    tables: dict[str, list[pd.DataFrame]] = {k: [] for k in TABLES}
    from simulation.display import progress_bar

    with progress_bar(progress, horizon * replications, scenario.name) as tick:
        for rep, rep_seed in enumerate(iter_replication_seeds(root, replications)):
            out = run_once(scenario, horizon, rep_seed, progress=tick)
            summaries.append(out.pop("summary"))
            for name, df in out.items():
                df.insert(0, "replication", rep)
                df.insert(1, "seed", rep_seed)
                tables[name].append(df)
    summary = summaries[0] if replications == 1 else mean_summary(summaries, root)
    return RunResult(
        summary=summary,
        scenario=scenario,
        **{name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()},
    )


def check_counts(steps: int, replications: int, seed: int) -> None:
    """Refuse a horizon, replication count or root seed outside :mod:`simulation.limits`."""
    for name, value, lo, hi in (
        ("steps", steps, 1, MAX_STEPS),
        ("replications", replications, 1, MAX_REPLICATIONS),
        ("seed", seed, 0, MAX_SEED),
    ):
        if not lo <= value <= hi:
            raise ScenarioError(f"{value} is out of range", field=name, hint=f"from {lo} to {hi}")


TABLES = ("timeseries", "events", "nations", "pairs")
"""The tidy tables of a run, each with ``replication`` and ``seed`` as first columns."""


def run_once(
    scenario: Scenario,
    steps: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """One run of a resolved scenario: ``summary`` and the tables named in ``TABLES``."""
    from simulation.model import AllianceModel  # Mesa is imported only when a model runs

    model = AllianceModel(scenario, seed=seed)
    try:
        # Overflow from extreme combinations of parameters is reported once, as one line, by
        # check_finite below, not as numpy warnings on every step (numbers are unchanged).
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for done in range(1, steps + 1):
                model.step()
                if progress is not None:
                    progress(done)
        ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        ts.insert(0, "step", np.arange(len(ts)))
        ts.insert(1, "year", scenario.start_year + ts["step"] * scenario.step_months / 12.0)
        events = pd.DataFrame(model.events, columns=_EVENT_COLUMNS)
        summary = run_summary(model, ts, scenario, steps)
        summary["provenance"] = provenance(scenario, seed, steps)
        return {
            "summary": summary,
            "timeseries": ts,
            "events": events,
            "nations": nations_table(model),
            "pairs": pairs_table(model),
        }
    finally:
        _release(model)


_EVENT_COLUMNS = [
    "step",
    "year",
    "event",
    "kind",
    "actor",
    "participants",
    "outcome",
    "rounds",
    "latency_days",
    "dilution",
    "support_share",
    "cost_busd",
    "response",
]


def nations_table(model: Any) -> pd.DataFrame:
    """Final per-nation state: identity, role, economy, military and trust given/received."""
    s = model.state
    others = np.ones((s.n, s.n), dtype=bool)
    np.fill_diagonal(others, False)
    member_cols = others & s.member[None, :]
    member_rows = others & s.member[:, None]
    given = np.where(member_cols, s.trust, np.nan)
    received = np.where(member_rows, s.trust, np.nan)
    with np.errstate(invalid="ignore"):
        return pd.DataFrame(
            {
                "iso3": s.iso3,
                "name": s.names,
                "role": [str(r) for r in s.role],
                "gdp_busd": s.gdp,
                "defence_share_pct": s.defence_share * 100.0,
                "capability_busd": s.capability,
                "readiness": s.readiness,
                "threat": s.threat,
                "influence": s.influence,
                "resolve": s.resolve,
                "engagement": s.engagement,
                "p_fail": s.p_fail,
                "trust_given_members": _nanmean_rows(given),
                "trust_received_members": _nanmean_rows(received.T),
            }
        )


def _nanmean_rows(matrix: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(matrix)).sum(axis=1)
    sums = np.nansum(matrix, axis=1)
    return np.divide(sums, counts, out=np.full(len(counts), np.nan), where=counts > 0)


def pairs_table(model: Any) -> pd.DataFrame:
    """Final trust (directed: ``from`` trusts ``to``) and interoperability, one row per pair."""
    s = model.state
    i, j = np.nonzero(~np.eye(s.n, dtype=bool))
    iso = np.array(s.iso3)
    return pd.DataFrame(
        {
            "from": iso[i],
            "to": iso[j],
            "trust": s.trust[i, j],
            "interoperability": s.interop[i, j],
            "alignment": s.alignment[i, j],
        }
    )


def _release(model: Any) -> None:
    """Drop Mesa 3.3's class-level reference to a finished model (Mesa #3179 leak)."""
    import mesa

    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)
