"""``AllianceModel``: the Mesa model that owns the state and runs the mechanisms in order.

A step is the phases of ``PHASES``, in that order (written once here, and matched by
``docs/ODD.md``, "Process overview and scheduling"). Each phase is a mechanism module of
:mod:`simulation.mechanisms` with the same small interface:

* ``SECTION`` and ``Params``: the scenario key and parameter class it owns (``None`` if it only
  reads other sections);
* ``init(model)``: sets up any state of its own when the model is built (in schedule order);
* ``step(model)``: its phase;
* ``OUTPUTS``: the per-step outputs it contributes (:mod:`simulation.outputs`).

Phases update the shared arrays of :class:`~simulation.state.State` in sequence; inside a phase,
pairwise updates are simultaneous (vectorised) unless the phase says otherwise. This module holds
nothing mechanism-specific: the schedule, construction, events and data collection.
"""

from __future__ import annotations

from typing import Any

import mesa

from simulation.agents import Nation
from simulation.mechanisms import (
    burden,
    capability,
    consensus,
    crises,
    deterrence,
    enlargement,
    exercises,
    information,
    operations,
    partnership,
    perception,
    presence,
    spiral,
    timeline,
    trust,
)
from simulation.reporters import table_outputs
from simulation.rng import Streams
from simulation.schema import Scenario
from simulation.state import build_state

PHASES = (
    timeline,  # 0. scheduled events: dated parameter changes, shocks, accessions
    capability,  # 1. economy, capability, readiness, interoperability and resolve
    perception,  # 2. threat perception, influence, the adversary's fading memory
    burden,  # 3. yearly defence budgets (burden sharing)
    partnership,  # 4. partnership activities, accession requests
    enlargement,  # 5. invitations, ratifications, accessions
    exercises,  # 6. joint exercises
    operations,  # 7. out-of-area missions
    presence,  # 8. forward presence: costs and reassurance
    information,  # 9. disinformation campaigns and their detection
    consensus,  # 10. routine proposals under the decision rule
    deterrence,  # 11. the adversary's estimate of each target
    crises,  # 12. a challenge, the crisis decision and its aftermath
    trust,  # 13. trust reciprocity and decay toward the baseline
    spiral,  # 14. the security spiral: the adversary's aggression level and arms build-up
)
"""The schedule: one step runs each mechanism's ``step`` in this order."""

OUTPUTS = table_outputs(PHASES)
"""Columns of the per-step table, in order (:mod:`simulation.reporters`)."""

MODEL_REPORTERS = tuple(o.name for o in OUTPUTS)
"""Names of the per-step table's columns, in order."""

STEP_COUNTS = tuple(o.name for o in OUTPUTS if o.count)
"""Outputs that count events in the step (summed over the run in the summary)."""

_OUTPUT_BY_NAME = {o.name: o for o in OUTPUTS}


class AllianceModel(mesa.Model):
    """An alliance, its partners and its adversary, stepped month by month.

    Args:
        scenario: a resolved scenario (variant and overrides already applied).
        seed: the run's root seed; every random stream is spawned from it. Defaults to the
            scenario's ``seed``.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None):
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.seed = seed
        # Named spec, not scenario: Mesa 3.5 reserves Model.scenario for its own Scenario type.
        self.spec = scenario
        self.streams = Streams(seed)
        self.state = build_state(scenario)
        for i in range(self.state.n):
            Nation(self, i)
        self.events: list[dict[str, Any]] = []
        self.step_counts = dict.fromkeys(STEP_COUNTS, 0)
        self.nation_index = {iso: i for i, iso in enumerate(self.state.iso3)}
        self.initial_member = self.state.member.copy()  # the fixed panel of the *_initial_members
        for mechanism in PHASES:
            mechanism.init(self)
        self.datacollector = mesa.DataCollector(model_reporters={o.name: o.read for o in OUTPUTS})
        self.datacollector.collect(self)

    def step(self) -> None:
        """One step: every phase of ``PHASES`` in order, then the step's row of outputs."""
        self.step_counts = dict.fromkeys(STEP_COUNTS, 0)
        for mechanism in PHASES:
            mechanism.step(self)
        self.datacollector.collect(self)

    @property
    def months(self) -> int:
        """Length of one step in months."""
        return self.spec.step_months

    @property
    def year(self) -> float:
        """Calendar time of the current step (fractional year)."""
        return self.spec.start_year + self.steps * self.months / 12.0

    def year_ends(self) -> bool:
        """Whether a calendar year of the run ends within this step (months 12, 24, ...)."""
        return (self.steps * self.months) // 12 > ((self.steps - 1) * self.months) // 12

    def __getattr__(self, name: str) -> Any:
        """Read a per-step output as an attribute (``model.cohesion``): its current value."""
        output = _OUTPUT_BY_NAME.get(name)
        if output is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return output.read(self)

    def record_event(self, event: str, **fields: Any) -> None:
        """Add a row to the event log (``participants``, a list of ISO3 codes, is joined by ;)."""
        row = {"step": self.steps, "year": round(self.year, 4), "event": event}
        if "participants" in fields:
            fields["participants"] = ";".join(fields["participants"])
        row.update(fields)
        self.events.append(row)
