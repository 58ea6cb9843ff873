"""Shared pieces of the scenario build scripts (``scripts/build_<scenario>.py``).

A build script reads the public source tables shipped in ``scenarios/data/sources/`` (see its
``PROVENANCE.md``: publisher, version, licence, retrieval), writes
``scenarios/data/<scenario>_nations.csv`` with a source column per value, and splices a generated
``nations:`` block between two marker lines of ``scenarios/<scenario>.yaml``. This module holds
what every such script needs:

* formatting: :func:`fmt` (data, four decimals) and :func:`fmt_assumed` (hand-set values);
* input: :func:`read_commented_csv` (CSV with ``#`` comment lines), :func:`one_row`;
* errors: :func:`fail` (exit code 2 with the script's name);
* output: :func:`splice` (replace the lines between markers), :func:`render_csv`,
  :func:`write_or_check` (write, or with ``--check`` report stale files and exit 1);
* :func:`base_parser` (the ``--sources`` and ``--check`` options);
* :class:`ScenarioFiles`: a scenario's name and the paths and script name derived from it;
* :data:`NATO_ISSUES`: the issue axes of the NATO scenarios (nato_2024's);
* generic nations-block helpers for scripts that keep the nato_2024 layout:
  :func:`cagr_pct`, :func:`nations_csv_columns`, :func:`apply_assumptions`,
  :func:`apply_assumed_growth`, :func:`add_pfp_year`, :func:`nations_yaml_block`,
  :func:`check_nations_roundtrip`, :func:`write_nations`;
* :class:`SourceData`: loaders for the source tables several scenarios use. Each returns a
  :class:`Sourced` pair (value, source text naming the file, column, year and key), so that the
  nations CSV can carry the source of every number.

Import it from a build script in the same directory (``scripts/`` is on ``sys.path`` when a
script there is run, and the tests add it)::

    from scenario_build import SourceData, fail, fmt, splice, write_or_check
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, NoReturn

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "scenarios" / "data"
SOURCES_DIR = DATA_DIR / "sources"
PFP_FILE = DATA_DIR / "pfp_join_years.csv"

NATO_FILE = "nato_defence_expenditure_2014_2024.csv"
MEMBERS_FILE = "nato_members.csv"
BLOCS_FILE = "alliance_blocs_by_year.csv"
SIPRI_FILE = "sipri_milex_selected.csv"
UNGA_FILE = "unga_idealpoints_1946_2024.csv"
NMC_FILE = "cow_nmc_v7_1816_2022.csv"
MADDISON_FILE = "maddison2018_gdp_pop_1870_2016.csv"

BEGIN = "  # BEGIN GENERATED NATIONS"
END = "  # END GENERATED NATIONS"

# The issue axes of nato_2024 and of the scenarios built on its assumptions layout.
NATO_ISSUES = (
    "eastern_flank",
    "southern_flank",
    "out_of_area",
    "economic_ties_adversary",
    "cyber_hybrid",
)


class Sourced(NamedTuple):
    """A value read from the source tables (None when the table has none) and where it came from."""

    value: float | None
    source: str


def fmt(x: float) -> str:
    """Format a data-derived number with four fixed decimals."""
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x!r}")
    out = f"{x:.4f}"
    return "0.0000" if out == "-0.0000" else out


def fmt_assumed(x: float) -> str:
    """Format a hand-set assumption briefly (0.15, 0.5, 1)."""
    return f"{x:g}"


def fail(message: str, prog: str = "scenario_build") -> NoReturn:
    """Stop with ``prog: error: message`` on stderr and exit code 2."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def read_commented_csv(path: Path, prog: str = "scenario_build") -> pd.DataFrame:
    """Read a CSV whose leading lines starting with ``#`` are comments; every cell is a string."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = "\n".join(line for line in lines if not line.startswith("#"))
    try:
        return pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        fail(f"{path.name}: {exc} (quote fields that contain commas)", prog)


def one_row(df: pd.DataFrame, what: str, prog: str = "scenario_build") -> pd.Series:
    """Return the single row of ``df``; stop if there is none or more than one."""
    if len(df) != 1:
        fail(f"expected exactly one row for {what}, found {len(df)}", prog)
    return df.iloc[0]


def splice(
    text: str,
    block: Sequence[str],
    begin: str = BEGIN,
    end: str = END,
    prog: str = "scenario_build",
) -> str:
    """Replace the lines strictly between the ``begin`` and ``end`` marker lines with ``block``.

    Each marker must occur exactly once, as a whole line, ``begin`` first. The result ends with
    one newline.
    """
    lines = text.splitlines()
    if lines.count(begin) != 1 or lines.count(end) != 1:
        fail(f"the file must contain the lines {begin.strip()!r} and {end.strip()!r} once", prog)
    i, j = lines.index(begin), lines.index(end)
    if j < i:
        fail(f"{end.strip()!r} comes before {begin.strip()!r}", prog)
    return "\n".join([*lines[: i + 1], *block, *lines[j:]]) + "\n"


def render_csv(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> str:
    """Render records as CSV text with ``columns`` in order (missing keys are empty, LF ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for rec in rows:
        writer.writerow({k: rec.get(k, "") for k in columns})
    return buf.getvalue()


def write_or_check(outputs: dict[Path, str], check: bool, prog: str = "scenario_build") -> int:
    """Write each ``path: text`` whose content differs; with ``check``, write nothing.

    Returns the exit code: with ``check``, 1 if any file would change (each is named on stderr)
    and 0 otherwise; without ``check``, 0 after writing (the changed files are named on stdout).
    """
    stale = [p for p, new in outputs.items() if _read_or_none(p) != new]
    names = [_display(p) for p in stale]
    if check:
        for name in names:
            print(f"out of date: {name} (run python scripts/{prog}.py)", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], encoding="utf-8")
    print(f"updated: {', '.join(names) or 'nothing'}")
    return 0


def _read_or_none(path: Path) -> str | None:
    """Text of ``path``, or None if it does not exist."""
    return path.read_text(encoding="utf-8") if path.exists() else None


def _display(path: Path) -> str:
    """``path`` relative to the repository if inside it, else as given."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def base_parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the ``--sources DIR`` and ``--check`` options of a build script."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--sources",
        type=Path,
        default=SOURCES_DIR,
        help="directory of the source tables (default: scenarios/data/sources in the repository)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if an output would change"
    )
    return parser


@dataclass(frozen=True)
class ScenarioFiles:
    """A scenario's name and what follows from it: its build script's name and its files."""

    name: str

    @property
    def prog(self) -> str:
        """The build script's name (for messages)."""
        return f"build_{self.name}"

    @property
    def scenario(self) -> Path:
        """The scenario file."""
        return REPO / "scenarios" / f"{self.name}.yaml"

    @property
    def nations_csv(self) -> Path:
        """The generated nations table."""
        return DATA_DIR / f"{self.name}_nations.csv"

    @property
    def assumptions(self) -> Path:
        """The hand-written assumptions table."""
        return DATA_DIR / f"{self.name}_assumptions.csv"

    def read_assumptions(self) -> pd.DataFrame:
        """The assumptions table (every cell a string), indexed by iso3."""
        return read_commented_csv(self.assumptions, self.prog).set_index("iso3")


def _num(x: object) -> float | None:
    """``x`` as a float, or None if it is missing (NaN or empty)."""
    if x is None or (isinstance(x, str) and not x.strip()):
        return None
    f = float(x)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


class SourceData:
    """Lazy, cached access to the source tables in ``root`` (one instance per build).

    Every loader returns :class:`Sourced`; ``value`` is None when the table holds no value (the
    source text then says what is missing), so that the caller decides on the gap explicitly.
    """

    def __init__(self, root: Path = SOURCES_DIR, prog: str = "scenario_build") -> None:
        if not root.is_dir():
            fail(f"source tables directory not found: {root}; pass --sources DIR", prog)
        self.root = root
        self.prog = prog

    def table(self, name: str) -> pd.DataFrame:
        """The source CSV ``name`` as read by pandas (cached)."""
        cache = self.__dict__.setdefault("_tables", {})
        if name not in cache:
            cache[name] = pd.read_csv(self.root / name)
        return cache[name]

    @cached_property
    def members(self) -> pd.DataFrame:
        """``nato_members.csv``: the 32 Allies, accession dates and COW codes."""
        return self.table(MEMBERS_FILE)

    def blocs(self, year: int, bloc: str) -> pd.DataFrame:
        """Rows of ``alliance_blocs_by_year.csv`` for ``bloc`` ("NATO", "Warsaw Pact") on 31 Dec."""
        df = self.table(BLOCS_FILE)
        return df[(df["year"] == year) & (df["bloc"] == bloc)]

    def sipri(self, country: str, year: int, column: str = "milex_share_gdp_pct") -> Sourced:
        """SIPRI ``column`` for ``country`` (SIPRI's spelling) in ``year``; flags in the source.

        Units: ``milex_share_gdp_pct`` in % of GDP, ``milex_current_musd`` in million current USD,
        ``milex_const2023_musd`` in million 2023 USD.
        """
        df = self.table(SIPRI_FILE)
        rows = df[(df["country"] == country) & (df["year"] == year)]
        if len(rows) > 1:
            fail(f"SIPRI has {len(rows)} rows for '{country}' {year}", self.prog)
        src = f"{SIPRI_FILE}: {column}, {year}, country '{country}'"
        if rows.empty or _num(rows.iloc[0][column]) is None:
            return Sourced(None, f"{src}: no value")
        row = rows.iloc[0]
        flag_col = "gdp_share_flag" if column == "milex_share_gdp_pct" else "const_flag"
        if isinstance(row.get(flag_col), str) and row[flag_col]:
            src += f" (SIPRI: {row[flag_col]})"
        return Sourced(_num(row[column]), src)

    def nmc(self, key: str | int, year: int) -> pd.Series | None:
        """COW NMC v7 row for ``key`` (``stateabb`` if str, ``ccode`` if int) in ``year``, or None.

        Units: ``milex`` thousands of current USD; ``milper`` thousands; ``tpop`` thousands.
        """
        df = self.table(NMC_FILE)
        col = "stateabb" if isinstance(key, str) else "ccode"
        rows = df[(df[col] == key) & (df["year"] == year)]
        if rows.empty:
            return None
        return one_row(rows, f"COW NMC {key} {year}", self.prog)

    def nmc_value(self, key: str | int, year: int, column: str) -> Sourced:
        """One COW NMC v7 value with its source (see :meth:`nmc` for keys and units)."""
        row = self.nmc(key, year)
        src = f"{NMC_FILE}: {column}, {year}, {key}"
        if row is None or _num(row[column]) is None:
            return Sourced(None, f"{src}: no value")
        return Sourced(_num(row[column]), src)

    def maddison_gdp_busd(self, countrycode: str, year: int) -> Sourced:
        """Maddison 2018 real GDP of ``countrycode`` in ``year``, billion 2011 USD (constant).

        From ``gdp_musd2011`` (= ``rgdpnapc`` x ``pop`` / 1000). Note Maddison's "DEU" is the
        whole of Germany for every year, "SUN" the former USSR, "CSK" Czechoslovakia.
        """
        df = self.table(MADDISON_FILE)
        rows = df[(df["countrycode"] == countrycode) & (df["year"] == year)]
        src = f"{MADDISON_FILE}: gdp_musd2011 / 1000, {year}, countrycode {countrycode}"
        if rows.empty or _num(rows.iloc[0]["gdp_musd2011"]) is None:
            return Sourced(None, f"{src}: no value")
        row = one_row(rows, f"Maddison {countrycode} {year}", self.prog)
        return Sourced(_num(row["gdp_musd2011"]) / 1000.0, src)

    def unga(
        self,
        key: str | int,
        year: int,
        column: str = "idealpointall",
        fallback_years: Sequence[int] = (),
    ) -> Sourced:
        """UNGA ideal point ``column`` for ``key`` (``iso3c`` if str, ``ccode`` if int) in ``year``.

        If ``year`` has no value, ``fallback_years`` are tried in order and the source says which
        year was used and why (e.g. 1964 has no recorded votes at all: pass ``(1965, 1963)``).
        """
        df = self.table(UNGA_FILE)
        col = "iso3c" if isinstance(key, str) else "ccode"
        for y in (year, *fallback_years):
            rows = df[(df[col] == key) & (df["year"] == y)]
            if rows.empty or _num(rows.iloc[0][column]) is None:
                continue
            row = one_row(rows, f"UNGA {key} {y}", self.prog)
            src = f"{UNGA_FILE}: {column}, {y}, {col} {key}"
            if col == "iso3c" and str(row["iso3c"]) != str(key):
                src += f" (COW {int(row['ccode'])})"
            if y != year:
                src += f" (no {column} for {year}; fallback year {y})"
            return Sourced(_num(row[column]), src)
        tried = ", ".join(str(y) for y in (year, *fallback_years))
        return Sourced(None, f"{UNGA_FILE}: no {column} for {col} {key} in {tried}")

    def nato(self, iso3: str, year: int, column: str) -> Sourced:
        """NATO defence-expenditure table value (2014-2024) for ``iso3`` in ``year``.

        Units: ``defexp_share_gdp_pct`` % of real GDP (2015 prices); ``*_musd_current`` million
        current USD; ``*_musd_2015`` million 2015 USD. 2023-2024 are NATO estimates ("e").
        """
        df = self.table(NATO_FILE)
        rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
        if rows.empty:
            return Sourced(None, f"{NATO_FILE}: no row for {iso3} {year}")
        row = one_row(rows, f"NATO {iso3} {year}", self.prog)
        est = "e" if int(row["is_estimate"]) == 1 else ""
        src = f"{NATO_FILE}: {column}, {year}{est}, {iso3}"
        value = _num(row[column])
        return Sourced(value, src if value is not None else f"{src}: no value")


# ----------------------------------------------------------------------------- nations block
ROLE_ORDER = {"member": 0, "partner": 1, "adversary": 2, "neutral": 3}

# Optional NationSpec fields written into the YAML when a record has a non-empty value.
OPTIONAL_KEYS = ("accession_year", "partnership_year", "sovereignty_sensitivity", "resolve")

# Membership columns of the nations CSVs that carry aspirants and partnership years.
MEMBERSHIP_COLUMNS = (
    "aspirant",
    "accession_year",
    "accession_year_source",
    "partnership_year",
    "partnership_year_source",
)


def cagr_pct(start: float, end: float, years: int) -> float:
    """Compound annual growth rate in % per year from ``start`` to ``end`` over ``years``."""
    if years <= 0 or start <= 0 or end <= 0:
        raise ValueError(f"cannot compute growth from {start} to {end} over {years} years")
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def nations_csv_columns(
    data_columns: Sequence[str], issues: Sequence[str], assumed: Sequence[str] = ()
) -> list[str]:
    """Columns of a ``<scenario>_nations.csv``.

    ``iso3``, ``name`` and ``role``; the build's own ``data_columns`` (membership, GDP, defence
    share and their checks); growth and ideal point with their sources; ``exposure`` and one
    ``interest_<issue>`` per issue; the ``assumed`` optional columns; and the closing
    ``assumptions_source``, ``estimate_flag`` and ``note``.
    """
    return [
        "iso3",
        "name",
        "role",
        *data_columns,
        "gdp_growth_pct_per_year",
        "gdp_growth_pct_per_year_source",
        "ideal_point",
        "ideal_point_source",
        "exposure",
        *[f"interest_{k}" for k in issues],
        *assumed,
        "assumptions_source",
        "estimate_flag",
        "note",
    ]


def apply_assumptions(
    rows: list[dict[str, str]], assumed: pd.DataFrame, issues: Sequence[str], prog: str, name: str
) -> None:
    """Copy the no-data quantities of ``assumed`` (indexed by iso3) into ``rows`` in place.

    Copies ``aspirant``, ``exposure``, ``interest_<issue>`` and, where the assumptions table has
    such a column with a value, ``sovereignty_sensitivity`` and ``resolve``, plus the row's
    ``justification`` as ``assumptions_source``. Stops if a nation is missing from either side
    or if the roles disagree.
    """
    for rec in rows:
        iso3 = rec["iso3"]
        if iso3 not in assumed.index:
            fail(f"{iso3}: no row in {name}", prog)
        a = assumed.loc[iso3]
        if a["role"] != rec["role"]:
            fail(f"{iso3}: role {rec['role']} in the data, {a['role']} in {name}", prog)
        rec["aspirant"] = a["aspirant"]
        rec["exposure"] = fmt_assumed(float(a["exposure"]))
        for k in issues:
            rec[f"interest_{k}"] = fmt_assumed(float(a[f"interest_{k}"]))
        for key in ("sovereignty_sensitivity", "resolve"):
            if key in a.index and a[key]:
                rec[key] = fmt_assumed(float(a[key]))
        rec["assumptions_source"] = f"{name}: {a['justification']}"
    extra = sorted(set(assumed.index) - {r["iso3"] for r in rows})
    if extra:
        fail(f"{name} has nations not in the scenario: {', '.join(extra)}", prog)


def apply_assumed_growth(
    rows: list[dict[str, str]], assumed: pd.DataFrame, name: str, prog: str
) -> None:
    """Give each row without a data-derived growth rate the one assumed in ``assumed``.

    ``assumed`` is the assumptions table ``name`` indexed by iso3, with a
    ``gdp_growth_pct_per_year`` column. Stops if a row has neither, or both.
    """
    for rec in rows:
        growth = assumed.loc[rec["iso3"], "gdp_growth_pct_per_year"]
        if "gdp_growth_pct_per_year" not in rec:
            if not growth:
                fail(f"{rec['iso3']}: no growth data and no assumed growth", prog)
            rec["gdp_growth_pct_per_year"] = fmt(float(growth))
            rec["gdp_growth_pct_per_year_source"] = (
                f"{name}: assumed (no real GDP series in the source tables)"
            )
        elif growth:
            fail(f"{rec['iso3']}: growth both computed from data and assumed", prog)


def add_pfp_year(rec: dict[str, str], pfp: pd.DataFrame) -> None:
    """Set the record's ``partnership_year`` from ``pfp_join_years.csv`` (indexed by iso3)."""
    if rec["iso3"] in pfp.index:
        rec["partnership_year"] = str(int(pfp.loc[rec["iso3"], "pfp_year"]))
        rec["partnership_year_source"] = f"{PFP_FILE.name}: pfp_year (NATO PfP signatories)"


def nations_yaml_block(
    rows: list[dict[str, str]],
    issues: Sequence[str],
    header: Sequence[str],
    first_keys: Sequence[str] = OPTIONAL_KEYS,
    last_keys: Sequence[str] = (),
) -> list[str]:
    """Render the generated lines of a ``nations:`` list (markers excluded), nato_2024 layout.

    ``header`` lines (without the ``  # `` prefix) come first; nations are grouped by role with
    a count line, and a record's ``note`` is written as a comment above it. See
    :func:`_nation_lines` for the keys of a record and where ``first_keys`` and ``last_keys``
    go.
    """
    out = [f"  # {line}" if line else "  #" for line in header]
    role = None
    for rec in rows:
        if rec["role"] != role:
            role = rec["role"]
            count = sum(r["role"] == role for r in rows)
            out.append(f"  # --- {role} ({count}) ---")
        if rec.get("note"):
            out += [f"  # {line}" for line in textwrap.wrap(f"{rec['iso3']}: {rec['note']}", 94)]
        out += _nation_lines(rec, issues, first_keys, last_keys)
    return out


def _nation_lines(
    rec: dict[str, str], issues: Sequence[str], first_keys: Sequence[str], last_keys: Sequence[str]
) -> list[str]:
    """One nation as a YAML flow mapping over three lines, or four if a ``last_keys`` is set.

    Line 1: ``iso3``, ``name``, ``role``, the non-empty ``first_keys`` and ``aspirant: true``;
    line 2: ``gdp_busd``, ``defence_share_pct``, ``gdp_growth_pct_per_year``; line 3:
    ``ideal_point`` (when non-empty), ``exposure`` and ``interests`` (one ``interest_<issue>``
    per issue); line 4: the non-empty ``last_keys``.
    """
    first = [
        f"iso3: {rec['iso3']}",
        f"name: {json.dumps(rec['name'], ensure_ascii=False)}",
        f"role: {rec['role']}",
    ]
    first += [f"{k}: {rec[k]}" for k in first_keys if rec.get(k)]
    if rec.get("aspirant") == "true":
        first.append("aspirant: true")
    second = [
        f"gdp_busd: {rec['gdp_busd']}",
        f"defence_share_pct: {rec['defence_share_pct']}",
        f"gdp_growth_pct_per_year: {rec['gdp_growth_pct_per_year']}",
    ]
    third = [f"ideal_point: {rec['ideal_point']}"] if rec.get("ideal_point") else []
    interests = ", ".join(rec[f"interest_{k}"] for k in issues)
    third += [f"exposure: {rec['exposure']}", f"interests: [{interests}]"]
    last = [f"{k}: {rec[k]}" for k in last_keys if rec.get(k)]
    groups = [first, second, third, *([last] if last else [])]
    return [
        ("  - {" if i == 0 else "     ") + ", ".join(items) + ("}" if i == len(groups) - 1 else ",")
        for i, items in enumerate(groups)
    ]


def check_nations_roundtrip(
    text: str, rows: list[dict[str, str]], issues: Sequence[str], prog: str
) -> None:
    """Parse scenario ``text`` and confirm its issues and nations match ``rows`` exactly."""
    data = yaml.safe_load(text)
    if tuple(data.get("issues") or ()) != tuple(issues):
        fail(f"the scenario's issues must be {list(issues)} (the assumptions CSV columns)", prog)
    nations = data.get("nations") or []
    if len(nations) != len(rows):
        fail(f"the YAML holds {len(nations)} nations, expected {len(rows)}", prog)
    for n, rec in zip(nations, rows, strict=True):
        same = n["iso3"] == rec["iso3"] and fmt(n["gdp_busd"]) == rec["gdp_busd"]
        if not same or fmt(n["defence_share_pct"]) != rec["defence_share_pct"]:
            fail(f"round-trip mismatch for {rec['iso3']}", prog)
        if len(n["interests"]) != len(issues):
            fail(f"{rec['iso3']}: interests do not match the {len(issues)} issues", prog)


def sort_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows ordered by role (member, partner, adversary, neutral), then ISO3 code."""
    return sorted(rows, key=lambda r: (ROLE_ORDER[r["role"]], r["iso3"]))


def write_nations(
    files: ScenarioFiles,
    rows: list[dict[str, str]],
    issues: Sequence[str],
    header: Sequence[str],
    columns: Sequence[str],
    check: bool,
) -> int:
    """Splice the nations block into the scenario, verify it, and write (or check) both files.

    The block is :func:`nations_yaml_block` of ``rows``; the CSV has ``columns``. Returns the
    exit code of :func:`write_or_check`.
    """
    block = nations_yaml_block(rows, issues, header)
    new_yaml = splice(files.scenario.read_text(encoding="utf-8"), block, prog=files.prog)
    check_nations_roundtrip(new_yaml, rows, issues, files.prog)
    outputs = {files.scenario: new_yaml, files.nations_csv: render_csv(rows, columns)}
    return write_or_check(outputs, check, files.prog)
