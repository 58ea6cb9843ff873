"""Build the nations of ``scenarios/nato_2024.yaml`` from the shared public data tables.

Reads (from ``--shared DIR``, default ``../shared/data`` relative to the repository root):

* ``nato_members.csv``: the 32 Allies and their accession years;
* ``nato_defence_expenditure_2014_2024.csv`` (NATO Public Diplomacy Division, 2024): members'
  2024 GDP (current USD), defence share of GDP and real GDP (2015 prices) for growth;
* ``sipri_milex_selected.csv`` (SIPRI Military Expenditure Database, 2025 release): partners'
  and the adversary's 2024 military expenditure and its share of GDP, from which GDP is derived;
* ``unga_idealpoints_1946_2024.csv`` (Bailey, Strezhnev and Voeten 2017; release July 2025):
  the 2024 ``idealpointfp``;

and, from the repository, ``scenarios/data/nato_2024_assumptions.csv`` (exposure, interests,
aspirant flag and growth where no data exist, each with its justification).

Writes ``scenarios/data/nato_2024_nations.csv`` (every value the scenario uses, with a source
column per value) and rewrites only the lines between ``  # BEGIN GENERATED NATIONS`` and
``  # END GENERATED NATIONS`` in ``scenarios/nato_2024.yaml``. With ``--check`` nothing is
written; the exit code is 1 if either file would change, 0 if both are current.

Usage::

    python scripts/build_nato_2024.py [--shared DIR] [--check]
"""

from __future__ import annotations

import json
import sys
import textwrap
from functools import partial
from pathlib import Path
from typing import NoReturn

import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scenario_build as sb
from scenario_build import (
    MEMBERS_FILE,
    NATO_FILE,
    REPO,
    SIPRI_FILE,
    UNGA_FILE,
    fmt,
    fmt_assumed,
)

PROG = "build_nato_2024"
SCENARIO = REPO / "scenarios" / "nato_2024.yaml"
ASSUMPTIONS = REPO / "scenarios" / "data" / "nato_2024_assumptions.csv"
PFP = REPO / "scenarios" / "data" / "pfp_join_years.csv"
NATIONS_CSV = REPO / "scenarios" / "data" / "nato_2024_nations.csv"

YEAR = 2024
GROWTH_FROM = 2014
ISSUES = (
    "eastern_flank",
    "southern_flank",
    "out_of_area",
    "economic_ties_adversary",
    "cyber_hybrid",
)
ROLE_ORDER = {"member": 0, "partner": 1, "adversary": 2}

# Non-members taken from SIPRI: ISO3 -> (SIPRI country name, display name, role).
SIPRI_NATIONS = {
    "UKR": ("Ukraine", "Ukraine", "partner"),
    "GEO": ("Georgia", "Georgia", "partner"),
    "MDA": ("Moldova", "Moldova", "partner"),
    "BIH": ("Bosnia and Herzegovina", "Bosnia and Herzegovina", "partner"),
    "SRB": ("Serbia", "Serbia", "partner"),
    "AUT": ("Austria", "Austria", "partner"),
    "CHE": ("Switzerland", "Switzerland", "partner"),
    "IRL": ("Ireland", "Ireland", "partner"),
    "JPN": ("Japan", "Japan", "partner"),
    "KOR": ("Korea, South", "South Korea", "partner"),
    "AUS": ("Australia", "Australia", "partner"),
    "RUS": ("Russia", "Russia", "adversary"),
    "BLR": ("Belarus", "Belarus", "adversary"),
}

# SIPRI spells two Allies differently from NATO; used only for the GDP cross-check column.
SIPRI_MEMBER_NAMES = {"USA": "United States of America", "SVK": "Slovakia"}

# The UNGA file keys Serbia by its COW code 345, under iso3c "YUG" (COW treats Serbia as the
# continuation of Yugoslavia); every other nation matches on its own ISO3 code.
UNGA_ISO3 = {"SRB": "YUG"}

# Real-GDP series breaks in the NATO table. From 2023 NATO reports Luxembourg's figures against
# gross national income instead of GDP (the 2023 Vilnius arrangement): its "GDP" falls by a third
# in 2023 (-33.9 % real). Growth is therefore taken over the consistent GDP years only.
SERIES_BREAKS = {"LUX": 2023}
# Any other year-on-year real change below this is treated as an unknown break (the script stops).
BREAK_THRESHOLD_PCT = -20.0

# Per-nation notes, written as YAML comments above the nation and into the CSV.
NOTES = {
    "ISL": "Iceland has no armed forces and no defence expenditure in the NATO tables (GDP only); "
    "defence_share_pct set to 0, not estimated",
    "LUX": "2023-2024 NATO figures are on a gross national income basis (Vilnius 2023): "
    "gdp_busd is NATO's GNI denominator and the share is of GNI; growth from the GDP years "
    "2014-2022",
    "NLD": "NATO's share (2.05 %) is at 2015 prices; at current prices spending / GDP is 1.85 %, "
    "so gdp_busd x share overstates 2024 spending by 11 % (NATO publishes 21.46 bn USD)",
    "SWE": "joined on 2024-03-07; NATO's tables carry Sweden (and Finland) from 2014",
    "UKR": "wartime defence share (about 34.5 % of GDP, SIPRI estimate) kept as published",
    "RUS": "SIPRI marks Russia's 2024 spending and share as estimates",
    "SRB": "SIPRI marks Serbia's 2024 figures as estimates; UNGA ideal point under iso3c YUG "
    "(COW 345)",
}

CSV_COLUMNS = [
    "iso3",
    "name",
    "role",
    "aspirant",
    "accession_year",
    "accession_year_source",
    "partnership_year",
    "partnership_year_source",
    "gdp_busd",
    "gdp_busd_source",
    "defence_share_pct",
    "defence_share_pct_source",
    "defexp_busd_published",
    "defexp_busd_published_source",
    "gdp_busd_sipri_check",
    "gdp_growth_pct_per_year",
    "gdp_growth_pct_per_year_source",
    "ideal_point",
    "ideal_point_source",
    "exposure",
    *[f"interest_{k}" for k in ISSUES],
    "assumptions_source",
    "estimate_flag",
    "note",
]


def fail(message: str) -> NoReturn:
    """Stop with a message naming the problem (exit code 2)."""
    sb.fail(message, PROG)


read_commented_csv = partial(sb.read_commented_csv, prog=PROG)
one_row = partial(sb.one_row, prog=PROG)


def growth(nato: pd.DataFrame, iso3: str) -> tuple[float, str]:
    """Average annual real GDP growth (%) from ``gdp_musd_2015`` and its source text."""
    series = (
        nato[nato["iso3"] == iso3].set_index("year")["gdp_musd_2015"].sort_index().astype(float)
    )
    last = SERIES_BREAKS.get(iso3, YEAR + 1) - 1
    series = series.loc[GROWTH_FROM:last]
    if series.isna().any() or series.index.min() != GROWTH_FROM or series.index.max() != last:
        fail(f"{iso3}: gdp_musd_2015 incomplete for {GROWTH_FROM}-{last}")
    yoy = series.pct_change().dropna() * 100
    if (yoy < BREAK_THRESHOLD_PCT).any():
        fail(f"{iso3}: real GDP falls below {BREAK_THRESHOLD_PCT} % in a year; check for a break")
    years = last - GROWTH_FROM
    start, end = series.loc[GROWTH_FROM], series.loc[last]
    rate = ((end / start) ** (1.0 / years) - 1.0) * 100.0
    source = (
        f"{NATO_FILE}: gdp_musd_2015 (constant 2015 prices), compound annual growth "
        f"{GROWTH_FROM} ({fmt(start)}) to {last} ({fmt(end)}), {years} years"
    )
    if iso3 in SERIES_BREAKS:
        source += f"; stops before the {SERIES_BREAKS[iso3]} series break (GNI basis)"
    return rate, source


def sipri_gdp(sipri: pd.DataFrame, name: str) -> str:
    """Return GDP derived from SIPRI as spending / share (billion USD), or "" if not derivable.

    For members this cross-checks the derivation used for partners and the adversary against
    NATO's own GDP figure.
    """
    rows = sipri[(sipri["country"] == name) & (sipri["year"] == YEAR)]
    if len(rows) != 1:
        return ""
    milex, share = rows.iloc[0]["milex_current_musd"], rows.iloc[0]["milex_share_gdp_pct"]
    if pd.isna(milex) or pd.isna(share) or milex <= 0 or share <= 0:
        return ""
    return fmt(float(milex) / (float(share) / 100.0) / 1000.0)


def ideal_point(unga: pd.DataFrame, iso3: str) -> tuple[float | None, str]:
    """Return the 2024 ``idealpointfp`` and its source (None if the UNGA file has none)."""
    code = UNGA_ISO3.get(iso3, iso3)
    rows = unga[(unga["iso3c"] == code) & (unga["year"] == YEAR)]
    if rows.empty or pd.isna(rows.iloc[0]["idealpointfp"]):
        return None, f"{UNGA_FILE}: no idealpointfp for iso3c {code} in {YEAR}"
    row = one_row(rows, f"UNGA {code} {YEAR}")
    source = f"{UNGA_FILE}: idealpointfp, {YEAR}, iso3c {code}"
    if code != iso3:
        source += f" (COW {int(row['ccode'])}, '{row['countryname']}')"
    return float(row["idealpointfp"]), source


def build_rows(shared: Path) -> list[dict[str, str]]:
    """One record per nation with every value and its source."""
    members = pd.read_csv(shared / MEMBERS_FILE)
    nato = pd.read_csv(shared / NATO_FILE)
    sipri = pd.read_csv(shared / SIPRI_FILE)
    unga = pd.read_csv(shared / UNGA_FILE)
    assumed = read_commented_csv(ASSUMPTIONS).set_index("iso3")
    pfp = read_commented_csv(PFP).set_index("iso3")

    rows: list[dict[str, str]] = []
    for m in members.itertuples(index=False):
        iso3 = m.iso3
        n = one_row(nato[(nato["iso3"] == iso3) & (nato["year"] == YEAR)], f"NATO {iso3} {YEAR}")
        if int(n["is_estimate"]) != 1:
            fail(f"{iso3}: expected NATO's {YEAR} figures to be marked as estimates")
        gdp = float(n["gdp_musd_current"]) / 1000.0
        rec = {
            "iso3": iso3,
            "name": m.country,
            "role": "member",
            "accession_year": str(int(m.accession_year)),
            "accession_year_source": f"{MEMBERS_FILE}: accession_year ({m.accession_date})",
            "gdp_busd": fmt(gdp),
            "gdp_busd_source": f"{NATO_FILE}: gdp_musd_current, {YEAR}e, / 1000",
            "estimate_flag": f"NATO estimate ({YEAR}e)",
            "gdp_busd_sipri_check": sipri_gdp(sipri, SIPRI_MEMBER_NAMES.get(iso3, m.country)),
        }
        if pd.isna(n["defexp_share_gdp_pct"]):
            if iso3 != "ISL":
                fail(f"{iso3}: no defence share in the NATO table for {YEAR}")
            rec["defence_share_pct"] = fmt(0.0)
            rec["defence_share_pct_source"] = (
                f"{NATO_FILE}: defexp_share_gdp_pct empty ({YEAR}); no armed forces, set to 0"
            )
            rec["defexp_busd_published"] = ""
            rec["defexp_busd_published_source"] = f"{NATO_FILE}: defexp_musd_current empty"
        else:
            rec["defence_share_pct"] = fmt(float(n["defexp_share_gdp_pct"]))
            rec["defence_share_pct_source"] = (
                f"{NATO_FILE}: defexp_share_gdp_pct, {YEAR}e (NATO Table 3, 2015 prices)"
            )
            rec["defexp_busd_published"] = fmt(float(n["defexp_musd_current"]) / 1000.0)
            rec["defexp_busd_published_source"] = (
                f"{NATO_FILE}: defexp_musd_current, {YEAR}e, / 1000 (check only)"
            )
        rate, src = growth(nato, iso3)
        rec["gdp_growth_pct_per_year"] = fmt(rate)
        rec["gdp_growth_pct_per_year_source"] = src
        rows.append(rec)

    for iso3, (sipri_name, name, role) in SIPRI_NATIONS.items():
        s = one_row(
            sipri[(sipri["country"] == sipri_name) & (sipri["year"] == YEAR)],
            f"SIPRI '{sipri_name}' {YEAR}",
        )
        milex, share = float(s["milex_current_musd"]), float(s["milex_share_gdp_pct"])
        if not (milex > 0 and share > 0):
            fail(f"{iso3}: SIPRI {YEAR} spending or share missing")
        flags = sorted({str(f) for f in (s["const_flag"], s["gdp_share_flag"]) if pd.notna(f)})
        rows.append(
            {
                "iso3": iso3,
                "name": name,
                "role": role,
                "accession_year": "",
                "accession_year_source": "",
                "gdp_busd": fmt(milex / (share / 100.0) / 1000.0),
                "gdp_busd_source": (
                    f"{SIPRI_FILE}: milex_current_musd ({fmt(milex)}) / (milex_share_gdp_pct "
                    f"({fmt(share)}) / 100) / 1000, {YEAR}, country '{sipri_name}'"
                ),
                "defence_share_pct": fmt(share),
                "defence_share_pct_source": (
                    f"{SIPRI_FILE}: milex_share_gdp_pct, {YEAR}, country '{sipri_name}'"
                ),
                "defexp_busd_published": fmt(milex / 1000.0),
                "defexp_busd_published_source": (
                    f"{SIPRI_FILE}: milex_current_musd, {YEAR}, / 1000 (check only)"
                ),
                "estimate_flag": f"SIPRI {'/'.join(flags)}" if flags else "",
                "gdp_busd_sipri_check": sipri_gdp(sipri, sipri_name),
            }
        )

    for rec in rows:
        iso3 = rec["iso3"]
        if iso3 not in assumed.index:
            fail(f"{iso3}: no row in {ASSUMPTIONS.name}")
        a = assumed.loc[iso3]
        if a["role"] != rec["role"]:
            fail(f"{iso3}: role {rec['role']} in the data, {a['role']} in {ASSUMPTIONS.name}")
        rec["aspirant"] = a["aspirant"]
        rec["exposure"] = fmt_assumed(float(a["exposure"]))
        for k in ISSUES:
            rec[f"interest_{k}"] = fmt_assumed(float(a[f"interest_{k}"]))
        rec["assumptions_source"] = f"{ASSUMPTIONS.name}: {a['justification']}"
        if "gdp_growth_pct_per_year" not in rec:
            if not a["gdp_growth_pct_per_year"]:
                fail(f"{iso3}: no growth data and no assumed growth")
            rec["gdp_growth_pct_per_year"] = fmt(float(a["gdp_growth_pct_per_year"]))
            rec["gdp_growth_pct_per_year_source"] = (
                f"{ASSUMPTIONS.name}: assumed (no real GDP series in shared data)"
            )
        elif a["gdp_growth_pct_per_year"]:
            fail(f"{iso3}: growth both computed from data and assumed")
        if iso3 in pfp.index:
            rec["partnership_year"] = str(int(pfp.loc[iso3, "pfp_year"]))
            rec["partnership_year_source"] = f"{PFP.name}: pfp_year (NATO PfP signatories)"
        ip, src = ideal_point(unga, iso3)
        rec["ideal_point"] = "" if ip is None else fmt(ip)
        rec["ideal_point_source"] = src
        rec["note"] = NOTES.get(iso3, "")
    extra = sorted(set(assumed.index) - {r["iso3"] for r in rows})
    if extra:
        fail(f"{ASSUMPTIONS.name} has nations not in the scenario: {', '.join(extra)}")
    rows.sort(key=lambda r: (ROLE_ORDER[r["role"]], r["iso3"]))
    return rows


def nations_csv(rows: list[dict[str, str]]) -> str:
    """Render the text of ``scenarios/data/nato_2024_nations.csv``."""
    return sb.render_csv(rows, CSV_COLUMNS)


def yaml_block(rows: list[dict[str, str]]) -> list[str]:
    """Render the generated lines of the ``nations:`` list (markers excluded)."""
    out = [
        "  # Generated by scripts/build_nato_2024.py; do not edit by hand (edit the assumptions",
        "  # CSV or the script and regenerate). Source of every value:",
        "  # scenarios/data/nato_2024_nations.csv. Members: NATO 2024 estimates; partners and",
        "  # adversary: SIPRI 2024 (gdp_busd derived as spending / share of GDP).",
    ]
    role = None
    for rec in rows:
        if rec["role"] != role:
            role = rec["role"]
            count = sum(r["role"] == role for r in rows)
            out.append(f"  # --- {role} ({count}) ---")
        if rec["note"]:
            note = textwrap.wrap(f"{rec['iso3']}: {rec['note']}", width=94)
            out += [f"  # {line}" for line in note]
        first = [
            f"iso3: {rec['iso3']}",
            f"name: {json.dumps(rec['name'], ensure_ascii=False)}",
            f"role: {rec['role']}",
        ]
        if rec["accession_year"]:
            first.append(f"accession_year: {rec['accession_year']}")
        if rec.get("partnership_year"):
            first.append(f"partnership_year: {rec['partnership_year']}")
        if rec["aspirant"] == "true":
            first.append("aspirant: true")
        second = [
            f"gdp_busd: {rec['gdp_busd']}",
            f"defence_share_pct: {rec['defence_share_pct']}",
            f"gdp_growth_pct_per_year: {rec['gdp_growth_pct_per_year']}",
        ]
        third = [f"ideal_point: {rec['ideal_point']}"] if rec["ideal_point"] else []
        interests = ", ".join(rec[f"interest_{k}"] for k in ISSUES)
        third += [f"exposure: {rec['exposure']}", f"interests: [{interests}]"]
        out.append("  - {" + ", ".join(first) + ",")
        out.append("     " + ", ".join(second) + ",")
        out.append("     " + ", ".join(third) + "}")
    return out


def check_yaml(text: str, rows: list[dict[str, str]]) -> None:
    """Parse the new scenario text and confirm the nations round-trip exactly."""
    data = yaml.safe_load(text)
    if tuple(data.get("issues") or ()) != ISSUES:
        fail(f"the scenario's issues must be {list(ISSUES)} (the assumptions CSV columns)")
    nations = data.get("nations") or []
    if len(nations) != len(rows):
        fail(f"the YAML holds {len(nations)} nations, expected {len(rows)}")
    for n, rec in zip(nations, rows, strict=True):
        if n["iso3"] != rec["iso3"] or fmt(n["gdp_busd"]) != rec["gdp_busd"]:
            fail(f"round-trip mismatch for {rec['iso3']}")
        if len(n["interests"]) != len(ISSUES):
            fail(f"{rec['iso3']}: interests do not match the {len(ISSUES)} issues")


def main(argv: list[str] | None = None) -> int:
    args = sb.base_parser(__doc__.splitlines()[0]).parse_args(argv)
    if not args.shared.is_dir():
        fail(f"shared data directory not found: {args.shared}")

    rows = build_rows(args.shared)
    new_yaml = sb.splice(SCENARIO.read_text(encoding="utf-8"), yaml_block(rows), prog=PROG)
    check_yaml(new_yaml, rows)
    if not args.check:
        counts = {r: sum(x["role"] == r for x in rows) for r in ROLE_ORDER}
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"{len(rows)} nations ({summary})")
    outputs = {SCENARIO: new_yaml, NATIONS_CSV: nations_csv(rows)}
    return sb.write_or_check(outputs, args.check, PROG)


if __name__ == "__main__":
    sys.exit(main())
