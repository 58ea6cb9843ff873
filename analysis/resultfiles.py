"""The files of a results directory, checked against their own schema before anything uses them.

``report`` reads directories that may have been edited by hand, copied from elsewhere or written
by a hostile party. Each file is checked here before use, and any fault is a
:class:`~simulation.errors.ScenarioError` naming the file and the field (exit code 2), never a
traceback, a hang or a silent wrong answer:

* ``summary.json`` (``run``): a JSON object of at most :data:`MAX_JSON_BYTES`; finite numbers or
  null for the metrics; a ``provenance`` object whose ``seed`` is an integer in ``[0, 2**63)``,
  whose ``steps`` is an integer in ``[1, MAX_STEPS]`` (the scenario cap) and whose texts are
  strings; with replications, ``provenance.replication_seeds`` is a list of such integers, one
  per entry of ``replications`` (each an object with the same keys and its own seed).
* ``comparison.json`` (``compare``): two or more distinct variant names, ``replications`` equal
  to the number of ``replication_seeds``, ``steps``, ``seed`` and ``confidence`` in range, and a
  provenance that agrees.
* each table: the required columns (:data:`COLUMNS`) with numeric or text types as written; every
  run key (``variant``, ``replication``, ``seed``) one of the runs the provenance names;
  ``timeseries`` with ``steps`` rows for each of those runs; ``summaries`` one row per run;
  ``pairs`` ``n(n-1)`` rows per run for the ``n`` nations of ``nations`` (at most
  :data:`MAX_NATIONS`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.errors import ScenarioError
from simulation.limits import (
    MAX_NATIONS,
    MAX_REPLICATIONS,
    MAX_SCALAR_CHARS,
    MAX_SEED,
    MAX_STEPS,
)
from simulation.statistics import DIFFERENCE_COLUMNS

MAX_JSON_BYTES = 32 << 20
"""Largest ``summary.json`` / ``comparison.json`` read."""
MAX_TABLE_BYTES = 2 << 30
"""Largest table file read."""
# Counts and lengths a results directory may claim: the same bounds as its scenario and command
# line (simulation.limits), so a file cannot ask for more than a run could have made.
MAX_TEXT = MAX_SCALAR_CHARS
"""Longest text field of a provenance."""

HINT = "re-run the command that wrote this directory"

NUM, INT, TEXT = "number", "integer", "text"
COLUMNS: dict[str, dict[str, str]] = {
    "timeseries": {"step": INT, "year": NUM, "cohesion": NUM},
    "events": {"step": INT, "year": NUM, "event": TEXT, "kind": TEXT, "outcome": TEXT},
    "nations": {"iso3": TEXT, "name": TEXT, "role": TEXT, "gdp_busd": NUM, "capability_busd": NUM},
    "pairs": {"from": TEXT, "to": TEXT, "trust": NUM, "interoperability": NUM, "alignment": NUM},
    "summaries": {},
    "differences": {
        c: (TEXT if c in ("variant", "reference", "metric") else INT if c == "n" else NUM)
        for c in DIFFERENCE_COLUMNS
    },
}
"""Required columns of each table (besides the run keys) and their kind."""
NUMERIC_ONLY = ("timeseries", "summaries")
"""Tables whose every other column must be numeric too (they are plotted or averaged)."""


def _fail(path: Path, field: str | None, problem: str) -> ScenarioError:
    return ScenarioError(problem, file=str(path), field=field, hint=HINT)


# ------------------------------------------------------------------ JSON files
def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, bounded in size and depth."""
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise _fail(path, None, f"{size} bytes, over the limit of {MAX_JSON_BYTES}")
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, ValueError, RecursionError) as exc:
        raise _fail(path, None, f"not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(data, dict):
        raise _fail(path, None, f"a JSON object expected, found {type(data).__name__}")
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _int(path: Path, field: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _fail(path, field, f"{_show(value)}: an integer from {lo} to {hi} expected")
    return value


def _text(path: Path, field: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise _fail(
            path, field, f"{_show(value)}: a text of at most {MAX_TEXT} characters expected"
        )


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str | bytes) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _seeds(path: Path, field: str, value: Any) -> list[int]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_REPLICATIONS:
        raise _fail(
            path, field, f"{_show(value)}: a list of 1 to {MAX_REPLICATIONS} seeds expected"
        )
    return [_int(path, f"{field}[{k}]", s, 0, MAX_SEED) for k, s in enumerate(value)]


def check_provenance(path: Path, prov: Any, field: str = "provenance") -> dict[str, Any]:
    """The common provenance fields: texts, seed, steps; return ``prov``."""
    if not isinstance(prov, dict):
        raise _fail(path, field, f"{_show(prov)}: an object expected")
    _int(path, f"{field}.seed", prov.get("seed"), 0, MAX_SEED)
    _int(path, f"{field}.steps", prov.get("steps"), 1, MAX_STEPS)
    _text(path, f"{field}.scenario_file", prov.get("scenario_file"), optional=True)
    for key in ("version", "git_commit", "scenario_sha256", "python", "mesa", "numpy"):
        _text(path, f"{field}.{key}", prov.get(key), optional=True)
    hashes = prov.get("resolved_sha256")  # one per variant in a comparison
    for key, value in hashes.items() if isinstance(hashes, dict) else [("", hashes)]:
        _text(path, f"{field}.resolved_sha256{'.' if key else ''}{key}", value, optional=True)
    return prov


def _metrics(path: Path, data: dict[str, Any], field: str, skip: tuple[str, ...]) -> None:
    for key, value in data.items():
        if key in skip:
            continue
        finite = isinstance(value, int | float) and math.isfinite(value)
        if value is not None and (isinstance(value, bool) or not finite):
            raise _fail(path, f"{field}{key}", f"{_show(value)}: a finite number or null expected")


def check_summary(path: Path, data: dict[str, Any]) -> list[int]:
    """Check a ``summary.json``; return the replication seeds (one per run)."""
    prov = check_provenance(path, data.get("provenance"))
    _text(path, "provenance.variant", prov.get("variant"))
    _metrics(path, data, "", ("provenance", "replications"))
    reps = data.get("replications")
    if reps is None and "replication_seeds" not in prov:
        return [prov["seed"]]
    seeds = _seeds(path, "provenance.replication_seeds", prov.get("replication_seeds"))
    if not isinstance(reps, list) or len(reps) != len(seeds):
        raise _fail(path, "replications", f"a list of {len(seeds)} run summaries expected")
    for k, (rep, seed) in enumerate(zip(reps, seeds, strict=True)):
        if not isinstance(rep, dict):
            raise _fail(path, f"replications[{k}]", f"{_show(rep)}: an object expected")
        sub = check_provenance(path, rep.get("provenance"), f"replications[{k}].provenance")
        if sub["seed"] != seed:
            raise _fail(path, f"replications[{k}].provenance.seed", f"{sub['seed']} != {seed}")
        _metrics(path, rep, f"replications[{k}].", ("provenance",))
    return seeds


def check_comparison(path: Path, data: dict[str, Any]) -> tuple[list[str], list[int]]:
    """Check a ``comparison.json``; return the variants and the replication seeds."""
    prov = check_provenance(path, data.get("provenance"))
    variants = data.get("variants")
    if (
        not isinstance(variants, list)
        or not 2 <= len(variants) <= 100
        or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in variants)
        or len(set(variants)) != len(variants)
    ):
        raise _fail(path, "variants", f"{_show(variants)}: 2 to 100 distinct names expected")
    if prov.get("variants") not in (None, variants):
        raise _fail(path, "provenance.variants", "differs from variants")
    seeds = _seeds(path, "replication_seeds", data.get("replication_seeds"))
    _int(path, "replications", data.get("replications"), len(seeds), len(seeds))
    if prov.get("replication_seeds", seeds) != seeds:
        raise _fail(path, "provenance.replication_seeds", "differs from replication_seeds")
    _int(path, "steps", data.get("steps"), prov["steps"], prov["steps"])
    confidence = data.get("confidence", 0.95)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise _fail(path, "confidence", f"{_show(confidence)}: a number expected")
    if not 0 < confidence < 1:
        raise _fail(path, "confidence", f"{confidence}: must be between 0 and 1")
    _text(path, "scenario", data.get("scenario"), optional=True)
    return variants, seeds


# ------------------------------------------------------------------ tables
def check_table(
    path: Path,
    name: str,
    df: pd.DataFrame,
    seeds: list[int],
    variants: list[str] | None,
    steps: int,
) -> None:
    """Check one table's columns, types and run keys against the provenance."""
    keys = {"replication": INT, "seed": INT} | ({"variant": TEXT} if variants else {})
    need = keys | COLUMNS[name] if name != "differences" else COLUMNS[name]
    for column, kind in need.items():
        if column not in df.columns:
            raise _fail(path, column, f"required column missing (a {name} table has {kind}s here)")
        _check_kind(path, df, column, kind)
    if name in NUMERIC_ONLY:
        for column in df.columns:
            if column not in need and column != "variant":
                _check_kind(path, df, column, NUM)
    if name == "differences":
        _check_values(path, df, "variant", set((variants or [])[1:]))
        _check_values(path, df, "reference", set((variants or [])[:1]))
        return
    _check_runs(path, name, df, seeds, variants)
    runs = len(seeds) * len(variants or [None])
    if name == "timeseries":
        _check_counts(path, df, keys, {steps + 1}, f"{steps + 1} rows (steps 0 to {steps})", runs)
    elif name == "summaries":
        _check_counts(path, df, keys, {1}, "one row", runs)
    elif name == "nations":
        counts = df.groupby(list(keys), sort=False).size()
        if len(counts) and counts.max() > MAX_NATIONS:
            raise _fail(path, "iso3", f"more than {MAX_NATIONS} nations in a run")


def check_pairs_match(path: Path, pairs: pd.DataFrame, nations: pd.DataFrame, keys: list[str]):
    """``pairs`` holds ``n(n-1)`` rows for each run of ``nations`` with ``n`` nations."""
    n = nations.groupby(keys, sort=False).size()
    m = pairs.groupby(keys, sort=False).size()
    want = (n * (n - 1)).reindex(m.index)
    if not m.index.isin(n.index).all() or not (m == want).all():
        raise _fail(path, "from", "row count differs from n(n-1) for the nations of each run")


def _check_kind(path: Path, df: pd.DataFrame, column: str, kind: str) -> None:
    series = df[column]
    if series.empty:
        return
    if kind == TEXT:
        ok = series.dtype == object or pd.api.types.is_string_dtype(series)
        ok = ok and series.map(lambda v: v is None or isinstance(v, str) or v != v).all()
    elif kind == INT:
        ok = pd.api.types.is_integer_dtype(series)
    else:
        ok = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        ok = ok and not series.isin([math.inf, -math.inf]).any()
    if not ok:
        raise _fail(path, column, f"{kind}s expected, found {series.dtype} values")


def _check_values(path: Path, df: pd.DataFrame, column: str, allowed: set[Any]) -> None:
    bad = set(df[column].unique()) - allowed
    if bad:
        raise _fail(path, column, f"{_show(sorted(map(str, bad))[0])} is not one of the runs")


def _check_runs(path, name, df, seeds: list[int], variants: list[str] | None) -> None:
    replications = df["replication"]
    if len(df) and (replications.min() < 0 or replications.max() >= len(seeds)):
        raise _fail(path, "replication", f"must be from 0 to {len(seeds) - 1}")
    if (
        len(df)
        and not (df["seed"].to_numpy() == pd.Series(seeds).iloc[replications].to_numpy()).all()
    ):
        raise _fail(path, "seed", "differs from the seed the provenance gives that replication")
    if variants:
        _check_values(path, df, "variant", set(variants))


def _check_counts(path, df, keys: dict[str, str], allowed: set[int], what: str, runs: int):
    counts = df.groupby(list(keys), sort=False).size()
    if len(counts) != runs:
        raise _fail(path, "rows", f"{len(counts)} runs found, the provenance names {runs}")
    if not set(counts.unique()) <= allowed:
        raise _fail(path, "rows", f"each run should have {what}; found {sorted(set(counts))[:3]}")
