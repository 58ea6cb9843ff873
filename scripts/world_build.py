"""Shared pieces of the build scripts of the five regional scenarios.

Used by ``build_mediterranean_dialogue.py``, ``build_asean.py``, ``build_five_eyes.py``,
``build_us_rok.py`` and ``build_kosovo_kfor.py``. Generic helpers (formatting, splicing, loaders
of the source tables) come from :mod:`scenario_build`; this module adds what those five scenarios
have in common and ``scenario_build`` does not hold:

* :class:`Spec`: one nation of a scenario and the table its economy is read from;
* :func:`economy`: GDP, defence share and spending of one nation in the scenario's data year,
  from one source per nation, chosen by coverage, in this order:

  1. ``nato``: NATO Public Diplomacy Division, *Defence Expenditure of NATO Countries
     (2014-2024)*: GDP in current USD and defence share of GDP (2014 onward; every Ally plus
     Finland and Sweden);
  2. ``sipri``: SIPRI Military Expenditure Database (2025 release), the subset shipped in
     ``scenarios/data/sources`` (2010-2024: the NATO members plus RUS, CHN, UKR, BLR, IND, JPN,
     KOR, AUS, AUT, CHE, IRL, SRB, GEO, MDA, BIH): spending in current USD and its share of
     GDP, from which GDP is derived as spending / share;
  3. ``cow``: every other state: Correlates of War NMC v7 ``milex`` (thousands of current USD,
     to 2022) over Maddison Project 2018 GDP (``gdp_musd2011``, million 2011 US dollars at
     purchasing-power parity, to 2016). The share is milex / GDP. Because the denominator is a
     PPP GDP, the share is lower, and GDP higher, than market-rate figures for middle- and
     low-income states; spending itself (what builds capability in the model) is in current USD
     as for the other two sources. The nations CSV carries ``gdp_busd_maddison_check`` for the
     nations of sources 1-2 so that the size of that gap can be read off;
  4. ``cow_analog`` (COW spending, GDP = COW population x an analog state's Maddison GDP per
     head) and ``maddison_assumed_milex`` (Maddison GDP, spending assumed) for the two states
     with a gap in those tables (Brunei, North Korea); the assumption is in the assumptions CSV.

* :func:`growth`: real GDP growth, compound annual, from Maddison over the ten years to the data
  year (the same source for every nation);
* :func:`build_rows`, :func:`check_yaml`, :func:`run`: the rest of a build (the nations block
  is :func:`scenario_build.nations_yaml_block` with the assumed keys on a fourth line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import yaml
from scenario_build import (
    DATA_DIR,
    MADDISON_FILE,
    MEMBERSHIP_COLUMNS,
    PFP_FILE,
    ROLE_ORDER,
    ScenarioFiles,
    SourceData,
    base_parser,
    cagr_pct,
    fail,
    fmt,
    fmt_assumed,
    nations_csv_columns,
    nations_yaml_block,
    read_commented_csv,
    render_csv,
    sort_rows,
    splice,
    write_or_check,
)

WORLD_PARTNERSHIPS = DATA_DIR / "partnership_years_world.csv"

GROWTH_YEARS = 10
OPTIONAL_ASSUMED = ("sovereignty_sensitivity", "resolve", "aspirant")
"""Optional columns of an assumptions CSV that are copied into the nation when non-empty."""
NATION_KEYS = ("accession_year", "partnership_year")
"""Keys written on a nation's first YAML line when non-empty (the assumed ones go on a fourth)."""

SOURCE_LABEL = {
    "nato": "market, current USD (NATO)",
    "sipri": "market, current USD (derived from SIPRI)",
    "cow": "PPP, 2011 USD (Maddison)",
    "cow_analog": "PPP, 2011 USD (analog per head x COW population; assumed)",
    "maddison_assumed_milex": "PPP, 2011 USD (Maddison)",
}


@dataclass(frozen=True)
class Spec:
    """One nation of a scenario.

    ``source`` names the table of its economy (see the module docstring); ``key`` is the SIPRI
    country name for ``sipri`` and the COW ``ccode`` for the COW-based sources. ``analog`` is
    the Maddison code whose GDP per head stands in for a state that Maddison lacks.
    ``accession`` and ``partnership`` are (year, source) pairs or None.
    """

    iso3: str
    name: str
    role: str
    source: str
    key: str | int | None = None
    analog: str | None = None
    accession: tuple[int, str] | None = None
    partnership: tuple[int, str] | None = None
    unga: str | None = None
    note: str = ""
    no_forces: bool = False


@dataclass(frozen=True)
class Build(ScenarioFiles):
    """What a scenario's build script declares (``name`` gives the script's name and files)."""

    year: int
    issues: tuple[str, ...]
    specs: Callable[[SourceData], list[Spec]]
    header: list[str]
    extra_blocks: Callable[[list[dict[str, str]], SourceData], list[tuple[str, str, list[str]]]] = (
        field(default=lambda rows, data: [])
    )
    """Further generated blocks: ``(begin marker, end marker, lines)`` for each, given the rows."""


def csv_columns(issues: Sequence[str]) -> list[str]:
    """Columns of ``<scenario>_nations.csv``."""
    return nations_csv_columns(
        (
            *MEMBERSHIP_COLUMNS,
            "gdp_busd",
            "gdp_busd_source",
            "gdp_basis",
            "defence_share_pct",
            "defence_share_pct_source",
            "milex_busd",
            "milex_busd_source",
            "gdp_busd_maddison_check",
        ),
        issues,
        assumed=OPTIONAL_ASSUMED[:2],
    )


# ---------------------------------------------------------------------------------- sources
def partnership_years(prog: str, programmes: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Start of each nation's formal partnership in the given programmes (iso3 -> year, source).

    "Partnership for Peace" reads the signatures in ``pfp_join_years.csv`` (nato_2024's table,
    read only); every programme, PfP included, also reads ``partnership_years_world.csv``.
    """
    out: dict[str, tuple[int, str]] = {}
    if "Partnership for Peace" in programmes:
        for row in read_commented_csv(PFP_FILE, prog).itertuples(index=False):
            out[row.iso3] = (int(row.pfp_year), f"{PFP_FILE.name}: pfp_year (PfP signatories)")
    for row in read_commented_csv(WORLD_PARTNERSHIPS, prog).itertuples(index=False):
        if row.programme not in programmes:
            continue
        if row.iso3 in out:
            fail(f"{row.iso3} has two partnership years for {list(programmes)}", prog)
        out[row.iso3] = (int(row.year), f"{WORLD_PARTNERSHIPS.name}: {row.programme} ({row.date})")
    return out


def nato_accession(data: SourceData, iso3: str) -> tuple[int, str]:
    """NATO accession year of an Ally from ``nato_members.csv``."""
    m = data.members
    rows = m[m["iso3"] == iso3]
    if len(rows) != 1:
        fail(f"{iso3}: not in nato_members.csv", data.prog)
    row = rows.iloc[0]
    return int(row["accession_year"]), f"nato_members.csv: accession_year ({row['accession_date']})"


def _maddison(data: SourceData, code: str) -> pd.DataFrame:
    df = data.table(MADDISON_FILE)
    return df[(df["countrycode"] == code) & df["gdp_musd2011"].notna()].set_index("year")


def growth(data: SourceData, iso3: str, year: int) -> tuple[float | None, str]:
    """Compound annual real GDP growth (%) over the ten years to ``year`` (Maddison)."""
    series = _maddison(data, iso3)["gdp_musd2011"]
    if series.empty:
        return None, f"{MADDISON_FILE}: no gdp_musd2011 for {iso3}"
    last = min(year, int(series.index.max()))
    first = last - GROWTH_YEARS
    if first not in series.index or last not in series.index:
        return None, f"{MADDISON_FILE}: gdp_musd2011 for {iso3} lacks {first} or {last}"
    start, end = float(series.loc[first]), float(series.loc[last])
    rate = cagr_pct(start, end, GROWTH_YEARS)
    src = (
        f"{MADDISON_FILE}: gdp_musd2011 (real, 2011 prices), compound annual growth "
        f"{first} ({fmt(start)}) to {last} ({fmt(end)})"
    )
    if last != year:
        src += f" (Maddison ends in {last})"
    return rate, src


def economy(data: SourceData, spec: Spec, year: int, assumed: pd.Series) -> dict[str, str]:
    """GDP (billion USD), defence share (%), spending (billion USD) and their sources."""
    prog, src = data.prog, spec.source
    rec: dict[str, str] = {"gdp_basis": SOURCE_LABEL[src], "estimate_flag": ""}
    if src == "nato":
        gdp = data.nato(spec.iso3, year, "gdp_musd_current")
        share = data.nato(spec.iso3, year, "defexp_share_gdp_pct")
        milex = data.nato(spec.iso3, year, "defexp_musd_current")
        if gdp.value is None:
            fail(f"{spec.iso3}: {gdp.source}", prog)
        rec["gdp_busd"], rec["gdp_busd_source"] = fmt(gdp.value / 1000), f"{gdp.source}, / 1000"
        if share.value is None:
            if not spec.no_forces:
                fail(f"{spec.iso3}: {share.source}", prog)
            rec["defence_share_pct"] = fmt(0.0)
            rec["defence_share_pct_source"] = f"{share.source}; no armed forces, set to 0"
            rec["milex_busd"], rec["milex_busd_source"] = "", milex.source
        else:
            rec["defence_share_pct"] = fmt(share.value)
            rec["defence_share_pct_source"] = f"{share.source} (NATO Table 3, 2015 prices)"
            rec["milex_busd"] = fmt(milex.value / 1000)
            rec["milex_busd_source"] = f"{milex.source}, / 1000 (check only)"
        if gdp.source.split(", ")[1].endswith("e"):
            rec["estimate_flag"] = f"NATO estimate ({year}e)"
    elif src == "sipri":
        share = data.sipri(spec.key, year, "milex_share_gdp_pct")
        milex = data.sipri(spec.key, year, "milex_current_musd")
        if share.value is None or milex.value is None or share.value <= 0:
            fail(f"{spec.iso3}: SIPRI {year} spending or share missing", prog)
        gdp = milex.value / (share.value / 100.0) / 1000.0
        rec["gdp_busd"] = fmt(gdp)
        rec["gdp_busd_source"] = (
            f"{milex.source} ({fmt(milex.value)}) / ({share.source} ({fmt(share.value)}) / 100)"
            " / 1000"
        )
        rec["defence_share_pct"], rec["defence_share_pct_source"] = fmt(share.value), share.source
        rec["milex_busd"], rec["milex_busd_source"] = fmt(milex.value / 1000), milex.source
        sources = (share.source, milex.source)
        flags = sorted({s.split("(SIPRI: ")[1].rstrip(")") for s in sources if "SIPRI:" in s})
        rec["estimate_flag"] = f"SIPRI {'/'.join(flags)}" if flags else ""
    elif src in ("cow", "cow_analog", "maddison_assumed_milex"):
        if src == "maddison_assumed_milex":
            if not assumed.get("milex_busd"):
                fail(f"{spec.iso3}: no assumed milex_busd in the assumptions CSV", prog)
            milex_v = float(assumed["milex_busd"])
            milex_src = f"assumed: {assumed['milex_busd_rule']}"
            rec["estimate_flag"] = "assumed spending"
        else:
            m = data.nmc_value(int(spec.key), year, "milex")
            if m.value is None:
                fail(f"{spec.iso3}: {m.source}", prog)
            milex_v, milex_src = m.value / 1e6, f"{m.source} (thousands of current USD) / 1e6"
        if src == "cow_analog":
            pop = data.nmc_value(int(spec.key), year, "tpop")
            per_head = _maddison(data, spec.analog)
            if pop.value is None or year not in per_head.index:
                fail(f"{spec.iso3}: population or analog GDP per head missing for {year}", prog)
            row = per_head.loc[year]
            head = float(row["gdp_musd2011"]) / float(row["pop"])  # million USD per thousand
            gdp_v = pop.value * head / 1000.0
            gdp_src = (
                f"assumed: {pop.source} (thousands) x {spec.analog}'s GDP per head in "
                f"{MADDISON_FILE} ({fmt(head * 1000)} USD of 2011, {year}) / 1000"
            )
            rec["estimate_flag"] = "assumed GDP"
        else:
            g = data.maddison_gdp_busd(spec.iso3, year)
            if g.value is None:
                last = int(_maddison(data, spec.iso3).index.max())
                g = data.maddison_gdp_busd(spec.iso3, last)
                if g.value is None or src != "maddison_assumed_milex":
                    fail(f"{spec.iso3}: {g.source}", prog)
                g = g._replace(source=f"{g.source} (Maddison's last year for {spec.iso3})")
            gdp_v, gdp_src = g.value, g.source
        share_v = milex_v / gdp_v * 100.0
        rec["gdp_busd"], rec["gdp_busd_source"] = fmt(gdp_v), gdp_src
        rec["milex_busd"], rec["milex_busd_source"] = fmt(milex_v), milex_src
        rec["defence_share_pct"] = fmt(share_v)
        rec["defence_share_pct_source"] = "milex_busd / gdp_busd x 100 (spending at current "
        rec["defence_share_pct_source"] += "USD over a PPP GDP: lower than a market-rate share)"
    else:
        fail(f"{spec.iso3}: unknown source {src!r}", prog)
    if src in ("nato", "sipri"):
        check = data.maddison_gdp_busd(spec.iso3, year)
        rec["gdp_busd_maddison_check"] = "" if check.value is None else fmt(check.value)
    return rec


# ---------------------------------------------------------------------------------- rows
def build_rows(b: Build, data: SourceData) -> list[dict[str, str]]:
    """One record per nation with every value and its source."""
    prog = b.prog
    specs = b.specs(data)
    if len({s.iso3 for s in specs}) != len(specs):
        fail("a nation is listed twice in the script", prog)
    assumed = b.read_assumptions()
    if assumed.index.duplicated().any():
        fail(f"{b.assumptions.name}: a nation is listed twice", prog)
    need = {"role", "exposure", "justification", *(f"interest_{k}" for k in b.issues)}
    missing = need - set(assumed.columns)
    if missing:
        fail(f"{b.assumptions.name}: missing columns {sorted(missing)}", prog)
    rows = []
    for spec in specs:
        if spec.iso3 not in assumed.index:
            fail(f"{spec.iso3}: no row in {b.assumptions.name}", prog)
        a = assumed.loc[spec.iso3]
        if a["role"] != spec.role:
            fail(f"{spec.iso3}: role {spec.role} in the script, {a['role']} in the CSV", prog)
        rec = {"iso3": spec.iso3, "name": spec.name, "role": spec.role, "note": spec.note}
        rec.update(economy(data, spec, b.year, a))
        for kind, value in (
            ("accession_year", spec.accession),
            ("partnership_year", spec.partnership),
        ):
            year_text, source = ("", "") if value is None else (str(value[0]), value[1])
            rec[kind], rec[f"{kind}_source"] = year_text, source
        rate, src = growth(data, spec.iso3, b.year)
        if rate is None:
            if not a.get("gdp_growth_pct_per_year"):
                fail(f"{spec.iso3}: {src}, and no assumed growth", prog)
            rate = float(a["gdp_growth_pct_per_year"])
            src += f"; assumed ({b.assumptions.name})"
        elif a.get("gdp_growth_pct_per_year"):
            fail(f"{spec.iso3}: growth both computed from data and assumed", prog)
        rec["gdp_growth_pct_per_year"], rec["gdp_growth_pct_per_year_source"] = fmt(rate), src
        ip = data.unga(spec.unga or spec.iso3, b.year, "idealpointall")
        rec["ideal_point"] = "" if ip.value is None else fmt(ip.value)
        rec["ideal_point_source"] = ip.source
        rec["exposure"] = fmt_assumed(float(a["exposure"]))
        for k in b.issues:
            rec[f"interest_{k}"] = fmt_assumed(float(a[f"interest_{k}"]))
        for k in OPTIONAL_ASSUMED:
            value = a.get(k, "")
            rec[k] = value if k == "aspirant" else (fmt_assumed(float(value)) if value else "")
        rec["assumptions_source"] = f"{b.assumptions.name}: {a['justification']}"
        rows.append(rec)
    extra = sorted(set(assumed.index) - {s.iso3 for s in specs})
    if extra:
        fail(f"{b.assumptions.name} has nations not in the scenario: {', '.join(extra)}", prog)
    return sort_rows(rows)


def check_yaml(b: Build, text: str, rows: list[dict[str, str]]) -> None:
    """Parse the new scenario text and confirm the nations round-trip exactly."""
    data = yaml.safe_load(text)
    if tuple(data.get("issues") or ()) != b.issues:
        fail(f"the scenario's issues must be {list(b.issues)} (the CSV columns)", b.prog)
    nations = data.get("nations") or []
    if len(nations) != len(rows):
        fail(f"the YAML holds {len(nations)} nations, expected {len(rows)}", b.prog)
    for n, rec in zip(nations, rows, strict=True):
        if n["iso3"] != rec["iso3"] or fmt(n["gdp_busd"]) != rec["gdp_busd"]:
            fail(f"round-trip mismatch for {rec['iso3']}", b.prog)
        if fmt(n["defence_share_pct"]) != rec["defence_share_pct"]:
            fail(f"round-trip mismatch for {rec['iso3']}'s defence share", b.prog)
        if len(n["interests"]) != len(b.issues):
            fail(f"{rec['iso3']}: interests do not match the {len(b.issues)} issues", b.prog)


def run(b: Build, argv: Sequence[str] | None = None) -> int:
    """Parse ``--sources``/``--check``, build, and write (or check) the CSV and the YAML."""
    args = base_parser(f"Build the nations of scenarios/{b.scenario.name}.").parse_args(argv)
    data = SourceData(args.sources, b.prog)
    rows = build_rows(b, data)
    block = nations_yaml_block(
        rows, b.issues, b.header, first_keys=NATION_KEYS, last_keys=OPTIONAL_ASSUMED[:2]
    )
    text = splice(b.scenario.read_text(encoding="utf-8"), block, prog=b.prog)
    for begin, end, lines in b.extra_blocks(rows, data):
        text = splice(text, lines, begin, end, prog=b.prog)
    check_yaml(b, text, rows)
    outputs = {b.nations_csv: render_csv(rows, csv_columns(b.issues)), b.scenario: text}
    code = write_or_check(outputs, args.check, b.prog)
    if not args.check:
        counts = {r: sum(x["role"] == r for x in rows) for r in ROLE_ORDER}
        print(", ".join(f"{k} {v}" for k, v in counts.items() if v), f"({len(rows)} nations)")
    return code


__all__ = [
    "Build",
    "Spec",
    "nato_accession",
    "partnership_years",
    "run",
]
