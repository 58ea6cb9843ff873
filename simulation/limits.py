"""Every bound on input size and count, in one place.

A scenario file, a ``--set`` value or a command-line count larger than these is refused with one
line (exit 2) before any work, so no input can make the tool hang or run out of memory. Each limit
is far above what the shipped scenarios need (the largest, ``nato_2024.yaml``, is 19 KB, 1,407
YAML nodes, 8 levels deep, 45 nations, with its longest text 460 characters) and low enough that
reading a file at the limit takes well under a second. ``docs/cli.md`` ("Limits") lists them.
"""

from __future__ import annotations

MAX_FILE_BYTES = 262_144
"""Largest scenario file (256 KiB); only this many bytes plus one are ever read."""

MAX_DEPTH = 20
"""Deepest nesting of lists and mappings in a YAML document."""

MAX_NODES = 20_000
"""Most YAML nodes (scalars, lists, mappings) in a document, counted with every alias expanded."""

MAX_SCALAR_CHARS = 10_000
"""Longest single value (text or number) in a YAML document, in characters."""

MAX_INT_DIGITS = 30
"""Most digits in an integer literal (the largest valid integer, a seed, has 19)."""

MAX_NATIONS = 500
"""Most nations in a scenario (the model keeps several nations x nations matrices)."""

MAX_STEPS = 100_000
"""Longest horizon, in steps: the file's ``steps``, ``--set steps=`` and ``--steps`` alike."""

MAX_REPLICATIONS = 10_000
"""Most replications of one run, or per variant in ``compare``."""

MAX_SEED = 2**63 - 1
"""Largest root seed."""

MAX_ECHO_CHARS = 80
"""Longest echo of a bad value in an error message; longer ones are elided in the middle."""

MAX_MESSAGE_PART_CHARS = 400
"""Longest problem, field or hint in an error message (a backstop for values not elided)."""
