"""Nations of the post-2014 NATO scenarios (``baltic_efp``, ``pfp_enlargement``) from sources.

Shared by ``scripts/build_baltic_efp.py`` and ``scripts/build_pfp_enlargement.py``; each passes
a :class:`Spec` to :func:`main`. For the start year ``Y`` of the scenario:

* **Members**: the Allies of ``nato_members.csv`` with ``accession_year <= Y`` (the spec may
  name later joiners to leave out or to keep as aspirant partners).
* Members' and aspirants' ``gdp_busd``: NATO Public Diplomacy Division, *Defence Expenditure of
  NATO Countries (2014-2024)*, ``gdp_musd_current`` / 1000 for ``Y``; ``defence_share_pct``:
  ``defexp_share_gdp_pct`` (Table 3, share of real GDP at 2015 prices); growth: compound annual
  growth of ``gdp_musd_2015`` from 2014 to ``Y``. NATO's tables carry Finland and Sweden from
  2014, before they joined, so aspirants use the same table. Iceland (no armed forces): 0.
* **Adversary** (Russia, Belarus): SIPRI Military Expenditure Database, ``Y``:
  ``milex_share_gdp_pct`` and GDP = ``milex_current_musd`` / share; growth assumed.
* ``ideal_point``: UNGA ``idealpointfp`` for ``Y`` (as in ``nato_2024``).
* exposure, interests, aspirant flag and assumed growth:
  ``scenarios/data/<name>_assumptions.csv``; ``partnership_year``: ``pfp_join_years.csv``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import scenario_build as sb
from scenario_build import MEMBERS_FILE, NATO_FILE, SourceData, fmt

ISSUES = sb.NATO_ISSUES
GROWTH_FROM = 2014
ADVERSARIES = {"RUS": ("Russia", "Russia"), "BLR": ("Belarus", "Belarus")}

CSV_COLUMNS = sb.nations_csv_columns(
    (
        *sb.MEMBERSHIP_COLUMNS,
        "gdp_busd",
        "gdp_busd_source",
        "defence_share_pct",
        "defence_share_pct_source",
    ),
    ISSUES,
)


@dataclass(frozen=True)
class Spec(sb.ScenarioFiles):
    """What differs between the post-2014 scenarios (``name`` gives the files)."""

    year: int
    aspirants: tuple[str, ...] = ()
    """Later Allies kept as aspirant partners (from NATO's table, with their PfP year)."""
    notes: dict[str, str] = field(default_factory=dict)
    header: tuple[str, ...] = ()


def nato_record(data: SourceData, spec: Spec, iso3: str, name: str, role: str) -> dict[str, str]:
    """GDP, defence share and real growth of one nation from NATO's table for the spec's year."""
    year, prog = spec.year, spec.prog
    gdp = data.nato(iso3, year, "gdp_musd_current")
    share = data.nato(iso3, year, "defexp_share_gdp_pct")
    if gdp.value is None:
        sb.fail(f"{iso3}: no GDP in the NATO table for {year}", prog)
    rec = {"iso3": iso3, "name": name, "role": role, "estimate_flag": ""}
    rec["gdp_busd"] = fmt(gdp.value / 1000.0)
    rec["gdp_busd_source"] = f"{gdp.source} / 1000"
    if share.value is None:
        if iso3 != "ISL":
            sb.fail(f"{iso3}: no defence share in the NATO table for {year}", prog)
        rec["defence_share_pct"] = fmt(0.0)
        rec["defence_share_pct_source"] = f"{share.source}; no armed forces, set to 0"
    else:
        rec["defence_share_pct"] = fmt(share.value)
        rec["defence_share_pct_source"] = f"{share.source} (NATO Table 3, 2015 prices)"
    start = data.nato(iso3, GROWTH_FROM, "gdp_musd_2015").value
    end = data.nato(iso3, year, "gdp_musd_2015").value
    if not (start and end):
        sb.fail(f"{iso3}: gdp_musd_2015 missing for {GROWTH_FROM} or {year}", prog)
    rec["gdp_growth_pct_per_year"] = fmt(sb.cagr_pct(start, end, year - GROWTH_FROM))
    rec["gdp_growth_pct_per_year_source"] = (
        f"{NATO_FILE}: gdp_musd_2015 (constant 2015 prices), compound annual growth "
        f"{GROWTH_FROM} ({fmt(start)}) to {year} ({fmt(end)}), {year - GROWTH_FROM} years"
    )
    return rec


def sipri_record(data: SourceData, spec: Spec, iso3: str) -> dict[str, str]:
    """GDP (spending / share) and defence share of an adversary nation from SIPRI."""
    year, prog = spec.year, spec.prog
    sipri_name, name = ADVERSARIES[iso3]
    milex = data.sipri(sipri_name, year, "milex_current_musd")
    share = data.sipri(sipri_name, year)
    if not (milex.value and share.value):
        sb.fail(f"{iso3}: SIPRI {year} spending or share missing", prog)
    flagged = "(SIPRI:" in milex.source or "(SIPRI:" in share.source
    return {
        "iso3": iso3,
        "name": name,
        "role": "adversary",
        "gdp_busd": fmt(milex.value / (share.value / 100.0) / 1000.0),
        "gdp_busd_source": (
            f"{milex.source} ({fmt(milex.value)}) / (milex_share_gdp_pct ({fmt(share.value)}) "
            "/ 100) / 1000"
        ),
        "defence_share_pct": fmt(share.value),
        "defence_share_pct_source": share.source,
        "estimate_flag": "SIPRI estimate" if flagged else "",
    }


def build_rows(spec: Spec, sources: Path) -> list[dict[str, str]]:
    """One record per nation with every value and its source."""
    data, prog = SourceData(sources, spec.prog), spec.prog
    pfp = sb.read_commented_csv(sb.PFP_FILE, prog).set_index("iso3")
    rows = []
    for m in data.members.itertuples(index=False):
        role = "member" if m.accession_year <= spec.year else "partner"
        if role == "partner" and m.iso3 not in spec.aspirants:
            continue
        rec = nato_record(data, spec, m.iso3, m.country, role)
        if role == "member":
            rec["accession_year"] = str(int(m.accession_year))
            rec["accession_year_source"] = f"{MEMBERS_FILE}: accession_year ({m.accession_date})"
        sb.add_pfp_year(rec, pfp)
        rows.append(rec)
    rows += [sipri_record(data, spec, iso3) for iso3 in ADVERSARIES]
    assumed = spec.read_assumptions()
    sb.apply_assumptions(rows, assumed, ISSUES, prog, spec.assumptions.name)
    sb.apply_assumed_growth(rows, assumed, spec.assumptions.name, prog)
    for rec in rows:
        ip = data.unga(rec["iso3"], spec.year, "idealpointfp")
        rec["ideal_point"] = fmt(ip.value) if ip.value is not None else ""
        rec["ideal_point_source"] = ip.source
        rec["note"] = spec.notes.get(rec["iso3"], "")
    return sb.sort_rows(rows)


def main(spec: Spec, argv: list[str] | None = None) -> int:
    """Build (or with --check, verify) the scenario's nations block and nations CSV."""
    args = sb.base_parser(f"Build the nations of scenarios/{spec.name}.yaml").parse_args(argv)
    rows = build_rows(spec, args.sources)
    return sb.write_nations(spec, rows, ISSUES, spec.header, CSV_COLUMNS, args.check)


if __name__ == "__main__":
    sys.exit("run scripts/build_baltic_efp.py or scripts/build_pfp_enlargement.py")
