"""Calibrate the crisis parameters against the historical record, and print the crisis tables.

    python scripts/calibrate_crises.py table [--replications 20]   # every shipped scenario
    python scripts/calibrate_crises.py grid  [--replications 4]    # the calibration grid

``table`` runs every shipped scenario's baseline (and baltic_efp's ``no_efp`` variant) for its
horizon with 20 replications and prints, per scenario: challenges per decade by target role, the
largest target's share, responses by rung, the adversary's reactions, wars per decade and the
final deterrence index; then the calibration table (target, source, model, tolerance) of
:data:`analysis.crisis_record.TARGETS`.

``grid`` evaluates a small grid of the fitted parameters (``crises.rationality``,
``crises.status_quo_utility``, ``crises.treaty_obligation``, ``crises.audience_cost``) on the
scenarios the targets name plus the shipped scenarios with an adversary, and prints each point's
squared distance to the targets (0 inside a target's band), best last. Seeds are fixed (the
scenarios' own), so both commands are reproducible. Method and results: ``docs/calibration.md``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.crisis_record import TARGETS, crisis_stats, pooled_share  # noqa: E402
from simulation import load_scenario  # noqa: E402
from simulation.runner import run  # noqa: E402

SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))

GRID = {
    "crises.rationality": (4.0, 8.0, 16.0),
    "crises.status_quo_utility": (0.0, 0.1),
    "crises.treaty_obligation": (0.3, 0.6),
    "crises.audience_cost": (0.05, 0.2),
}
"""The fitted parameters and the values tried (a full factorial: 24 points)."""


def stats_for(name: str, replications: int, variant: str | None = None, overrides=()) -> dict:
    """Crisis statistics of one scenario (its horizon, its seed, ``replications`` runs)."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    result = run(scenario, variant=variant, replications=replications, overrides=overrides)
    return crisis_stats(result)


def model_values(replications: int, overrides=()) -> dict[str, float | None]:
    """The model's value for each calibration target."""
    stats = {n: stats_for(n, replications, overrides=overrides) for n in SCENARIOS}
    efp = stats["baltic_efp"]
    with_adversary = [s for s in stats.values() if s["adversary"]]
    return {
        "alliance_wars_per_decade_nato_1964": stats["nato_1964"]["alliance_wars_per_decade"],
        "alliance_wars_per_decade_nato_1985": stats["nato_1985"]["alliance_wars_per_decade"],
        "member_challenges_per_decade_nato_1964": stats["nato_1964"][
            "challenges_members_per_decade"
        ],
        "member_challenges_per_decade_nato_1985": stats["nato_1985"][
            "challenges_members_per_decade"
        ],
        "honoured_share": pooled_share(with_adversary, "honoured", "member_crises"),
        "immediate_deterrence_success": pooled_share(
            with_adversary, "immediate_success", "signalled_crises"
        ),
        "baltic_challenges_per_decade_efp": efp["baltic_challenges_per_decade"],
        "_stats": stats,
    }


def distance(values: dict) -> float:
    """Sum of squared distances to each target's band, scaled by the band's width."""
    total = 0.0
    for t in TARGETS:
        v = values[t.name]
        if v is None:
            total += 1.0
            continue
        width = max(t.hi - t.lo, 1e-3)
        gap = max(t.lo - v, 0.0, v - t.hi) / width
        total += gap**2
    return total


def table(replications: int) -> None:
    values = model_values(replications)
    print(
        "| scenario | challenges/decade: members / partners / others | largest target (share) "
        "| responses none/political/support/military | reactions backed down/held/escalated "
        "| wars/decade | deterrence |"
    )
    print("|---|---|---|---|---|---|---|")
    rows = dict(values["_stats"])
    rows["baltic_efp (no_efp)"] = stats_for("baltic_efp", replications, variant="no_efp")
    for name, s in rows.items():
        if not s["adversary"]:
            print(f"| {name} | no adversary (null) | - | - | - | - | null |")
            continue
        roles = " / ".join(
            f"{s[f'challenges_{g}_per_decade']:.2f}" for g in ("members", "partners", "others")
        )
        share = s["largest_target_share"]
        largest = f"{s['largest_target']} ({share:.2f})" if share is not None else "-"
        responses = "/".join(str(v) for v in s["responses"].values())
        reactions = "/".join(str(v) for v in s["reactions"].values())
        print(
            f"| {name} | {roles} | {largest} | {responses} | {reactions} "
            f"| {s['alliance_wars_per_decade']:.2f} | {s['deterrence']:.3f} |"
        )
    print()
    print("| target | source | model | tolerance |")
    print("|---|---|---|---|")
    for t in TARGETS:
        v = values[t.name]
        shown = "n/a" if v is None else f"{v:.3f}"
        ok = "" if v is None or t.lo <= v <= t.hi else " (OUTSIDE)"
        print(f"| {t.name} | {t.source} | {shown}{ok} | [{t.lo}, {t.hi}]: {t.why} |")


def grid(replications: int) -> None:
    results = []
    keys = list(GRID)
    for point in itertools.product(*GRID.values()):
        overrides = [f"{k}={v}" for k, v in zip(keys, point, strict=True)]
        values = model_values(replications, overrides)
        d = distance(values)
        shown = {t.name: values[t.name] for t in TARGETS}
        results.append((d, overrides, shown))
        print(f"{d:8.3f} {' '.join(overrides)} {shown}", flush=True)
    results.sort(key=lambda r: -r[0])
    print("\nbest last:")
    for d, overrides, shown in results[-5:]:
        print(f"{d:8.3f} {' '.join(overrides)}\n         {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("table", "grid"))
    parser.add_argument("--replications", type=int, default=None)
    args = parser.parse_args()
    if args.command == "table":
        table(args.replications or 20)
    else:
        grid(args.replications or 4)


if __name__ == "__main__":
    main()
