"""Reading a ``run`` or ``compare`` output directory, every file checked before use.

:func:`load_results` checks the directory against its manifest (:mod:`simulation.resultdir`)
and each file against its schema (:mod:`analysis.resultfiles`), and returns the
:class:`Results` the figures and the report are drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.errors import ScenarioError
from simulation.experiment import summary_frame

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
        """The replication seeds (one per run of each variant), as checked on loading."""
        prov = self.provenance
        return list(prov.get("replication_seeds") or [prov.get("seed")])


# ------------------------------------------------------------------ loading
def load_results(directory: Path | str, *, check_manifest: bool = True) -> Results:
    """Read a ``run`` or ``compare`` output directory, checking every file before use.

    The directory must match its ``manifest.json`` (:func:`simulation.resultdir.verify`: no
    partial, mixed or edited directory) and each file its own schema
    (:mod:`analysis.resultfiles`). ``check_manifest=False`` is for the command itself, drawing
    figures into the directory it is staging, before the manifest exists.

    Raises:
        ScenarioError: the directory is missing, is not such an output directory, or a file is
            missing, differs from the manifest or breaks its schema (the CLI turns this into
            exit code 2, naming the file and the field).
    """
    from simulation.resultdir import verify

    directory = Path(directory)
    if not directory.is_dir():
        raise ScenarioError("no such directory", file=str(directory), hint=HINT)
    if not (directory / "comparison.json").is_file() and not (directory / "summary.json").is_file():
        raise ScenarioError(
            "not a run or compare output directory (no summary.json or comparison.json)",
            file=str(directory),
            hint=HINT,
        )
    if check_manifest:
        verify(directory)
    if (directory / "comparison.json").is_file():
        return _load_compare(directory)
    return _load_run(directory)


def _read_table(
    directory: Path,
    stem: str,
    seeds: list[int],
    variants: list[str] | None,
    steps: int,
    required: bool = True,
) -> pd.DataFrame | None:
    from analysis.resultfiles import MAX_TABLE_BYTES, check_table

    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = directory / f"{stem}{suffix}"
        if path.is_file():
            if path.stat().st_size > MAX_TABLE_BYTES:
                raise ScenarioError(f"over {MAX_TABLE_BYTES} bytes", file=str(path), hint=HINT)
            try:
                df = reader(path)
            except Exception as exc:  # any unreadable file is the user's input, not a bug
                raise ScenarioError(
                    f"cannot read the table: {str(exc)[:200]}", file=str(path)
                ) from None
            check_table(path, stem, df, seeds, variants, steps)
            return df
    if required:
        raise ScenarioError(f"{stem}.parquet or {stem}.csv is missing", file=str(directory))
    return None


def _final_state(directory: Path, seeds, variants, steps) -> tuple[Any, Any]:
    """The nations and pairs tables (either may be None), checked against each other."""
    from analysis.resultfiles import check_pairs_match

    nations = _read_table(directory, "nations", seeds, variants, steps, required=False)
    pairs = _read_table(directory, "pairs", seeds, variants, steps, required=False)
    if nations is not None and pairs is not None:
        keys = ["variant", "replication"] if variants else ["replication"]
        check_pairs_match(directory / "pairs", pairs, nations, keys)
    return nations, pairs


def _load_compare(directory: Path) -> Results:
    from analysis.resultfiles import check_comparison, read_json

    path = directory / "comparison.json"
    meta = read_json(path)
    variants, seeds = check_comparison(path, meta)
    steps = meta["provenance"]["steps"]
    nations, pairs = _final_state(directory, seeds, variants, steps)
    return Results(
        directory=directory,
        kind="compare",
        title=f"{meta.get('scenario') or 'Scenario'}: {' vs '.join(variants)}",
        provenance={**meta["provenance"], "replication_seeds": seeds},
        variants=variants,
        timeseries=_read_table(directory, "timeseries", seeds, variants, steps),
        events=_read_table(directory, "events", seeds, variants, steps),
        summaries=_read_table(directory, "summaries", seeds, variants, steps),
        nations=nations,
        pairs=pairs,
        differences=_read_table(directory, "differences", seeds, variants, steps),
        confidence=float(meta.get("confidence", 0.95)),
    )


def _load_run(directory: Path) -> Results:
    from analysis.resultfiles import check_summary, read_json

    summary = read_json(directory / "summary.json")
    seeds = check_summary(directory / "summary.json", summary)
    prov = summary["provenance"]
    steps = prov["steps"]
    runs = summary.get("replications") or [summary]
    rows = [
        {"replication": k, "seed": r["provenance"].get("seed"), **r} for k, r in enumerate(runs)
    ]
    nations, pairs = _final_state(directory, seeds, None, steps)
    results = Results(
        directory=directory,
        kind="run",
        title=f"{_scenario_name(directory, prov)} [{prov.get('variant')}]",
        provenance=prov,
        variants=[str(prov.get("variant"))],
        timeseries=_read_table(directory, "timeseries", seeds, None, steps),
        events=_read_table(directory, "events", seeds, None, steps),
        summaries=summary_frame(rows),
        nations=nations,
        pairs=pairs,
    )
    if results.nations is None or results.pairs is None:
        _rerun_final_state(results)
    return results


def _scenario_name(directory: Path, prov: dict[str, Any]) -> str:
    """The scenario's name from ``scenario.resolved.yaml``, read by the bounded loader."""
    from simulation.yamlfile import read_yaml

    path = directory / "scenario.resolved.yaml"
    try:
        data, _ = read_yaml(path)
        name = data.get("name") if isinstance(data, dict) else None
    except (OSError, ScenarioError):
        name = None
    if not isinstance(name, str):
        name = None
    return str(name or Path(str(prov.get("scenario_file", "scenario"))).stem)


def _rerun_final_state(results: Results) -> None:
    """A directory without the per-nation tables: rebuild them from the first run.

    The re-run stays within what the directory asked for and the scenario caps: the scenario is
    re-read through the strict loader (its own bounds), the steps are the provenance's (checked
    to be at most the scenario cap and equal to the scenario's), and the nations at most
    :data:`analysis.resultfiles.MAX_NATIONS`.
    """
    from analysis.resultfiles import MAX_NATIONS
    from analysis.snapshots import snapshots
    from simulation.scenario import load_scenario

    path = results.directory / "scenario.resolved.yaml"
    if not path.is_file():
        results.notes.append("No per-nation tables and no scenario.resolved.yaml: skipped.")
        return
    seed, steps = results.seeds[0], int(results.provenance["steps"])
    scenario = load_scenario(path)
    if scenario.steps != steps:
        raise ScenarioError(
            f"{steps} differs from the steps of scenario.resolved.yaml ({scenario.steps})",
            file=str(results.directory / "summary.json"),
            field="provenance.steps",
            hint="re-run the command that wrote this directory",
        )
    if len(scenario.nations) > MAX_NATIONS:
        raise ScenarioError(
            f"more than {MAX_NATIONS} nations to re-run", file=str(path), field="nations"
        )
    nations, pairs = snapshots(scenario, seed, [steps])
    results.nations = nations.drop(columns="step").assign(replication=0)
    results.pairs = pairs.drop(columns="step").assign(replication=0)
    results.notes.append(
        f"Per-nation figures re-ran the first replication (seed {seed}) from "
        "scenario.resolved.yaml: this directory has no nations/pairs tables."
    )
