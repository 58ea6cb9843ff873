"""Seed discipline: one root seed per run, one named random stream per stochastic process.

Each stream is a :class:`numpy.random.Generator` built from ``SeedSequence(seed,
spawn_key=(crc32(name),))``. The key depends only on the stream's name, so adding a stream or
drawing more from one never shifts another: two policy variants run with the same seed share every
external shock that their policies do not touch (common random numbers), and a run gives the same
numbers serially, in a process pool or on a cluster.

Replications draw their seeds from ``SeedSequence(seed).spawn(R)``; each replication's seed is an
ordinary integer recorded in its provenance, so any replication can be rerun alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import numpy as np

STREAMS = (
    "exercises",
    "proposals",
    "consensus",
    "partnership",
    "enlargement",
    "hybrid",
    "adversary",
    "crises",
)


class Streams:
    """Named, independent random generators spawned from one root seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        """The generator for ``name`` (created on first use, then reused)."""
        if name not in STREAMS:
            raise KeyError(f"unknown random stream {name!r}; declare it in rng.STREAMS")
        gen = self._generators.get(name)
        if gen is None:
            key = zlib.crc32(name.encode("utf-8"))
            gen = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(key,)))
            self._generators[name] = gen
        return gen


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Seeds for ``replications`` runs: the seed itself for one run, spawned seeds for more."""
    return list(iter_replication_seeds(seed, replications))


def iter_replication_seeds(seed: int, replications: int) -> Iterator[int]:
    """The seeds of :func:`replication_seeds`, made one at a time (nothing allocated up front).

    ``SeedSequence.spawn(1)`` called R times gives the same children as ``spawn(R)``: each call
    continues the parent's child counter.
    """
    if replications == 1:
        yield int(seed)
        return
    parent = np.random.SeedSequence(int(seed))
    for _ in range(replications):
        (child,) = parent.spawn(1)
        yield int(child.generate_state(1, dtype=np.uint32)[0])
