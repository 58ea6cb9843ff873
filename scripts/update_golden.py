"""Regenerate the golden baseline in ``tests/golden/`` (the only way it should change).

Usage: ``python scripts/update_golden.py`` and commit the result with the reason in the message
(which behaviour changed and why). ``tests/test_golden.py`` compares fresh runs against it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation import load_scenario, run  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
CASES = {
    # name: (scenario file, variant, seed, steps)
    "teaching_baseline": ("scenarios/teaching.yaml", "baseline", 7, 120),
    "teaching_qmv": ("scenarios/teaching.yaml", "qualified_majority", 7, 60),
    "nato_2024_baseline": ("scenarios/nato_2024.yaml", "baseline", 7, 60),
}
SERIES = ("cohesion", "mean_trust", "interoperability", "deterrence", "consensus_rate")


def golden_record(path: str, variant: str, seed: int, steps: int) -> dict:
    """What the golden file holds for one case: summary numbers and a few series."""
    result = run(load_scenario(ROOT / path), variant=variant, seed=seed, steps=steps)
    summary = {k: v for k, v in result.summary.items() if k != "provenance"}
    ts = result.timeseries
    return {
        "case": {"scenario": path, "variant": variant, "seed": seed, "steps": steps},
        "summary": summary,
        "series": {name: ts[name].tolist() for name in SERIES},
        "events": len(result.events),
    }


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, case in CASES.items():
        record = golden_record(*case)
        (GOLDEN / f"{name}.json").write_text(json.dumps(record, indent=1, allow_nan=True) + "\n")
        print(f"wrote tests/golden/{name}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
