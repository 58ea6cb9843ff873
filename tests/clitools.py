"""Running the command line as a user does, from the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONSOLE_SCRIPT = Path(sys.executable).parent / "alliance-sim"


def cli(
    *args: object, cwd: Path, script: bool = False, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cli ARGS`` (or the console script) in ``cwd``, output piped."""
    prefix = [str(CONSOLE_SCRIPT)] if script else [sys.executable, "-m", "cli"]
    return subprocess.run(
        [*prefix, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
