"""Synthetic scenarios built in code for stylized-fact tests (no data, every number stated)."""

from __future__ import annotations

import numpy as np

from simulation.scenario import scenario_from_mapping


def code(i: int, prefix: str = "M") -> str:
    """A three-letter code for the i-th synthetic nation: MAA, MAB, ..."""
    return f"{prefix}{chr(65 + i // 26)}{chr(65 + i % 26)}"


def alliance(
    n_members: int = 8,
    *,
    seed: int = 0,
    gdp_busd=None,
    share_pct: float = 2.0,
    exposure=None,
    interest_spread: float = 0.3,
    partners: int = 0,
    adversary_gdp_busd: float = 2000.0,
    adversary_share_pct: float = 5.0,
    **sections,
):
    """An alliance of ``n_members`` with seeded random interests, an adversary, optional partners.

    ``sections`` are scenario sections (``exercises={...}``, ``consensus={...}``, ...) merged in.
    """
    # Member i's attributes come from its own generator, so the first n members are the same
    # nations whatever n_members is (alliances of different sizes are nested).
    draws = [np.random.default_rng([seed, i]) for i in range(n_members)]
    gdp = gdp_busd if gdp_busd is not None else [round(r.lognormal(5.5, 1.2), 3) for r in draws]
    expo = exposure if exposure is not None else [round(r.uniform(0, 1), 3) for r in draws]
    centre = np.array([0.6, 0.4, 0.5])
    nations = []
    for i in range(n_members):
        interests = np.clip(centre + draws[i].normal(0, interest_spread, 3), 0, 1).round(3)
        nations.append(
            {
                "iso3": code(i),
                "name": f"Member {i}",
                "role": "member",
                "gdp_busd": float(gdp[i]),
                "defence_share_pct": share_pct,
                "interests": interests.tolist(),
                "exposure": float(expo[i]),
                "accession_year": 1990,
            }
        )
    for k in range(partners):
        nations.append(
            {
                "iso3": code(k, "P"),
                "name": f"Partner {k}",
                "role": "partner",
                "gdp_busd": 100.0,
                "defence_share_pct": 2.0,
                "interests": [0.7, 0.3, 0.4],
                "exposure": 0.9,
                "aspirant": True,
            }
        )
    nations.append(
        {
            "iso3": "ADV",
            "name": "Adversary",
            "role": "adversary",
            "gdp_busd": adversary_gdp_busd,
            "defence_share_pct": adversary_share_pct,
            "interests": [0.0, 0.5, 0.1],
            "exposure": 0.0,
        }
    )
    data = {
        "name": "Synthetic alliance",
        "start_year": 2020,
        "steps": 60,
        "issues": ["east", "south", "out_of_area"],
        "nations": nations,
    }
    if partners:
        data["programmes"] = [
            {"name": "Programme", "partners": [code(k, "P") for k in range(partners)]}
        ]
    data.update(sections)
    return scenario_from_mapping(data, file="<synthetic>")
