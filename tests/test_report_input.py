"""``report`` never trusts its input: each result file is checked against its own schema.

Each test edits one file of a real run or compare directory as a careless or hostile user would,
re-writes the manifest so that only the schema can catch it, and expects one
:class:`ScenarioError` naming the file and the field (``report`` exits 2 with that line).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from clitools import cli

from analysis.loading import load_results
from analysis.resultfiles import MAX_STEPS
from simulation.errors import ScenarioError
from simulation.resultdir import write_manifest

TEACHING = Path(__file__).resolve().parent.parent / "scenarios" / "teaching.yaml"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A run directory (2 replications) and a compare directory (2 variants x 2 seeds)."""
    from simulation.experiment import compare, write_comparison
    from simulation.results import write_run
    from simulation.runner import run
    from simulation.scenario import load_scenario

    base = tmp_path_factory.mktemp("made")
    scenario = load_scenario(TEACHING)
    write_run(run(scenario, steps=6, seed=3, replications=2), base / "run")
    both = compare(scenario, ["baseline", "qualified_majority"], replications=2, steps=6, seed=3)
    write_comparison(both, base / "compare")
    return base


def edited(made: Path, tmp_path: Path, kind: str, edit) -> Path:
    """A copy of the ``kind`` directory with ``edit(dir)`` applied and a matching manifest."""
    out = tmp_path / kind
    shutil.copytree(made / kind, out)
    edit(out)
    (out / "manifest.json").unlink()
    write_manifest(out)
    return out


def json_edit(name: str, change):
    def edit(out: Path) -> None:
        data = json.loads((out / name).read_text())
        change(data)
        (out / name).write_text(json.dumps(data))

    return edit


def table_edit(stem: str, change):
    """Apply ``change`` to a table; write both copies from the one changed frame."""

    def edit(out: Path) -> None:
        df = change(pd.read_parquet(out / f"{stem}.parquet"))
        df.to_parquet(out / f"{stem}.parquet", index=False)
        df.to_csv(out / f"{stem}.csv", index=False)

    return edit


def set_key(key: str, value):
    return lambda d: d.__setitem__(key, value)


def set_prov(key: str, value):
    return lambda d: d["provenance"].__setitem__(key, value)


def test_valid_directories_load(made):
    run = load_results(made / "run")
    assert (
        run.seeds
        == json.loads((made / "run" / "summary.json").read_text())["provenance"][
            "replication_seeds"
        ]
    )
    assert len(run.timeseries) == 2 * 7
    both = load_results(made / "compare")
    assert both.variants == ["baseline", "qualified_majority"] and len(both.summaries) == 4


RUN_CASES = {
    "provenance-not-object": (json_edit("summary.json", set_key("provenance", 1)), "provenance"),
    "replications-not-objects": (
        json_edit("summary.json", set_key("replications", [1, 2])),
        "replications[0]",
    ),
    "seeds-a-string": (
        json_edit("summary.json", set_prov("replication_seeds", "abc")),
        "provenance.replication_seeds",
    ),
    "steps-a-billion": (
        json_edit("summary.json", set_prov("steps", 10**9)),
        f"provenance.steps: 1000000000: an integer from 1 to {MAX_STEPS}",
    ),
    "seed-a-float": (json_edit("summary.json", set_prov("seed", 1.5)), "provenance.seed"),
    "string-for-number": (json_edit("summary.json", set_key("cohesion", "high")), "cohesion"),
    "nan-literal": (
        lambda d: (d / "summary.json").write_text('{"provenance": {}, "cohesion": NaN}'),
        "not valid JSON",
    ),
    "summary-a-list": (lambda d: (d / "summary.json").write_text("[]"), "a JSON object expected"),
    "header-only-csv": (
        lambda d: (
            (d / "timeseries.parquet").unlink(),
            (d / "timeseries.csv").write_text("replication,seed,step,year,cohesion\n"),
        ),
        "0 runs found, the provenance names 2",
    ),
    "truncated-table": (table_edit("timeseries", lambda df: df.iloc[:-3]), "each run should have"),
    "another-table": (
        lambda d: shutil.copy(d / "events.parquet", d / "timeseries.parquet"),
        "required column missing",
    ),
    "text-in-number-column": (
        table_edit("timeseries", lambda df: df.assign(cohesion="x")),
        "timeseries.parquet: cohesion: numbers expected",
    ),
    "foreign-seed": (table_edit("events", lambda df: df.assign(seed=99)), "events.parquet: seed"),
    "replication-out-of-range": (
        table_edit("nations", lambda df: df.assign(replication=7)),
        "nations.parquet: replication",
    ),
    "pairs-mismatch": (table_edit("pairs", lambda df: df.iloc[1:]), "pairs: from: row count"),
    "infinite-value": (
        table_edit("pairs", lambda df: df.assign(trust=float("inf"))),
        "pairs.parquet: trust",
    ),
}


@pytest.mark.parametrize("case", list(RUN_CASES), ids=list(RUN_CASES))
def test_hostile_run_files_are_refused_naming_file_and_field(made, tmp_path, case):
    edit, fragment = RUN_CASES[case]
    out = edited(made, tmp_path, "run", edit)
    with pytest.raises(ScenarioError) as err:
        load_results(out)
    assert fragment in err.value.message
    assert str(out) in err.value.message


COMPARE_CASES = {
    "variants-repeated": (
        json_edit("comparison.json", set_key("variants", ["baseline", "baseline"])),
        "variants",
    ),
    "replications-disagree": (json_edit("comparison.json", set_key("replications", 5)), "replic"),
    "confidence-5": (json_edit("comparison.json", set_key("confidence", 5)), "confidence"),
    "unknown-variant-rows": (
        table_edit("summaries", lambda df: df.assign(variant="other")),
        "summaries.parquet: variant",
    ),
    "differences-reference": (
        table_edit("differences", lambda df: df.assign(reference="x")),
        "differences.parquet: reference",
    ),
}


@pytest.mark.parametrize("case", list(COMPARE_CASES), ids=list(COMPARE_CASES))
def test_hostile_compare_files_are_refused(made, tmp_path, case):
    edit, fragment = COMPARE_CASES[case]
    out = edited(made, tmp_path, "compare", edit)
    with pytest.raises(ScenarioError) as err:
        load_results(out)
    assert fragment in err.value.message


def drop_final_state(out: Path) -> None:
    for stem in ("nations", "pairs"):
        (out / f"{stem}.parquet").unlink()
        (out / f"{stem}.csv").unlink()


def test_the_final_state_rerun_stays_within_what_the_directory_asked(made, tmp_path):
    out = edited(made, tmp_path, "run", drop_final_state)
    results = load_results(out)  # re-runs 6 steps of the first replication
    assert set(results.nations["replication"]) == {0} and len(results.pairs) > 0
    assert "re-ran the first replication" in results.notes[0]

    def claim_more(d: Path) -> None:  # the tables hold 6 steps, as the provenance says
        drop_final_state(d)
        path = d / "scenario.resolved.yaml"
        path.write_text(path.read_text().replace("\nsteps: 6\n", "\nsteps: 90000\n"))

    out = edited(made, tmp_path / "more", "run", claim_more)
    with pytest.raises(ScenarioError, match=r"provenance\.steps: 6 differs from the steps"):
        load_results(out)

    def claim_a_billion(d: Path) -> None:
        drop_final_state(d)
        json_edit("summary.json", set_prov("steps", 10**9))(d)

    out = edited(made, tmp_path / "billion", "run", claim_a_billion)
    with pytest.raises(ScenarioError, match="an integer from 1 to 100000"):
        load_results(out)


def test_report_exits_2_with_one_line_for_a_hostile_file(made, tmp_path):
    out = edited(made, tmp_path, "run", json_edit("summary.json", set_prov("steps", 10**9)))
    proc = cli("report", out, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    assert f"{out / 'summary.json'}: provenance.steps:" in proc.stderr
    assert not (out / "report.md").exists()


def test_report_refuses_a_mixed_directory(made, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(made / "run", out)
    shutil.copy(made / "compare" / "events.parquet", out / "events.parquet")  # from another run
    proc = cli("report", out, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "events.parquet: differs from the manifest" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
