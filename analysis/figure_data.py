"""Figure data: pure functions from result tables to exactly what a figure draws.

Each function takes the tidy tables a run or a comparison writes (``nations``, ``pairs``,
``events``, ``differences``) and returns small frames, so what a figure shows is tested on
hand-built tables without drawing anything. The plot functions in :mod:`analysis.plots` and
:mod:`analysis.nation_plots` call these and only draw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.layout import spring_layout
from simulation.metrics import spearman

BLOC_ORDER = ("member", "partner", "neutral", "adversary")
"""Order of blocs in heatmaps and network legends; other roles follow, alphabetically."""

UNIT_INTERVAL_METRICS = (
    "cohesion",
    "mean_trust",
    "interoperability",
    "deterrence",
    "credibility",
    "consensus_rate",
    "interest_alignment",
    "readiness_mean",
)
"""Summary metrics on a 0-1 scale: their differences share one axis in a forest plot."""

CRISIS_EVENTS = ("crisis", "challenge")


def select_run(
    df: pd.DataFrame, *, variant: str | None = None, replication: int | None = None
) -> pd.DataFrame:
    """Rows of one run: the given (or first) ``variant`` and (or first) ``replication``.

    Tables without ``variant`` or ``replication`` columns are taken as one run already.
    """
    out = df
    if "variant" in out.columns:
        chosen = variant if variant is not None else out["variant"].iloc[0]
        out = out[out["variant"] == chosen]
    if "replication" in out.columns:
        chosen = replication if replication is not None else out["replication"].min()
        out = out[out["replication"] == chosen]
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ paired differences
def forest_data(differences: pd.DataFrame, metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows of a forest plot: one per metric and variant, with a y position.

    Metrics run top to bottom in the order given (or of the table): metric ``i`` of ``m`` sits at
    ``y = m - 1 - i``; with several variants each is offset within ``[-0.2, 0.2]``, the first
    named highest. Returns ``metric, variant, y, mean_diff, ci_low, ci_high, excludes_zero``.
    """
    names = list(metrics) if metrics is not None else list(pd.unique(differences["metric"]))
    table = differences[differences["metric"].isin(names)]
    variants = list(pd.unique(table["variant"]))
    offsets = np.linspace(0.2, -0.2, len(variants)) if len(variants) > 1 else np.zeros(1)
    rows = []
    for i, metric in enumerate(names):
        for offset, variant in zip(offsets, variants, strict=True):
            match = table[(table["metric"] == metric) & (table["variant"] == variant)]
            if match.empty:
                continue
            r = match.iloc[0]
            low, high = float(r["ci_low"]), float(r["ci_high"])
            rows.append(
                {
                    "metric": metric,
                    "variant": variant,
                    "y": len(names) - 1 - i + float(offset),
                    "mean_diff": float(r["mean_diff"]),
                    "ci_low": low,
                    "ci_high": high,
                    "excludes_zero": bool((low > 0 and high > 0) or (low < 0 and high < 0)),
                }
            )
    columns = ["metric", "variant", "y", "mean_diff", "ci_low", "ci_high", "excludes_zero"]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------ nations and trust
def bloc_order(nations: pd.DataFrame) -> pd.DataFrame:
    """Nations sorted by bloc (:data:`BLOC_ORDER`), then by GDP, largest first."""
    rank = {role: i for i, role in enumerate(BLOC_ORDER)}
    others = sorted(set(nations["role"]) - set(rank))
    rank.update({role: len(BLOC_ORDER) + i for i, role in enumerate(others)})
    keyed = nations.assign(_bloc=nations["role"].map(rank), _gdp=-nations["gdp_busd"])
    return keyed.sort_values(["_bloc", "_gdp", "iso3"], kind="stable").drop(
        columns=["_bloc", "_gdp"]
    )


def trust_matrix(nations: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Directed trust of one run as a square frame (rows trust columns), ordered by bloc.

    ``nations`` and ``pairs`` are one run's tables (:func:`select_run`); the diagonal is NaN.
    """
    order = list(bloc_order(nations)["iso3"])
    matrix = pairs.pivot(index="from", columns="to", values="trust")
    matrix = matrix.reindex(index=order, columns=order)
    matrix.index.name, matrix.columns.name = "from", "to"
    return matrix


def bloc_spans(nations: pd.DataFrame) -> list[tuple[str, int, int]]:
    """``(role, start, stop)`` index ranges of each bloc in :func:`bloc_order`."""
    roles = list(bloc_order(nations)["role"])
    spans: list[tuple[str, int, int]] = []
    for i, role in enumerate(roles):
        if spans and spans[-1][0] == role:
            spans[-1] = (role, spans[-1][1], i + 1)
        else:
            spans.append((role, i, i + 1))
    return spans


@dataclass
class NetworkData:
    """What a trust-network figure draws: positioned nodes and undirected edges."""

    nodes: pd.DataFrame
    """``iso3, name, role, capability_busd, x, y`` in the nations table's order."""
    edges: pd.DataFrame
    """``a, b, trust_ab, trust_ba, trust, x0, y0, x1, y1, backbone``: one row per unordered pair
    (``backbone``: drawn by default, see :func:`backbone`)."""


def network_data(
    nations: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    layout: str = "alignment",
    seed: int = 0,
    min_trust: float = 0.0,
) -> NetworkData:
    """Nodes placed by a seeded spring layout and edges weighted by mutual trust.

    The layout pulls nations together by ``layout`` (a ``pairs`` column: ``alignment``, which
    does not change in a run, keeps positions the same across variants; ``trust`` follows the
    run), falling back to ``trust`` if the column is absent. An edge's ``trust`` is the mean of
    the two directions; edges below ``min_trust`` are left out. One run's tables only.
    """
    iso3 = list(nations["iso3"])
    if len(set(iso3)) != len(iso3):
        raise ValueError("nations holds several runs; pick one with select_run()")
    index = {code: i for i, code in enumerate(iso3)}
    n = len(iso3)
    column = layout if layout in pairs.columns else "trust"
    weights = np.zeros((n, n))
    trust = np.full((n, n), np.nan)
    i = pairs["from"].map(index).to_numpy()
    j = pairs["to"].map(index).to_numpy()
    weights[i, j] = pairs[column].to_numpy(dtype=float)
    trust[i, j] = pairs["trust"].to_numpy(dtype=float)
    pos = spring_layout(_contrast(weights), seed=seed)
    nodes = nations[["iso3", "name", "role", "capability_busd"]].reset_index(drop=True)
    nodes = nodes.assign(x=pos[:, 0], y=pos[:, 1])
    a, b = np.triu_indices(n, k=1)
    mutual = (trust[a, b] + trust[b, a]) / 2.0
    edges = pd.DataFrame(
        {
            "a": [iso3[k] for k in a],
            "b": [iso3[k] for k in b],
            "trust_ab": trust[a, b],
            "trust_ba": trust[b, a],
            "trust": mutual,
            "x0": pos[a, 0],
            "y0": pos[a, 1],
            "x1": pos[b, 0],
            "y1": pos[b, 1],
        }
    )
    edges = edges[edges["trust"] >= min_trust].reset_index(drop=True)
    edges["backbone"] = backbone(edges, iso3)
    return NetworkData(nodes=nodes, edges=edges)


BACKBONE_QUANTILE = 0.75
"""Edges at or above this quantile of mutual trust join the spanning tree in the backbone."""


def backbone(
    edges: pd.DataFrame, nodes: Sequence[str], quantile: float = BACKBONE_QUANTILE
) -> np.ndarray:
    """Which edges a network figure draws: a maximum spanning tree plus the strongest links.

    The maximum spanning tree of mutual trust (Kruskal, :func:`networkx.maximum_spanning_tree`)
    connects every node by its strongest available links, so no nation looks isolated however
    weak its ties; edges at or above the ``quantile`` of trust are added so dense clusters stay
    visible. Returns one bool per row of ``edges`` (``a, b, trust``).
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    valid = edges[~edges["trust"].isna()]
    graph.add_weighted_edges_from(
        zip(valid["a"], valid["b"], valid["trust"].astype(float), strict=True)
    )
    tree = {frozenset(e) for e in nx.maximum_spanning_tree(graph).edges()}
    threshold = float(valid["trust"].quantile(quantile)) if len(valid) else np.inf
    in_tree = np.array(
        [frozenset((a, b)) in tree for a, b in zip(edges["a"], edges["b"], strict=True)],
        dtype=bool,
    )
    return in_tree | (edges["trust"].to_numpy(dtype=float) >= threshold)


def _contrast(weights: np.ndarray) -> np.ndarray:
    """Rescale off-diagonal weights to [0, 1], so the layout shows differences, not the level."""
    off = ~np.eye(len(weights), dtype=bool)
    values = weights[off]
    span = values.max() - values.min() if values.size else 0.0
    if span <= 0:
        return np.where(off, 1.0, 0.0)
    return np.where(off, (weights - values.min()) / span, 0.0)


@dataclass
class BurdenData:
    """Members' GDP and defence share, and their Spearman rank correlation."""

    members: pd.DataFrame
    """``iso3, name, gdp_busd, defence_share_pct``, largest economy first."""
    spearman: float
    """Rank correlation of GDP and defence share (NaN for fewer than 3 members)."""


def burden_data(nations: pd.DataFrame) -> BurdenData:
    """The burden-sharing scatter of one run: members only, with the model's Spearman rho.

    Uses :func:`simulation.metrics.spearman`, the definition behind the run summary's
    ``burden_size_correlation``, so the figure's title matches the summary.
    """
    members = nations[nations["role"] == "member"]
    members = members.sort_values("gdp_busd", ascending=False, kind="stable")
    members = members[["iso3", "name", "gdp_busd", "defence_share_pct"]].reset_index(drop=True)
    rho = spearman(members["gdp_busd"].to_numpy(), members["defence_share_pct"].to_numpy())
    return BurdenData(members=members, spearman=rho)


# ------------------------------------------------------------------ events
def crisis_timeline_data(events: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Crises and uncovered challenges, one row each, placed on one line per target nation.

    Lines (targets) are ordered by bloc (:data:`BLOC_ORDER`), then by number of crises (most
    first), then by code, so the figure's height grows with the targets, not with the runs or
    the variants. Returns the rows (``variant, replication, year, date, step, target, role,
    outcome, covered, row``; ``variant`` is ``""`` and ``replication`` 0 when the table has no
    such column) and the targets, top line first; ``row`` counts from 0 at the top.
    """
    crises = events[events["event"].isin(CRISIS_EVENTS)]
    out = pd.DataFrame(
        {
            "variant": crises["variant"].astype(str) if "variant" in crises else "",
            "replication": crises["replication"].astype(int) if "replication" in crises else 0,
            "year": crises["year"].to_numpy(dtype=float),
            "date": to_dates(crises["year"].to_numpy(dtype=float)),
            "step": crises["step"].to_numpy(dtype=int),
            "target": crises["actor"].to_numpy(),
            "role": crises["kind"].astype(str).to_numpy(),
            "outcome": crises["outcome"].to_numpy(),
            "covered": (crises["event"] == "crisis").to_numpy(),
        }
    ).reset_index(drop=True)
    rank = {role: i for i, role in enumerate(BLOC_ORDER)}
    per_target = out.groupby("target", sort=False).agg(role=("role", "first"), n=("step", "size"))
    per_target = per_target.assign(bloc=per_target["role"].map(rank).fillna(len(rank)))
    per_target = per_target.reset_index().sort_values(
        ["bloc", "n", "target"], ascending=[True, False, True], kind="stable"
    )
    targets = [str(t) for t in per_target["target"]]
    out["row"] = out["target"].map({t: i for i, t in enumerate(targets)}).astype(int)
    return out, targets


def to_dates(years: Sequence[float] | np.ndarray) -> np.ndarray:
    """Decimal years (``start_year + step * months / 12``) as the first day of their month.

    ``2025.4167`` (5/12 past 2025) is 2025-06-01: a time axis then reads in calendar months.
    """
    years = np.asarray(years, dtype=float)
    months = np.rint(years * 12.0).astype("int64") - 1970 * 12
    return months.astype("datetime64[M]").astype("datetime64[ns]")


MARKED_EVENTS = {
    "accession": "accession",
    "mission_start": "mission start",
    "mission_end": "mission end",
}
"""Events marked on time series: enlargement and the scenario's scheduled missions."""

GENERATED_MISSION = re.compile(r"^mission-\d+$")
"""Names of missions launched by an adopted proposal (``mission-<step>``, given by
:mod:`simulation.mechanisms.operations`): not scheduled, so not marked."""


def event_marks(events: pd.DataFrame, kinds: Sequence[str] = tuple(MARKED_EVENTS)) -> pd.DataFrame:
    """The distinct marked events (``event, actor, step``) and the share of runs they occur in.

    Returns ``event, label, actor, step, year, date, runs, share`` sorted by step, where
    ``label`` names the event (``"accession MNE"``; missions launched by a proposal are left
    out) and ``share`` is the fraction of the runs
    (``variant, replication`` pairs in ``events``) with that event at that step: a scheduled
    mission has share 1, an accession in half the replications 0.5.
    """
    columns = ["event", "label", "actor", "step", "year", "date", "runs", "share"]
    keys = [k for k in ("variant", "replication") if k in events.columns]
    total = len(events[keys].drop_duplicates()) if keys and len(events) else 1
    marked = events[events["event"].isin(list(kinds))]
    generated = marked["event"].str.startswith("mission") & marked["actor"].astype(str).str.match(
        GENERATED_MISSION
    )
    marked = marked[~generated]
    if marked.empty:
        return pd.DataFrame(columns=columns)
    runs = (
        marked.groupby(["event", "actor", "step"], sort=False)
        .agg(year=("year", "first"), runs=("event", "size"))
        .reset_index()
    )
    runs["share"] = runs["runs"] / max(total, 1)
    runs["label"] = [
        f"{MARKED_EVENTS.get(e, e)} {a}" for e, a in zip(runs["event"], runs["actor"], strict=True)
    ]
    runs["date"] = to_dates(runs["year"].to_numpy(dtype=float))
    return runs.sort_values(["step", "event", "actor"], kind="stable")[columns].reset_index(
        drop=True
    )


def band_caption(replications: int, low: float = 0.1, high: float = 0.9) -> str:
    """What a time-series band is, or that there is none (one replication: no band)."""
    if replications <= 1:
        return "One replication: the line is that run (no band)."
    return (
        f"Line: median over {replications} replications; band: their "
        f"{low * 100:g}th-{high * 100:g}th percentiles (linear interpolation)."
    )
