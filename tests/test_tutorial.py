"""docs/tutorial.md runs: its Python blocks, in order, in one namespace (few steps)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"
SMALL = {"STEPS": "6", "REPLICATIONS": "3"}


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_the_tutorial_runs(tmp_path, monkeypatch, capsys):
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    code = "\n".join(blocks)
    for name, value in SMALL.items():
        code, count = re.subn(rf"^{name} = \d+", f"{name} = {value}", code, flags=re.M)
        assert count == 1, name
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, str(TUTORIAL), "exec"), namespace)
    out = capsys.readouterr().out
    assert "ComparisonResult(baseline vs qualified_majority" in out
    assert "warning: only 3 paired replications" in out
    for suffix in ("png", "svg", "pdf"):
        assert (tmp_path / "results" / "tutorial" / f"figure1.{suffix}").stat().st_size > 0
    assert (tmp_path / "results" / "tutorial" / "compare" / "comparison.json").is_file()
    assert (tmp_path / "results" / "tutorial" / "compare" / "figures" / "timeseries.png").is_file()
