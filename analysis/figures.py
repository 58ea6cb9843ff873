"""Saving figures with their provenance (package version, commit, scenario hash, seeds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.results import atomic_write

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def provenance_caption(prov: dict[str, Any]) -> str:
    """A one-line caption naming the scenario, variant(s), seeds, steps and code version.

    Works for a run's provenance (``variant``) and a comparison's (``variants``, paired seeds).
    """
    commit = (prov.get("git_commit") or "no-git")[:10]
    seeds = prov.get("replication_seeds") or [prov.get("seed")]
    variants = prov.get("variants")
    if variants:
        which = " vs ".join(str(v) for v in variants)
        paired = "paired seed" if len(seeds) == 1 else "paired seeds"
        seed_text = f"{len(seeds)} {paired} from {prov.get('seed')}"
    else:
        which = str(prov.get("variant"))
        seed_text = (
            f"seed {seeds[0]}" if len(seeds) == 1 else f"{len(seeds)} seeds from {prov['seed']}"
        )
    return (
        f"{Path(str(prov.get('scenario_file', ''))).name} [{which}], {seed_text}, "
        f"{prov.get('steps')} steps; alliance-sim {prov.get('version')} ({commit}), "
        f"scenario sha256 {str(prov.get('scenario_sha256', ''))[:12]}"
    )


def save_figure(fig: Figure, stem: Path, prov: dict[str, Any]) -> list[Path]:
    """Save ``fig`` as PNG and SVG with the provenance caption and metadata; return the paths."""
    import matplotlib.pyplot as plt

    fig.text(
        0.005, 0.003, provenance_caption(prov), fontsize=5.5, color="0.4", ha="left", wrap=True
    )
    meta = json.dumps(prov, sort_keys=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    atomic_write(
        paths[0],
        lambda tmp: fig.savefig(
            tmp, format="png", dpi=150, metadata={"Description": meta, "Software": "alliance-sim"}
        ),
    )
    atomic_write(
        paths[1],
        lambda tmp: fig.savefig(tmp, format="svg", metadata={"Description": meta}),
    )
    plt.close(fig)
    return paths
