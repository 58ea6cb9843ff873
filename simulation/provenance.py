"""Provenance of a result: package and library versions, source commit, scenario hashes, seed."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from simulation.schema import Scenario
from simulation.summary import window_steps


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
        "summary_window_months": scenario.metrics.summary_window_months,
        "summary_window_steps": window_steps(scenario, steps),
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
