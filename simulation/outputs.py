"""Per-step outputs: the columns of the time-series table, each defined once, by its mechanism.

A mechanism lists what it contributes in its ``OUTPUTS`` tuple. A *level* is a function of the
model read at the end of every step (its name and docstring are the column's name and
description); a *count* is a number of events in the step, which the mechanism raises with
``model.step_counts[name] += 1`` and the model resets at the start of each step. Values are
scalars: Mesa deep-copies every reporter value each step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Output:
    """One column of the per-step table."""

    name: str
    read: Callable[[Any], float | int]
    doc: str
    count: bool = False


def level(read: Callable[[Any], float | int]) -> Output:
    """A state reported at the end of each step; ``read(model)`` gives it."""
    return Output(read.__name__, read, (read.__doc__ or "").strip().splitlines()[0])


def count(name: str, doc: str) -> Output:
    """A number of events in the step, kept in ``model.step_counts[name]``."""

    def read(model: Any) -> int:
        return model.step_counts[name]

    read.__name__ = name
    read.__doc__ = doc
    return Output(name, read, doc, count=True)
