"""Run a scenario: one run or replications, with a summary and provenance.

``run(scenario, steps=None, seed=None, variant=None, replications=1)`` returns a
:class:`RunResult` with ``.summary`` (the dict that ``alliance-sim run --json`` prints),
``.timeseries`` (one row per replication and step, one column per metric) and ``.events``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import platform
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.errors import ScenarioError
from simulation.mechanisms.crises import COUNTS as CRISIS_COUNTS
from simulation.rng import replication_seeds
from simulation.scenario import resolve
from simulation.schema import Scenario

FINAL_KEYS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "deterrence",
    "consensus_rate",
    "decision_latency",
    "defence_share_mean",
    "burden_size_correlation",
    "members",
    "credibility",
    "interest_alignment",
    "readiness_mean",
    "aggression",
    "adversary_threat",
    "mean_dilution",
)
"""Summary keys taken from the final step (DESIGN 3.3 first, then mechanism-specific ones)."""

TOTAL_KEYS = {
    "challenges": "challenges",
    "crises": "crises",
    "crises_deterred": "crises_deterred",
    "crises_defended": "crises_defended",
    "crises_conceded": "crises_conceded",
    "proposals": "proposals",
    "proposals_adopted": "adopted",
    "exercises": "exercises",
    "hybrid_campaigns": "hybrid_campaigns",
    **{name: name for name, _ in CRISIS_COUNTS if name not in ("challenges", "crises")},
}
"""Summary keys that total a per-step count over the run (summary key -> timeseries column)."""

ADVERSARY_KEYS = ("deterrence", "credibility", *(name for name, _ in CRISIS_COUNTS))
"""Summary keys that are ``null`` for a scenario without an adversary (nothing to deter)."""


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


def run(
    scenario: Scenario,
    *,
    steps: int | None = None,
    seed: int | None = None,
    variant: str | None = None,
    replications: int = 1,
    overrides: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
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
        progress: called with the number of steps done after each step (for progress bars).
    """
    overrides = tuple(overrides)
    if variant is not None or overrides:
        scenario = resolve(scenario, variant or scenario.variant, overrides)
    horizon = scenario.steps if steps is None else int(steps)
    if horizon < 1:
        raise ScenarioError("steps must be at least 1", field="steps")
    if replications < 1:
        raise ScenarioError("replications must be at least 1", field="replications")
    root = scenario.seed if seed is None else int(seed)
    if not 0 <= root < 2**63:
        raise ScenarioError("seed must be an integer from 0 to 2**63 - 1", field="seed")
    if (horizon, root) != (scenario.steps, scenario.seed):  # record what actually ran
        raw = {**scenario.raw, "steps": horizon, "seed": root}
        scenario = dataclasses.replace(scenario, steps=horizon, seed=root, raw=raw)
    seeds = replication_seeds(root, replications)
    summaries: list[dict[str, Any]] = []
    tables: dict[str, list[pd.DataFrame]] = {k: [] for k in TABLES}
    for rep, rep_seed in enumerate(seeds):
        out = run_once(scenario, horizon, rep_seed, progress=progress)
        summaries.append(out.pop("summary"))
        for name, df in out.items():
            df.insert(0, "replication", rep)
            df.insert(1, "seed", rep_seed)
            tables[name].append(df)
    summary = summaries[0] if replications == 1 else _mean_summary(summaries, root)
    return RunResult(
        summary=summary,
        scenario=scenario,
        **{name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()},
    )


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
        for done in range(1, steps + 1):
            model.step()
            if progress is not None:
                progress(done)
        ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        ts.insert(0, "step", np.arange(len(ts)))
        ts.insert(1, "year", scenario.start_year + ts["step"] * scenario.step_months / 12.0)
        events = pd.DataFrame(model.events, columns=_EVENT_COLUMNS)
        summary: dict[str, Any] = {k: _number(ts[k].iloc[-1]) for k in FINAL_KEYS}
        summary.update({k: int(ts[col].sum()) for k, col in TOTAL_KEYS.items()})
        if not model.state.adversary.any():  # no adversary: no challenge could be made
            summary.update(dict.fromkeys(ADVERSARY_KEYS))
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


def _number(value: Any) -> float | int | None:
    if isinstance(value, np.integer | int) and not isinstance(value, bool):
        return int(value)
    value = float(value)
    return None if math.isnan(value) else value


def _mean_summary(summaries: list[dict[str, Any]], root_seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in summaries[0].items():
        if key == "provenance":
            continue
        values = [s[key] for s in summaries if s[key] is not None]
        out[key] = float(np.mean(values)) if values and isinstance(value, int | float) else None
    prov = dict(summaries[0]["provenance"])
    prov["seed"] = root_seed
    prov["replication_seeds"] = [s["provenance"]["seed"] for s in summaries]
    out["provenance"] = prov
    out["replications"] = summaries
    return out


def provenance(scenario: Scenario, seed: int, steps: int) -> dict[str, Any]:
    """Where a result came from: versions, commit, scenario file hash, seed, variant, steps."""
    import mesa

    from simulation import __version__

    return {
        "package": "alliance-sim",
        "version": __version__,
        "git_commit": git_commit(),
        "scenario_file": scenario.source_file,
        "scenario_sha256": scenario.source_sha256,
        "resolved_sha256": _resolved_hash(scenario),
        "variant": scenario.variant,
        "seed": int(seed),
        "steps": int(steps),
        "python": platform.python_version(),
        "mesa": mesa.__version__,
        "numpy": np.__version__,
    }


def _resolved_hash(scenario: Scenario) -> str:
    """Hash of the scenario as run, with its variant and overrides applied.

    The defaults of unset fields come with the package version, recorded beside it.
    """
    body = json.dumps(scenario.raw, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


@cache
def git_commit() -> str | None:
    """The commit of the source tree this package runs from, if it is a git checkout."""
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
