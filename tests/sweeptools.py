"""Small sweep files for the tests, written into a temporary directory."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "scenarios" / "teaching.yaml"


def teaching_sweep(
    folder: Path, *, steps: int = 12, reps: int = 2, extra: str = "", series: bool = True
) -> Path:
    """A 2 x 2 grid on the teaching scenario (``reps`` replications of ``steps`` steps)."""
    path = folder / "sweep.yaml"
    path.write_text(
        f"""name: tiny
scenario: {TEACHING}
design: grid
replications: {reps}
steps: {steps}
seed: 7
parameters:
  exercises.tempo_per_year: {{low: 4, high: 24, num: 2}}
  consensus.rule: [unanimity, qualified_majority]
outputs: {{timeseries: {str(series).lower()}}}
{extra}"""
    )
    return path


def ishigami_sweep(
    folder: Path, method: str = "sobol", samples: int = 1024, extra: str = ""
) -> Path:
    """The Ishigami function over [-pi, pi]^3 with a Sobol, Morris or LHS design."""
    path = folder / f"ishigami_{method}.yaml"
    pi = repr(math.pi)
    ranges = "\n".join(f"  {x}: {{low: -{pi}, high: {pi}}}" for x in ("x1", "x2", "x3"))
    path.write_text(
        f"""name: ishigami
evaluator: ishigami
design: {{method: {method}, samples: {samples}}}
seed: 11
parameters:
{ranges}
{extra}"""
    )
    return path


def sorted_summary(store: Path) -> pd.DataFrame:
    """A store's summary sorted by run key (the order runs finished in is not part of a result)."""
    df = pd.read_parquet(store / "summary.parquet")
    return df.sort_values("run_key").reset_index(drop=True)
