"""A sweep's provenance: ``manifest.json`` in the store, and the check before a resume.

The manifest records the package version, git commit and whether the tree had uncommitted changes,
Python and package versions, the sweep file and its hash, the scenario's hash, the design, the seed,
the planned number of runs and the sweep's state (``running``, ``interrupted``, ``complete``).
A resume is refused when the sweep file, the scenario or the code (version or commit) changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import platform
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.errors import ScenarioError

if TYPE_CHECKING:
    from simulation.sweep.spec import SweepSpec

PACKAGES = ("mesa", "numpy", "pandas", "scipy", "pyarrow", "SALib", "dask", "distributed")


@cache
def git_dirty() -> bool | None:
    """Whether the source tree has uncommitted changes (None outside a git checkout)."""
    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


def code_version() -> dict[str, Any]:
    """The version, commit and dirty flag of the code running the sweep."""
    from simulation import __version__
    from simulation.provenance import git_commit

    return {"version": __version__, "git_commit": git_commit(), "dirty": git_dirty()}


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages a sweep's results depend on."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def new_manifest(spec: SweepSpec, planned: int, points: int) -> dict[str, Any]:
    """The manifest of a sweep about to start."""
    return {
        "kind": "alliance-sim sweep",
        "format": 1,
        "name": spec.name,
        "sweep_file": spec.file,
        "sweep_sha256": spec.sha256,
        "evaluator": spec.evaluator,
        "scenario": spec.scenario,
        "scenario_sha256": spec.scenario_sha256,
        "variant": spec.variant,
        "design": {
            "method": spec.method,
            "samples": spec.samples,
            "levels": spec.levels,
            "points": points,
            "parameters": [p.path for p in spec.parameters],
            "parameter_specs": [dataclasses.asdict(p) for p in spec.parameters],
        },
        "replications": spec.replications,
        "steps": spec.steps,
        "seed": spec.seed,
        "targets": [vars(t) for t in spec.targets],
        "outputs": {"timeseries": spec.timeseries, "nations": spec.nations},
        "planned": planned,
        "code": code_version(),
        "packages": package_versions(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "state": "running",
    }


def check_resume(old: dict[str, Any], spec: SweepSpec, store: Path) -> None:
    """Refuse to resume a store made from another sweep file, scenario or code version."""
    code = code_version()
    changes = []
    if old.get("sweep_sha256") != spec.sha256:
        changes.append("the sweep file changed")
    if old.get("scenario_sha256") != spec.scenario_sha256:
        changes.append("the scenario file changed")
    before = old.get("code", {})
    if (before.get("version"), before.get("git_commit")) != (code["version"], code["git_commit"]):
        changes.append(
            f"the code changed ({before.get('version')}@{str(before.get('git_commit'))[:8]} -> "
            f"{code['version']}@{str(code['git_commit'])[:8]})"
        )
    if changes:
        raise ScenarioError(
            f"cannot resume {store}: {', '.join(changes)} since it started",
            field="--resume",
            hint="start a new sweep with another --out, or add --force to resume anyway",
        )
