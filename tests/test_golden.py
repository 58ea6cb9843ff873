"""Golden baseline: fresh runs must match tests/golden/*.json, written by scripts/update_golden.py.

A failure means the model's behaviour changed. If the change is intended, run
``python scripts/update_golden.py`` and say in the commit message what changed and why.
The same files are checked under Python 3.11/Mesa 3.3 and Python 3.12/Mesa 3.5 in CI, so this is
also the cross-version determinism test.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("update_golden", ROOT / "scripts/update_golden.py")
update_golden = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(update_golden)

HINT = (
    "behaviour changed; if intended, run python scripts/update_golden.py and explain in the commit"
)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("name", sorted(update_golden.CASES))
def test_matches_golden(name):
    stored = json.loads((ROOT / "tests/golden" / f"{name}.json").read_text())
    fresh = update_golden.golden_record(*update_golden.CASES[name])
    assert fresh["case"] == stored["case"]
    for key, value in stored["summary"].items():
        assert _close(fresh["summary"][key], value), f"{name}: summary {key}: {HINT}"
    for series, values in stored["series"].items():
        got = fresh["series"][series]
        bad = [i for i, (a, b) in enumerate(zip(got, values, strict=True)) if not _close(a, b)]
        assert not bad, f"{name}: {series} differs from step {bad[0]}: {HINT}"
    assert fresh["events"] == stored["events"], f"{name}: event count: {HINT}"
