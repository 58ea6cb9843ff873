"""``alliance-sim compare`` and ``alliance-sim report`` as a user calls them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from clitools import cli

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"
COMPARE = ("--variants", "baseline,qualified_majority", "--replications", "3", "--steps", "24")
FIGURES = ("timeseries", "differences", "trust_network", "trust_heatmap", "burden_sharing")
TABLES = ("timeseries", "events", "nations", "pairs", "summaries", "differences")


def assert_bad_input(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    detail = f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 2, detail
    assert "Traceback" not in proc.stderr, detail
    assert proc.stderr.startswith("alliance-sim: error: "), detail
    assert len(proc.stderr.splitlines()) == 1, detail
    for fragment in fragments:
        assert fragment in proc.stderr, f"{fragment!r} missing{detail}"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One comparison (no figures: `report` draws them) in the default output directory."""
    cwd = tmp_path_factory.mktemp("compare")
    proc = cli("compare", TEACHING, *COMPARE, "--seed", "4", "--no-plots", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc, cwd / "results" / "teaching" / "compare-baseline-qualified_majority"


def test_compare_prints_the_paired_table(compared):
    proc, _ = compared
    lines = proc.stdout.splitlines()
    assert "3 replications per variant on the same seeds (root seed 4), 24 steps" in lines[0]
    assert "qualified_majority - baseline" in lines
    header = next(line for line in lines if line.startswith("metric"))
    assert "baseline" in header and "difference" in header and "95% CI" in header
    for metric in ("cohesion", "deterrence", "consensus_rate", "crises"):
        row = next(line for line in lines if line.startswith(f"{metric} "))
        assert "[" in row and "]" in row
    assert any(line.rstrip().endswith(" (*)") for line in lines)  # qmv raises consensus
    assert any(line.startswith("warning: only 3 paired replications") for line in lines)
    assert "excludes 0" in proc.stdout
    assert proc.stderr == ""  # piped: no progress bar


def test_compare_writes_tables_json_and_resolved_variants(compared):
    _, out = compared
    for name in TABLES:
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert list(ts.columns[:3]) == ["variant", "replication", "seed"]
    assert len(ts) == 2 * 3 * 25
    diffs = pd.read_csv(out / "differences.csv")
    assert {
        "variant",
        "metric",
        "mean_first",
        "mean_variant",
        "mean_diff",
        "ci_low",
        "ci_high",
    } <= (set(diffs.columns))
    meta = json.loads((out / "comparison.json").read_text())
    prov = meta["provenance"]
    assert meta["variants"] == prov["variants"] == ["baseline", "qualified_majority"]
    assert prov["seed"] == 4 and prov["steps"] == 24 and len(prov["replication_seeds"]) == 3
    assert len(prov["scenario_sha256"]) == 64 and "git_commit" in prov and prov["version"]
    assert set(meta["means"]) == {"baseline", "qualified_majority"}
    for name in ("baseline", "qualified_majority"):
        assert (out / f"scenario.{name}.resolved.yaml").is_file()
    assert not (out / "figures").exists()


def test_report_on_a_compare_directory(compared):
    _, out = compared
    proc = cli("report", out, cwd=out)
    assert proc.returncode == 0, proc.stderr
    assert "report.md" in proc.stdout
    for stem in (*FIGURES, "crisis_timeline"):
        assert (out / "figures" / f"{stem}.png").stat().st_size > 0
        assert (out / "figures" / f"{stem}.svg").stat().st_size > 0
    report = (out / "report.md").read_text(encoding="utf-8")
    meta = json.loads((out / "comparison.json").read_text())
    commit = (meta["provenance"]["git_commit"] or "no-git")[:10]
    assert "## Paired differences" in report and "## Summary" in report
    assert "| `cohesion` |" in report
    assert "![Trust network](figures/trust_network.png)" in report
    captions = [line for line in report.splitlines() if line.startswith("*Figure ")]
    assert len(captions) == 6
    for caption in captions:
        assert "3 paired seeds from 4" in caption
        assert commit in caption
        assert meta["provenance"]["scenario_sha256"][:12] in caption
    for seed in meta["replication_seeds"]:
        assert str(seed) in report


def test_report_on_a_run_directory(tmp_path):
    out = tmp_path / "run"
    args = ("--steps", "12", "--replications", "2", "--out", out, "--no-plots")
    proc = cli("run", TEACHING, *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (out / "figures").mkdir()
    (out / "figures" / "overview.png").write_bytes(b"run's own figure")
    proc = cli("report", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "figures" / "overview.png").read_bytes() == b"run's own figure"  # left alone
    for stem in ("timeseries", "trust_network", "trust_heatmap", "burden_sharing"):
        assert (out / "figures" / f"{stem}.png").is_file()
    assert not (out / "figures" / "differences.png").exists()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# Teaching alliance [baseline]")
    assert "## Summary" in report and "## Paired differences" not in report
    assert "2 seeds from 1" in report


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("compare", TEACHING, "--variants", "baseline,qualifed_majority", "--steps", "2"),
            ("unknown variant 'qualifed_majority'", "did you mean qualified_majority?"),
        ),
        (("compare", TEACHING, "--variants", "baseline"), ("at least two variants",)),
        (("compare", "missing.yaml", "--variants", "a,b"), ("missing.yaml",)),
        (("report", "no/such/dir"), ("no/such/dir", "no such directory")),
        (("report", "."), ("not a run or compare output directory",)),
    ],
    ids=["unknown-variant", "one-variant", "missing-scenario", "missing-dir", "not-results"],
)
def test_bad_input_exits_2_without_traceback(tmp_path, args, fragments):
    proc = cli(*args, cwd=tmp_path)
    assert_bad_input(proc, *fragments)
    assert not (tmp_path / "results").exists()


def test_report_on_a_damaged_directory(tmp_path):
    """Refused without a manifest; with one, the damaged file is named (test_report_input: more)."""
    (tmp_path / "summary.json").write_text("{not json")
    assert_bad_input(cli("report", tmp_path, cwd=tmp_path), "manifest.json: missing")
    from simulation.resultdir import write_manifest

    write_manifest(tmp_path)
    assert_bad_input(cli("report", tmp_path, cwd=tmp_path), "summary.json: not valid JSON")
    (tmp_path / "summary.json").write_text(
        json.dumps({"provenance": {"seed": 1, "steps": 2, "variant": "baseline"}})
    )
    write_manifest(tmp_path)
    assert_bad_input(cli("report", tmp_path, cwd=tmp_path), "timeseries.parquet", "missing")
