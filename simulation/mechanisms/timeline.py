"""Scheduled events (phase 0): dated changes of any parameter, applied at the step they fall in.

A scenario's ``timeline`` lists dated entries, each a ``date`` (``YYYY-MM``), a ``label`` and a
mapping ``set`` of ``path.to.field: value`` overrides written exactly like ``--set`` (for
example ``burden.pledge_pct: 2.0``, ``adversary.aggression: 0.7``,
``nations.FIN.role: member``). An entry dated at month offset ``o = 12 (year - start_year) +
(month - 1)`` from the start applies at the beginning of step ``o // step_months + 1``, before
every other phase, so the step that contains the date already runs under it (a date in the first
month of the run applies in step 1; step 0 is the state as read).

The scenario after each entry is built and validated when the file is read, with the same
field-path machinery as ``--set`` (so a misspelt field, a value out of range or a date outside
``[start_year-01, the horizon)`` is exit code 2 naming ``timeline[i].set.<field>``). At run time
the phase swaps the model's parameters (``model.spec``) for the scenario after the entry:
mechanisms read their parameters every step, so a new pledge or aggression takes effect at once.
Fields that also live in the model state are written there too:

* ``nations.<ISO3>.role: member``: accession (the state's membership, trust baseline and
  influence, as :func:`simulation.state.set_member`; an ``accession`` event with kind
  ``timeline``); other role changes are rejected when the file is read;
* ``nations.<ISO3>.{defence_share_pct, capability_busd, gdp_growth_pct_per_year, exposure,
  resolve, demand_pct, budget_fixed}``: the nation's current value;
* ``adversary.aggression``: the current aggression (its resting value moves too, so a shock
  persists rather than fading back to the old level).

Sections and fields that only describe the initial state (``alignment``, ``interoperability``,
``issues``, ``nations`` as a whole, the horizon) cannot be scheduled. Variants may add entries
to, or replace, the timeline (lists are replaced by a variant; to keep the base's entries a
variant lists them again). Each applied entry is a ``timeline`` event in the events table
(``kind`` is the label, ``participants`` the nations it changes). Entries on the same date apply
in file order.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.parameters import param

if TYPE_CHECKING:
    from simulation.model import AllianceModel
    from simulation.schema import Scenario


@dataclass(frozen=True)
class TimelineEntry:
    """A dated change of parameters (a pledge, a shock, an accession)."""

    date: str = param(doc="When it applies: year and month, YYYY-MM (quote it in YAML)")
    set: dict[str, Any] = param(
        doc="Fields to change, as path.to.field: value (the paths of --set)",
    )
    label: str = param("", doc="What happened (shown in the events table)")


NATION_FIELDS = {
    "defence_share_pct": ("defence_share", 0.01),
    "capability_busd": ("capability", 1.0),
    "gdp_growth_pct_per_year": ("growth_pct", 1.0),
    "exposure": ("exposure", 1.0),
    "resolve": ("resolve", 1.0),
    "demand_pct": ("demand", 0.01),
}
"""Nation fields mirrored in the state: field -> (state array, factor from the file's unit)."""

FIXED_SECTIONS = frozenset(
    {
        "name",
        "alliance",
        "description",
        "start_year",
        "issues",
        "step_months",
        "steps",
        "seed",
        "timeline",
        "alignment",
        "interoperability",
        "programmes",
    }
)
"""Top-level keys that only describe the initial state or the run; a timeline cannot set them."""

_NATION_SETTABLE = frozenset({*NATION_FIELDS, "role", "budget_fixed"})
_DATE = re.compile(r"(\d{4})-(\d{2})")


def parse_date(text: Any) -> tuple[int, int] | None:
    """``"2014-09"`` -> ``(2014, 9)``; None if it is not a YYYY-MM date."""
    m = _DATE.fullmatch(str(text).strip()) if isinstance(text, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def step_of(date: tuple[int, int], start_year: int, step_months: int) -> int:
    """The step whose months contain ``date`` (step 1 holds the first month of the run)."""
    offset = 12 * (date[0] - start_year) + date[1] - 1
    return offset // step_months + 1


def check_path(parts: list[str]) -> str | None:
    """Why a timeline cannot set this field path (None if it can)."""
    if parts[0] in FIXED_SECTIONS:
        return f"{parts[0]} only describes the initial state or the run"
    if parts[0] == "nations":
        if len(parts) != 3:
            return "set one field of one nation, as nations.<ISO3>.<field>"
        if parts[2] not in _NATION_SETTABLE:
            return f"nations[].{parts[2]} only describes the initial state"
    return None


def schedule(scenario: Scenario, build_fn, error_fn) -> list[tuple[int, int, Scenario]]:
    """``(step, entry index, scenario after the entry)`` for every entry, in order of application.

    ``build_fn(data)`` validates plain data into a scenario; ``error_fn(path, problem, hint)``
    makes a located error. Entries are applied cumulatively in date order (file order on ties).
    """
    from simulation.errors import ScenarioError
    from simulation.validation import to_plain
    from simulation.variants import merge, value_at

    if not scenario.timeline:
        return []
    dated = []
    for i, entry in enumerate(scenario.timeline):
        date = parse_date(entry.date)
        if date is None:
            raise error_fn(
                ("timeline", i, "date"), f"{entry.date!r} is not a date", "write YYYY-MM"
            )
        k = step_of(date, scenario.start_year, scenario.step_months)
        if k < 1 or k > scenario.steps:
            end = scenario.start_year * 12 + scenario.steps * scenario.step_months - 1
            raise error_fn(
                ("timeline", i, "date"),
                f"{entry.date} is outside the horizon",
                f"give a date from {scenario.start_year}-01 to {end // 12}-{end % 12 + 1:02d}",
            )
        if not entry.set:
            raise error_fn(("timeline", i, "set"), "empty section", "give at least one field")
        dated.append((k, i, entry))
    dated.sort(key=lambda t: (t[0], t[1]))
    data = to_plain(scenario)
    data.pop("timeline", None)
    index = {n.iso3: n for n in scenario.nations}
    out = []
    for k, i, entry in dated:
        for key, value in entry.set.items():
            path = ("timeline", i, "set", key)
            parts = str(key).split(".")
            problem = check_path(parts) if all(parts) else "empty field name"
            if problem:
                raise error_fn(path, f"cannot be scheduled: {problem}")
            if parts[0] == "nations" and parts[2] == "role":
                now = index.get(parts[1])
                if value != "member" or (now is not None and now.role != "partner"):
                    raise error_fn(path, "only a partner can become a member", "set role: member")
            if parts[0] == "nations" and parts[2] == "role":
                data = _accede(data, parts[1])
            try:
                data = merge(data, value_at(parts, copy.deepcopy(value)), (), {}, {}, (), "")
                after = build_fn(data)
            except ScenarioError as exc:
                hint = f"{exc.field}: {exc.hint}" if exc.hint else exc.field
                raise error_fn(path, exc.problem, hint) from None
            index = {n.iso3: n for n in after.nations}
        out.append((k, i, after))
    return out


def _accede(data: dict, iso: str) -> dict:
    """A new member is no longer an aspirant nor a programme partner (plain data, copied)."""
    data = copy.deepcopy(data)
    for n in data["nations"]:
        if n.get("iso3") == iso:
            n["aspirant"] = False
    for prog in data.get("programmes", []):
        prog["partners"] = [p for p in prog.get("partners", []) if p != iso]
    return data


# --------------------------------------------------------------------------- the phase
SECTION = None
Params = None


def init(model: AllianceModel) -> None:
    """Group the scenario's precomputed schedule by step (validated when the file was read)."""
    due: dict[int, list[tuple[int, Scenario]]] = {}
    for k, i, after in model.spec.timeline_schedule:
        due.setdefault(k, []).append((i, after))
    model.timeline_due = due


def step(model: AllianceModel) -> None:
    """Phase 0: apply the entries dated in this step, in order."""
    for i, after in model.timeline_due.get(model.steps, ()):
        apply(model, model.spec.timeline[i], after)


def apply(model: AllianceModel, entry: TimelineEntry, after: Scenario) -> None:
    """Swap in the parameters after ``entry`` and write its state-backed fields."""
    from simulation.state import set_member

    s = model.state
    touched: list[str] = []
    for key, value in entry.set.items():
        parts = key.split(".")
        if parts[0] == "adversary" and parts[1:] == ["aggression"]:
            s.aggression = float(value)
        if parts[0] != "nations":
            continue
        iso, name = parts[1], parts[2]
        j = model.nation_index[iso]
        touched.append(iso)
        if name == "role" and not s.member[j]:
            set_member(s, after, j)
            model.record_event("accession", kind="timeline", actor=iso, outcome="joined")
        elif name == "budget_fixed":
            s.budget_fixed[j] = bool(value)
        elif name in NATION_FIELDS:
            attr, factor = NATION_FIELDS[name]
            getattr(s, attr)[j] = float(value) * factor
            if name == "defence_share_pct":
                s.armed[j] = s.armed[j] or value > 0
    # keep the timeline of the run as read: the schedule refers to its entries by index
    model.spec = _with_timeline(after, model.spec)
    model.record_event(
        "timeline", kind=entry.label or entry.date, participants=sorted(set(touched))
    )


def _with_timeline(after: Scenario, before: Scenario) -> Scenario:
    import dataclasses

    return dataclasses.replace(
        after,
        timeline=before.timeline,
        timeline_schedule=before.timeline_schedule,
        variants=before.variants,
        variant=before.variant,
        source_file=before.source_file,
        source_sha256=before.source_sha256,
        raw=before.raw,
        base=before.base,
    )


OUTPUTS: tuple = ()
