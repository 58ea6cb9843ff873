"""Swept parameters: a list of values, or a range (linear or log scale) sampled by a design.

A parameter is a scenario field path (``exercises.tempo_per_year``) with either

* ``values``: the list of values to try (numbers, texts or booleans); samplers treat the list as
  categories, drawing an index in ``[0, len)`` and taking ``values[floor(index)]``;
* a range ``low``-``high`` with ``scale`` ``linear`` (default) or ``log`` (sampled uniformly in
  ``log10``), optionally ``integer`` (rounded to the nearest whole number), and for grid designs
  ``num``, the number of evenly spaced (or log-spaced) grid values, ends included.

Samplers work in *coordinates*: the value itself for a linear range, ``log10(value)`` for a log
range and the index for a list. :meth:`Parameter.bounds`, :meth:`Parameter.value` and
:meth:`Parameter.coordinate` convert between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

SCALES = ("linear", "log")


@dataclass(frozen=True)
class Parameter:
    """One swept scenario field."""

    path: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    scale: str = "linear"
    num: int | None = None
    integer: bool = False

    @property
    def is_list(self) -> bool:
        """Whether the parameter is a list of values (categories) rather than a range."""
        return self.values is not None

    def bounds(self) -> tuple[float, float]:
        """The sampler's coordinate range: ``[0, len)`` for a list, ``log10`` ends if log."""
        if self.values is not None:
            return 0.0, float(len(self.values))
        assert self.low is not None and self.high is not None
        if self.scale == "log":
            return math.log10(self.low), math.log10(self.high)
        return float(self.low), float(self.high)

    def value(self, coordinate: float) -> Any:
        """The scenario value at a sampler coordinate."""
        if self.values is not None:
            index = min(max(math.floor(coordinate), 0), len(self.values) - 1)
            return self.values[index]
        x = 10.0**coordinate if self.scale == "log" else float(coordinate)
        assert self.low is not None and self.high is not None
        x = min(max(x, self.low), self.high)  # guard the float error of 10 ** log10(x)
        return int(np.rint(x)) if self.integer else x

    def coordinate(self, value: Any) -> float:
        """The sampler coordinate of a value (inverse of :meth:`value`; a list's index + 0.5)."""
        if self.values is not None:
            return self.values.index(value) + 0.5
        return math.log10(value) if self.scale == "log" else float(value)

    def grid(self) -> list[Any]:
        """The values of a grid design: the list, or ``num`` evenly spaced values of the range."""
        if self.values is not None:
            return list(self.values)
        assert self.num is not None and self.low is not None and self.high is not None
        if self.scale == "log":
            xs = np.logspace(math.log10(self.low), math.log10(self.high), self.num)
        else:
            xs = np.linspace(self.low, self.high, self.num)
        xs[0], xs[-1] = self.low, self.high
        out = [int(np.rint(x)) for x in xs] if self.integer else [float(x) for x in xs]
        return list(dict.fromkeys(out))  # rounding may repeat integers


def plain(value: Any) -> Any:
    """A design value as a plain Python scalar (numpy scalars converted), for hashing and YAML."""
    if isinstance(value, np.generic):
        return value.item()
    return value
