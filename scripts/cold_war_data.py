"""Nations of the Cold War NATO scenarios (``nato_1964``, ``nato_1985``) from the source tables.

Shared by ``scripts/build_nato_1964.py`` and ``scripts/build_nato_1985.py``; each passes a
:class:`Spec` (year, files, notes) to :func:`main`. For the year ``Y`` of the scenario:

* **Members**: NATO on 31 December ``Y`` from ``alliance_blocs_by_year.csv`` (COW codes), mapped
  to ISO3 through ``nato_members.csv`` (the FRG is COW 260 and ISO3 DEU).
* **Adversary**: the Warsaw Pact on 31 December ``Y`` from the same table, as one bloc.
* ``gdp_busd``: Maddison Project Database 2018, ``gdp_musd2011`` / 1000, in **billion 2011
  US dollars at constant prices (PPP)**, not current dollars as the schema's unit says. All
  nations use the same unit, so the ratios that drive the model (capabilities, shares of the
  alliance) are consistent. Maddison has no FRG or GDR: its DEU is the whole of Germany. The
  two are split by COW population (``tpop``) with an assumed GDR/FRG GDP-per-head ratio
  (:data:`GDR_PER_CAPITA_RATIO`; see its comment).
* ``defence_share_pct``: SIPRI ``milex_share_gdp_pct`` for ``Y`` where SIPRI has it. Where it
  has none (the USSR before 1988, and in these years the GDR, Czechoslovakia, Bulgaria and
  Albania) the share is derived from COW NMC v7: ``milex`` (thousands of current USD) over GDP
  in current USD, where GDP in current USD = Maddison GDP (2011 USD) x the US price level of
  ``Y`` relative to 2011, itself derived from the data as US nominal GDP (SIPRI spending /
  share) over US real GDP (Maddison). Iceland has no armed forces: 0.
* ``gdp_growth_pct_per_year``: compound annual growth of Maddison real GDP over the ten years
  before ``Y`` (the FRG and the GDR take whole Germany's rate).
* ``ideal_point``: UNGA ``idealpointall`` (Bailey, Strezhnev and Voeten 2017) for ``Y`` (or the
  spec's fallback year), matched on the COW code.
* exposure, interests and sovereignty sensitivity: ``scenarios/data/<name>_assumptions.csv``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import scenario_build as sb
from scenario_build import (
    MADDISON_FILE,
    MEMBERS_FILE,
    NMC_FILE,
    SIPRI_FILE,
    Sourced,
    SourceData,
    fmt,
)

ISSUES = ("forward_defence", "northern_flank", "southern_flank", "out_of_area", "detente")

# GDR GDP per head as a share of the FRG's: an ASSUMPTION (the source tables hold no split of
# Germany). Comparisons of the two economies (e.g. Sleifer 2006, "Planning Ahead and Falling
# Behind") put the GDR well below the FRG by the 1960s-80s; 0.5 is a round middle value. With
# 0.4 or 0.6 the FRG's GDP moves by about +2.5 % / -2.3 %; the GDR's by -20 % / +20 %, and its
# COW-derived defence share by the inverse.
GDR_PER_CAPITA_RATIO = 0.5

# COW code -> (ISO3, display name, Maddison code, SIPRI name) for the Warsaw Pact. ISO3 codes of
# the period: SUN (USSR), DDR (GDR), CSK (Czechoslovakia), ISO 3166-3 since their dissolution.
PACT = {
    365: ("SUN", "Soviet Union", "SUN", None),
    265: ("DDR", "East Germany (GDR)", None, "German Democratic Republic"),
    290: ("POL", "Poland", "POL", "Poland"),
    315: ("CSK", "Czechoslovakia", "CSK", "Czechoslovakia"),
    310: ("HUN", "Hungary", "HUN", "Hungary"),
    360: ("ROU", "Romania", "ROU", "Romania"),
    355: ("BGR", "Bulgaria", "BGR", "Bulgaria"),
    339: ("ALB", "Albania", "ALB", "Albania"),
}

# Members whose SIPRI name differs from nato_members.csv; SIPRI's "Germany" is the FRG up to 1990.
SIPRI_NAMES = {"USA": "United States of America", "DEU": "Germany", "TUR": "Türkiye"}
MEMBER_NAMES = {"DEU": "West Germany (FRG)", "TUR": "Turkey"}
FRG, GDR = 260, 265

CSV_COLUMNS = sb.nations_csv_columns(
    (
        "cow_ccode",
        "accession_year",
        "accession_year_source",
        "gdp_busd",
        "gdp_busd_source",
        "defence_share_pct",
        "defence_share_pct_source",
        "defence_share_pct_cow_check",
    ),
    ISSUES,
    assumed=("sovereignty_sensitivity",),
)


@dataclass(frozen=True)
class Spec(sb.ScenarioFiles):
    """What differs between the Cold War scenarios (``name`` gives the files)."""

    year: int
    unga_fallback: tuple[int, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    header: tuple[str, ...] = ()


def us_price_ratio(data: SourceData, year: int, prog: str) -> tuple[float, str]:
    """US price level of ``year`` relative to 2011: SIPRI nominal GDP / Maddison real GDP."""
    milex = data.sipri("United States of America", year, "milex_current_musd").value
    share = data.sipri("United States of America", year).value
    real = data.maddison_gdp_busd("USA", year).value
    if not (milex and share and real):
        sb.fail(f"cannot derive the US price level of {year}", prog)
    nominal = milex / (share / 100.0) / 1000.0
    text = (
        f"US price level {year}/2011 = US nominal GDP ({SIPRI_FILE}: milex_current_musd / "
        f"milex_share_gdp_pct, {year}: {fmt(nominal)} bn) / US real GDP ({MADDISON_FILE}, "
        f"{year}: {fmt(real)} bn 2011 USD) = {fmt(nominal / real)}"
    )
    return nominal / real, text


def germany_split(data: SourceData, year: int, prog: str) -> dict[int, Sourced]:
    """Maddison's whole-Germany GDP split into FRG and GDR (billion 2011 USD)."""
    total = data.maddison_gdp_busd("DEU", year)
    pops = {c: data.nmc_value(c, year, "tpop") for c in (FRG, GDR)}
    if total.value is None or any(p.value is None for p in pops.values()):
        sb.fail(f"cannot split Germany's GDP in {year}", prog)
    weights = {FRG: pops[FRG].value, GDR: pops[GDR].value * GDR_PER_CAPITA_RATIO}
    out = {}
    for c, w in weights.items():
        share = w / sum(weights.values())
        out[c] = Sourced(
            total.value * share,
            f"{total.source} ({fmt(total.value)}, whole Germany) x {fmt(share)}: population "
            f"split by {NMC_FILE} tpop {year} (FRG {pops[FRG].value:.0f}k, GDR "
            f"{pops[GDR].value:.0f}k) with GDR GDP per head assumed {GDR_PER_CAPITA_RATIO} x "
            "the FRG's",
        )
    return out


def cow_share(data: SourceData, ccode: int, year: int, gdp: float, price: tuple[float, str]):
    """Defence share (%) from COW milex over GDP in current USD; None if COW has no milex."""
    milex = data.nmc_value(ccode, year, "milex")
    if milex.value is None:
        return None, milex.source
    nominal = gdp * price[0]
    share = milex.value / 1e6 / nominal * 100.0
    return share, (
        f"{milex.source} ({milex.value:.0f} thousand current USD) / (gdp_busd x US price level "
        f"= {fmt(nominal)} bn current USD) x 100; {price[1]}"
    )


def growth(data: SourceData, code: str, year: int, prog: str) -> tuple[float, str]:
    """Compound annual real growth of Maddison GDP over the ten years before ``year``."""
    start, end = data.maddison_gdp_busd(code, year - 10), data.maddison_gdp_busd(code, year)
    if start.value is None or end.value is None:
        sb.fail(f"no Maddison GDP for {code} in {year - 10} or {year}", prog)
    rate = sb.cagr_pct(start.value, end.value, 10)
    src = (
        f"{MADDISON_FILE}: gdp_musd2011, compound annual growth {year - 10} "
        f"({fmt(start.value)}) to {year} ({fmt(end.value)}), countrycode {code}"
    )
    return rate, src


def nation_record(data, spec, ccode, iso3, name, role, gdp, price) -> dict[str, str]:
    """Values and sources of one nation except its assumptions."""
    year, prog = spec.year, spec.prog
    rec = {"iso3": iso3, "name": name, "role": role, "cow_ccode": str(ccode)}
    rec["gdp_busd"], rec["gdp_busd_source"] = fmt(gdp.value), gdp.source
    sipri_name = SIPRI_NAMES.get(iso3, name) if role == "member" else PACT[ccode][3]
    share = data.sipri(sipri_name, year) if sipri_name else Sourced(None, "no SIPRI series")
    cow, cow_src = cow_share(data, ccode, year, gdp.value, price)
    rec["defence_share_pct_cow_check"] = fmt(cow) if cow is not None else ""
    if share.value is not None:
        rec["defence_share_pct"], rec["defence_share_pct_source"] = fmt(share.value), share.source
        rec["estimate_flag"] = "SIPRI estimate" if "(SIPRI:" in share.source else ""
    elif iso3 == "ISL":
        rec["defence_share_pct"] = fmt(0.0)
        rec["defence_share_pct_source"] = f"{share.source}; no armed forces, set to 0"
        rec["estimate_flag"] = ""
    elif cow is not None:
        rec["defence_share_pct"] = fmt(cow)
        rec["defence_share_pct_source"] = f"{share.source}; derived from COW: {cow_src}"
        rec["estimate_flag"] = "derived from COW NMC (uncertain)"
    else:
        sb.fail(f"{iso3}: no defence share in SIPRI or COW for {year}", prog)
    code = "DEU" if ccode in (FRG, GDR) else (iso3 if role == "member" else PACT[ccode][2])
    rate, src = growth(data, code, year, prog)
    rec["gdp_growth_pct_per_year"], rec["gdp_growth_pct_per_year_source"] = fmt(rate), src
    ip = data.unga(ccode, year, "idealpointall", spec.unga_fallback)
    rec["ideal_point"] = fmt(ip.value) if ip.value is not None else ""
    rec["ideal_point_source"] = ip.source
    rec["note"] = spec.notes.get(iso3, "")
    return rec


def build_rows(spec: Spec, sources: Path) -> list[dict[str, str]]:
    """One record per nation with every value and its source."""
    data, year, prog = SourceData(sources, spec.prog), spec.year, spec.prog
    price = us_price_ratio(data, year, prog)
    germany = germany_split(data, year, prog)
    members = data.members
    iso_by_ccode = dict(zip(members["cow_ccode"], members["iso3"], strict=True)) | {FRG: "DEU"}
    rows = []
    for b in data.blocs(year, "NATO").itertuples(index=False):
        iso3 = iso_by_ccode[b.ccode]
        m = sb.one_row(members[members["iso3"] == iso3], f"{MEMBERS_FILE} {iso3}", prog)
        name = MEMBER_NAMES.get(iso3, m["country"])
        gdp = germany[FRG] if b.ccode == FRG else data.maddison_gdp_busd(iso3, year)
        rec = nation_record(data, spec, b.ccode, iso3, name, "member", gdp, price)
        rec["accession_year"] = str(int(m["accession_year"]))
        rec["accession_year_source"] = f"{MEMBERS_FILE}: accession_year ({m['accession_date']})"
        rows.append(rec)
    for b in data.blocs(year, "Warsaw Pact").itertuples(index=False):
        iso3, name, code, _ = PACT[b.ccode]
        gdp = germany[GDR] if b.ccode == GDR else data.maddison_gdp_busd(code, year)
        if gdp.value is None:
            sb.fail(f"{iso3}: no Maddison GDP for {year}", prog)
        rows.append(nation_record(data, spec, b.ccode, iso3, name, "adversary", gdp, price))
    assumed = spec.read_assumptions()
    sb.apply_assumptions(rows, assumed, ISSUES, prog, spec.assumptions.name)
    return sb.sort_rows(rows)


def main(spec: Spec, argv: list[str] | None = None) -> int:
    """Build (or with --check, verify) the scenario's nations block and nations CSV."""
    args = sb.base_parser(f"Build the nations of scenarios/{spec.name}.yaml").parse_args(argv)
    rows = build_rows(spec, args.sources)
    return sb.write_nations(spec, rows, ISSUES, spec.header, CSV_COLUMNS, args.check)


if __name__ == "__main__":
    sys.exit("run scripts/build_nato_1964.py or scripts/build_nato_1985.py")
