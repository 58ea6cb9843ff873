"""``param``: declare a scenario field with its documentation, unit and valid range.

Every parameter class (the scenario-level ones in :mod:`simulation.schema` and each mechanism's
own in :mod:`simulation.mechanisms`) declares its fields with :func:`param`. The loader validates
files against this metadata, and ``scenarios/README.md`` is generated from it.
"""

from __future__ import annotations

from dataclasses import MISSING, field
from typing import Any


def param(
    default: Any = MISSING,
    *,
    doc: str,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    default_factory: Any = MISSING,
) -> Any:
    """Declare a schema field with its documentation, unit and closed range ``[lo, hi]``."""
    meta = {"doc": doc, "unit": unit, "lo": lo, "hi": hi}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=meta)
    return field(default=default, metadata=meta)
