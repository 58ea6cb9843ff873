"""Every shipped scenario validates and every variant runs; the README's Python example works."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from simulation import load_scenario, run
from simulation.scenario import resolve, variant_names

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
UNIT_KEYS = ("cohesion", "mean_trust", "interoperability", "consensus_rate", "deterrence")


def test_scenarios_are_shipped():
    names = {p.stem for p in SCENARIOS}
    assert {"nato_2024", "teaching"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_loads_and_every_variant_runs(path):
    scenario = load_scenario(path)
    assert scenario.member_count >= 1
    for name in variant_names(scenario):
        result = run(resolve(scenario, name), seed=7, steps=6)
        summary = result.summary
        for key in UNIT_KEYS:
            value = summary[key]
            assert value is None or 0.0 <= value <= 1.0, (path.stem, name, key, value)
        assert summary["members"] >= 1
        assert summary["provenance"]["variant"] == name
        assert not result.timeseries[list(UNIT_KEYS[:3])].isna().any().any()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_header_cites_sources(path):
    """Every scenario file opens with a comment that says what it represents."""
    head = path.read_text(encoding="utf-8").splitlines()[:5]
    assert head and head[0].startswith("#"), f"{path.name}: start with a header comment"


def test_readme_python_snippet_runs():
    """The README's Python example runs as written (shortened horizon)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    block = block.replace("seed=7)", "seed=7, steps=3)")
    namespace: dict = {}
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    result = namespace["result"]
    assert math.isfinite(result.summary["cohesion"])
