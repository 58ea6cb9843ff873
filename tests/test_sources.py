"""The project stands on its own: shipped source tables, build scripts, no path outside the repo.

* every ``scripts/build_*.py --check`` passes, run as a user runs it (a subprocess, from a
  directory outside the repository, with the default ``--sources``);
* a build script pointed at a missing sources directory fails with exit 2 and one line;
* the tables in ``scenarios/data/sources/`` are exactly those ``PROVENANCE.md`` lists, with the
  bytes, rows and columns it states, and include every table the build scripts name;
* no tracked file mentions a path outside the repository.
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
SOURCES = ROOT / "scenarios" / "data" / "sources"
PROVENANCE = SOURCES / "PROVENANCE.md"
BUILD_SCRIPTS = sorted(SCRIPTS.glob("build_*.py"))

# One row of PROVENANCE.md's file table: | `name.csv` | R x C | bytes | `sha256` |
TABLE_ROW = re.compile(
    r"^\|\s*`(?P<name>[^`]+\.csv)`\s*\|\s*(?P<rows>\d+) x (?P<cols>\d+)\s*\|"
    r"\s*(?P<bytes>\d+)\s*\|\s*`(?P<sha>[0-9a-f]{64})`\s*\|\s*$"
)

# Paths that point outside the repository: the old sibling data directory and absolute home or
# work directories of one machine. Built from pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        (
            re.escape("../" + "shared"),
            re.escape("shared" + "/data"),
            "/" + "work/",
            "/" + r"home/\w",
            "/" + r"Users/\w",
            "/" + r"root/\w",
        )
    )
)


def provenance_table() -> dict[str, dict[str, str]]:
    """PROVENANCE.md's file table: name -> rows, cols, bytes, sha."""
    rows = {}
    for line in PROVENANCE.read_text(encoding="utf-8").splitlines():
        m = TABLE_ROW.match(line)
        if m:
            rows[m["name"]] = m.groupdict()
    return rows


# ------------------------------------------------------------------------------ build scripts
def test_every_scenario_with_generated_nations_has_a_build_script():
    """Each scenario with a GENERATED NATIONS block is covered by the --check test below."""
    generated = {
        p.stem
        for p in (ROOT / "scenarios").glob("*.yaml")
        if "# BEGIN GENERATED NATIONS" in p.read_text(encoding="utf-8")
    }
    assert generated, "no scenario has a generated nations block"
    built = {p.stem.removeprefix("build_") for p in BUILD_SCRIPTS}
    assert generated <= built  # every generated block is rebuilt and checked
    # ... and every build script builds a shipped scenario (some, e.g. nato_2014, the whole file)
    assert built <= {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}


@pytest.mark.parametrize("script", BUILD_SCRIPTS, ids=lambda p: p.stem)
def test_build_script_check_passes_from_any_directory(script, tmp_path):
    """``--check`` exits 0: the generated CSV and YAML block are what the shipped tables give."""
    proc = subprocess.run(
        [sys.executable, str(script), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(tmp_path.iterdir()) == [], "a --check run wrote files"


@pytest.mark.parametrize("name", ["build_nato_2024", "build_asean"])
def test_missing_sources_directory_is_one_line_and_exit_2(name, tmp_path):
    missing = tmp_path / "nowhere"
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / f"{name}.py"), "--check", "--sources", str(missing)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(missing) in lines[0] and "--sources" in lines[0]
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------ shipped tables
def test_shipped_tables_are_exactly_those_provenance_lists():
    listed = provenance_table()
    shipped = {p.name for p in SOURCES.glob("*.csv")}
    assert len(listed) >= 7
    assert shipped == set(listed)


@pytest.mark.parametrize("name", sorted(provenance_table()))
def test_shipped_table_matches_its_provenance_entry(name):
    """Verbatim copies: the bytes, SHA-256, rows and columns PROVENANCE.md states."""
    entry = provenance_table()[name]
    data = (SOURCES / name).read_bytes()
    assert len(data) == int(entry["bytes"])
    assert hashlib.sha256(data).hexdigest() == entry["sha"]
    rows = list(csv.reader(data.decode("utf-8").splitlines()))
    assert len(rows) - 1 == int(entry["rows"])
    assert {len(r) for r in rows} == {int(entry["cols"])}


def test_every_table_the_build_scripts_name_is_shipped():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import scenario_build as sb
    finally:
        sys.path.remove(str(SCRIPTS))
    assert sb.SOURCES_DIR == SOURCES
    names = {v for k, v in vars(sb).items() if k.endswith("_FILE") and isinstance(v, str)}
    assert len(names) == 7
    assert names <= set(provenance_table())


# ------------------------------------------------------------------------------ no outside paths
def tracked_files() -> list[Path]:
    """The repository's tracked files (``git ls-files``), or every file if git is unavailable."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout
        files = [ROOT / f for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", ".venv312", "results", "__pycache__", ".pytest_cache"}
        files = [
            p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
        ]
    return [f for f in files if f.is_file()]


def test_outside_pattern_catches_what_it_should():
    for text in ("../" + "shared/x", "see shared" + "/data", "/" + "work/main", "/" + "home/me"):
        assert OUTSIDE.search(text), text
    for text in ("scenarios/data/sources", "shared method", "SourceData", "results/teaching"):
        assert not OUTSIDE.search(text), text


def test_no_tracked_file_mentions_a_path_outside_the_repository():
    files = tracked_files()
    assert len(files) > 50
    hits = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary (figures, parquet)
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert hits == [], "\n".join(hits)
