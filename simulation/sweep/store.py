"""The sweep store: one directory per sweep, written as runs finish, safe to kill at any moment.

Layout::

    manifest.json              provenance and state (simulation.sweep.manifest)
    design.parquet             the design: point, one column per parameter
    summary.parquet            one row per finished run (after compaction)
    summary/part-NNNNNN.parquet     batches of rows not compacted yet
    timeseries/part-NNNNNN.parquet  per-step rows of the runs of batch NNNNNN (when kept)
    nations/part-NNNNNN.parquet     final per-nation rows (when kept)

A batch is committed by writing each file to a temporary name and renaming it (``os.replace``,
atomic on POSIX); its table parts are written before its summary part, and the summary part is the
commit. A sweep killed at any moment (SIGKILL included) loses only the runs whose batch was not yet
committed. Compaction folds the summary parts into ``summary.parquet`` (written atomically first,
then the parts removed); readers drop duplicate run keys, so a kill between the two steps is
harmless. On reopening, table parts whose runs never reached a summary are removed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.errors import ScenarioError

MANIFEST = "manifest.json"
TABLES = ("timeseries", "nations")
_PART = re.compile(r"part-(\d{6})\.parquet$")


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a sweep store (a directory with a sweep manifest)."""
    try:
        return json.loads((Path(path) / MANIFEST).read_text()).get("kind") == "alliance-sim sweep"
    except (OSError, ValueError, AttributeError):
        return False


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` to ``path`` atomically."""
    _atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_json(data: Any, path: Path) -> None:
    """Write ``data`` as indented JSON to ``path`` atomically."""
    _atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str) + "\n"))


class SweepStore:
    """A sweep directory opened for reading or writing."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    # --- creating and opening -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, manifest: dict, design: pd.DataFrame) -> SweepStore:
        """Start a new store at ``path`` (an existing store there is replaced)."""
        store = cls(path)
        if store.path.exists() and not store.path.is_dir():
            raise ScenarioError(f"{store.path} exists and is not a directory", field="--out")
        if store.path.exists() and any(store.path.iterdir()) and not is_store(store.path):
            raise ScenarioError(
                f"{store.path} is not empty and holds no sweep",
                field="--out",
                hint="give a new or empty directory",
            )
        try:
            if is_store(store.path):
                old = ("summary.parquet", "design.parquet", MANIFEST, "summary", *TABLES)
                for name in (*old, "report.md", "figures", "sensitivity"):
                    target = store.path / name
                    shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
            store.path.mkdir(parents=True, exist_ok=True)
            (store.path / "summary").mkdir(exist_ok=True)
        except OSError as exc:
            raise ScenarioError(
                f"cannot write {store.path} ({exc.strerror})", field="--out"
            ) from None
        write_parquet(design, store.path / "design.parquet")
        store.write_manifest(manifest)
        return store

    def manifest(self) -> dict[str, Any]:
        """The store's manifest."""
        return json.loads((self.path / MANIFEST).read_text())

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        write_json(manifest, self.path / MANIFEST)

    def design(self) -> pd.DataFrame:
        """The design table."""
        return pd.read_parquet(self.path / "design.parquet")

    # --- writing ---------------------------------------------------------------------------
    def _parts(self, folder: str) -> list[Path]:
        d = self.path / folder
        return (
            sorted(p for p in d.glob("part-*.parquet") if _PART.search(p.name))
            if d.is_dir()
            else []
        )

    def _next_part(self) -> int:
        numbers = [
            int(_PART.search(p.name).group(1)) for t in ("summary", *TABLES) for p in self._parts(t)
        ]
        return max(numbers, default=0) + 1

    def commit(self, rows: list[dict[str, Any]], tables: dict[str, pd.DataFrame]) -> None:
        """Write one batch: its tables, then its summary rows (the commit)."""
        if not rows:
            return
        number = self._next_part()
        for name, table in tables.items():
            (self.path / name).mkdir(exist_ok=True)
            write_parquet(table, self.path / name / f"part-{number:06d}.parquet")
        write_parquet(pd.DataFrame(rows), self.path / "summary" / f"part-{number:06d}.parquet")

    def compact(self) -> None:
        """Fold the summary parts into ``summary.parquet``; remove the parts."""
        parts = self._parts("summary")
        if not parts:
            return
        write_parquet(self.summary(), self.path / "summary.parquet")
        for part in parts:
            part.unlink()

    def drop_orphans(self) -> None:
        """Remove table parts whose runs have no summary row (killed before their commit)."""
        done = self.done_keys()
        for name in TABLES:
            for part in self._parts(name):
                keys = pd.read_parquet(part, columns=["run_key"])["run_key"]
                if not keys.isin(done).all():
                    part.unlink()

    # --- reading ---------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """Every committed run, one row each (first commit wins), in commit order."""
        frames = [pd.read_parquet(p) for p in self._summary_files()]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=["run_key", "status"])
        df = pd.concat(frames, ignore_index=True)
        return df.drop_duplicates("run_key", keep="first").reset_index(drop=True)

    def _summary_files(self) -> list[Path]:
        whole = self.path / "summary.parquet"
        return ([whole] if whole.exists() else []) + self._parts("summary")

    def done_keys(self) -> set[str]:
        """Run keys already committed."""
        keys: set[str] = set()
        for p in self._summary_files():
            keys.update(pd.read_parquet(p, columns=["run_key"])["run_key"])
        return keys

    def table(self, name: str) -> pd.DataFrame:
        """A kept table (``timeseries`` or ``nations``) of the committed runs; empty if not kept."""
        frames = [pd.read_parquet(p) for p in self._parts(name)]
        if not frames:
            return pd.DataFrame()
        df = pd.concat(frames, ignore_index=True)
        return df[df["run_key"].isin(self.done_keys())].reset_index(drop=True)


def target_columns(rows: Iterable[dict[str, Any]], targets) -> None:
    """Add each target's distance (``|value - observed| / tolerance``) and ``meets_targets``."""
    for row in rows:
        meets = bool(targets)
        for t in targets:
            value = row.get(t.metric)
            distance = None if value is None else abs(value - t.observed) / t.tolerance
            row[f"target_{t.metric}"] = distance
            meets = meets and distance is not None and distance <= 1.0
        if targets:
            row["meets_targets"] = meets
