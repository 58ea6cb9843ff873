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
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.crisis_record import TARGETS, crisis_stats, pooled_share  # noqa: E402
from simulation import load_scenario  # noqa: E402
from simulation.runner import run  # noqa: E402

SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))

STAGE1 = {
    "crises.rationality": (15.0, 20.0, 25.0),
    "crises.status_quo_utility": (0.2, 0.25, 0.3),
}
"""Stage 1: the challenge choice, fitted to the challenge and war targets of nato_1964, nato_1985
and baltic_efp (the scenarios those targets name)."""

STAGE2 = {
    "crises.treaty_obligation": (0.0, 0.05, 0.1, 0.2),
    "crises.audience_cost": (0.0,),
}
"""Stage 2, at the best stage-1 point: the response and the reaction, fitted to the shares pooled
over every shipped scenario (commitments honoured; immediate deterrence success)."""

STAGE1_TARGETS = (
    "alliance_wars_per_decade_nato_1964",
    "alliance_wars_per_decade_nato_1985",
    "member_challenges_per_decade_nato_1964",
    "member_challenges_per_decade_nato_1985",
    "baltic_challenges_per_decade_efp",
)
STAGE1_SCENARIOS = ("nato_1964", "nato_1985", "baltic_efp")


def stats_for(name: str, replications: int, variant: str | None = None, overrides=()) -> dict:
    """Crisis statistics of one scenario (its horizon, its seed, ``replications`` runs)."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    result = run(scenario, variant=variant, replications=replications, overrides=overrides)
    return crisis_stats(result)


def model_values(replications: int, overrides=(), scenarios=SCENARIOS) -> dict[str, float | None]:
    """The model's value for each calibration target (``None`` where ``scenarios`` lack it)."""
    stats = {n: stats_for(n, replications, overrides=overrides) for n in scenarios}
    values = dict.fromkeys((t.name for t in TARGETS), None)
    if set(scenarios) == set(SCENARIOS):
        values.update(_values(stats))
    else:
        values.update({k: v for k, v in _values(stats, pooled=False).items()})
    return values


def _values(stats: dict, pooled: bool = True) -> dict:
    efp = stats["baltic_efp"]
    with_adversary = [s for s in stats.values() if s["adversary"]]
    share = pooled_share if pooled else (lambda *_: None)
    return {
        "alliance_wars_per_decade_nato_1964": stats["nato_1964"]["alliance_wars_per_decade"],
        "alliance_wars_per_decade_nato_1985": stats["nato_1985"]["alliance_wars_per_decade"],
        "member_challenges_per_decade_nato_1964": stats["nato_1964"][
            "challenges_members_per_decade"
        ],
        "member_challenges_per_decade_nato_1985": stats["nato_1985"][
            "challenges_members_per_decade"
        ],
        "honoured_share": share(with_adversary, "honoured", "member_crises"),
        "immediate_deterrence_success": share(
            with_adversary, "immediate_success", "signalled_crises"
        ),
        "baltic_challenges_per_decade_efp": efp["baltic_challenges_per_decade"],
        "_stats": stats,
    }


def distance(values: dict, names=None) -> float:
    """Squared distance of the model's values to the targets' bands, summed.

    Counts per decade are judged on a log scale (their targets are orders of magnitude): the
    distance is ``log10`` of the ratio to the nearer bound, with values and bounds floored at
    0.05 per decade (one event in 20 decades). Shares are judged on their own scale, in units of
    the band's half-width. A target with no cases to measure counts 1.
    """
    total = 0.0
    for t in TARGETS:
        if names is not None and t.name not in names:
            continue
        v = values[t.name]
        if v is None:
            total += 1.0
        elif t.name.endswith("_share") or t.name.endswith("_success"):
            total += (max(t.lo - v, 0.0, v - t.hi) / ((t.hi - t.lo) / 2)) ** 2
        else:
            lo, hi, x = (max(b, 0.05) for b in (t.lo, t.hi, v))
            total += max(math.log10(lo / x), 0.0, math.log10(x / hi)) ** 2
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


def search(grid: dict, replications: int, fixed=(), scenarios=SCENARIOS, names=None):
    """Evaluate the full factorial ``grid``; print each point; return the best point."""
    best = None
    keys = list(grid)
    for point in itertools.product(*grid.values()):
        overrides = [*fixed, *(f"{k}={v}" for k, v in zip(keys, point, strict=True))]
        values = model_values(replications, overrides, scenarios)
        d = distance(values, names)
        shown = {k: None if v is None else round(v, 3) for k, v in values.items() if k[0] != "_"}
        shown = {k: v for k, v in shown.items() if names is None or k in names}
        print(f"{d:8.3f} {' '.join(overrides)} {shown}", flush=True)
        if best is None or d < best[0]:
            best = (d, overrides)
    return best


def grid(replications: int, stage1: list[str] | None = None) -> None:
    if stage1 is None:
        print("stage 1: challenge choice")
        d1, stage1 = search(STAGE1, replications, (), STAGE1_SCENARIOS, STAGE1_TARGETS)
        print(f"best stage 1: {d1:.3f} {stage1}")
    print("stage 2: response and reaction")
    best1 = stage1
    d2, best2 = search(STAGE2, replications, best1)
    print(f"best: {d2:.3f} {best2}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("table", "grid"))
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument(
        "--stage1", nargs="*", default=None, help="skip stage 1: its best point as KEY=VALUE"
    )
    args = parser.parse_args()
    if args.command == "table":
        table(args.replications or 20)
    else:
        grid(args.replications or 4, args.stage1)


if __name__ == "__main__":
    main()
