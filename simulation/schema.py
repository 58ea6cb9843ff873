"""The scenario schema: typed, frozen dataclasses that mirror the YAML file one to one.

:class:`Scenario` composes the scenario-level parts declared here (the nations, their initial
alignment and interoperability, the output metrics, the horizon) with the parameter class of each
mechanism, which lives in that mechanism's module (``simulation/mechanisms/<name>.py``, as
``Params``, under its YAML key ``SECTION``). The mechanisms' classes are re-exported here, so
``from simulation.schema import ConsensusParams`` works as before.

Every field is declared with :func:`~simulation.parameters.param`, which records its unit, its
valid range and a short description (with the source of the default where there is one). The
loader in :mod:`simulation.scenario` validates a YAML mapping against these classes, and
``scenarios/README.md`` is generated from the same metadata, so the documentation cannot drift
from the code. Units are in field names where they are not obvious (``gdp_busd``: billions of
current US dollars; ``*_per_year``, ``*_per_month``: rates per time unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from simulation.limits import MAX_SEED, MAX_STEPS
from simulation.mechanisms.burden import BurdenParams
from simulation.mechanisms.capability import CapabilityParams
from simulation.mechanisms.consensus import DECISION_RULES, ConsensusParams, ProposalKind
from simulation.mechanisms.crises import CrisisParams
from simulation.mechanisms.enlargement import EnlargementParams
from simulation.mechanisms.exercises import ExerciseParams
from simulation.mechanisms.information import InformationParams
from simulation.mechanisms.operations import MissionSpec, OperationsParams
from simulation.mechanisms.partnership import ProgrammeSpec
from simulation.mechanisms.perception import AdversaryParams
from simulation.mechanisms.presence import BattlegroupSpec, PresenceParams
from simulation.mechanisms.spiral import SpiralParams
from simulation.mechanisms.timeline import TimelineEntry
from simulation.mechanisms.trust import TrustParams
from simulation.parameters import param

__all__ = [
    "DECISION_RULES",
    "ROLES",
    "AdversaryParams",
    "AlignmentParams",
    "BattlegroupSpec",
    "BurdenParams",
    "CapabilityParams",
    "ConsensusParams",
    "CrisisParams",
    "EnlargementParams",
    "ExerciseParams",
    "InformationParams",
    "InteroperabilityParams",
    "MetricParams",
    "MissionSpec",
    "NationSpec",
    "OperationsParams",
    "PresenceParams",
    "ProgrammeSpec",
    "ProposalKind",
    "Scenario",
    "SpiralParams",
    "TimelineEntry",
    "TrustParams",
    "param",
]

ROLES = ("member", "partner", "adversary", "neutral")


@dataclass(frozen=True)
class NationSpec:
    """One nation: identity, role, economy, military and political attributes."""

    iso3: str = param(doc="ISO 3166-1 alpha-3 code (unique; used to reference the nation)")
    name: str = param(doc="Display name")
    role: Literal["member", "partner", "adversary", "neutral"] = param(
        doc="Role in the alliance: member, partner (of a partnership programme), adversary "
        "(nations with this role act as one bloc), or neutral"
    )
    gdp_busd: float = param(
        doc="Gross domestic product", unit="billion current USD", lo=0.001, hi=1e6
    )
    defence_share_pct: float = param(doc="Defence expenditure", unit="% of GDP", lo=0, hi=60)
    interests: tuple[float, ...] = param(
        doc="Salience of each issue dimension (same order as `issues`)", unit="0-1", lo=0, hi=1
    )
    exposure: float = param(
        doc="Exposure to the adversary (proximity, shared border)", unit="0-1", lo=0, hi=1
    )
    gdp_growth_pct_per_year: float = param(
        1.5, doc="Real GDP growth", unit="% per year", lo=-30, hi=30
    )
    capability_busd: float | None = param(
        None,
        doc="Initial military capability stock; default: the steady state of the perpetual "
        "inventory at the initial spending (about annual spending / depreciation rate)",
        unit="billion USD",
        lo=0,
        hi=1e6,
    )
    readiness: float = param(0.5, doc="Initial readiness of forces", unit="0-1", lo=0, hi=1)
    ideal_point: float | None = param(
        None,
        doc="UN General Assembly ideal point (Bailey, Strezhnev and Voeten 2017); "
        "feeds initial alignment",
        unit="ideal-point units",
        lo=-5,
        hi=5,
    )
    resolve: float = param(0.7, doc="Domestic political will to act", unit="0-1", lo=0, hi=1)
    sovereignty_sensitivity: float = param(
        0.3, doc="Weight a nation gives to sovereignty costs of decisions", unit="0-1", lo=0, hi=1
    )
    accession_year: int | None = param(
        None, doc="Year the nation joined the alliance", unit="year", lo=1800, hi=2200
    )
    partnership_year: int | None = param(
        None,
        doc="Year the nation began a formal partnership with the alliance (e.g. signed the "
        "Partnership for Peace); counts toward initial interoperability",
        unit="year",
        lo=1800,
        hi=2200,
    )
    aspirant: bool = param(False, doc="Partner that seeks membership (may request accession)")
    demand_pct: float | None = param(
        None,
        doc="This nation's demand for defence services with no threat (default: "
        "burden.demand_pct); e.g. a global power's worldwide commitments",
        unit="% of GDP",
        lo=0,
        hi=50,
    )
    engagement: float = param(
        0.0,
        doc="Initial engagement of a partner with the alliance (partnership history)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    budget_fixed: bool = param(
        False,
        doc="Member keeps its defence share: its budget is set outside the model (e.g. a global "
        "power only partly engaged in the modelled alliance); it still spills over to allies",
    )


@dataclass(frozen=True)
class AlignmentParams:
    """How interest alignment between nations is built from interests and UN ideal points."""

    ideal_point_weight: float = param(
        0.5,
        doc="Share of alignment taken from UN ideal points (rest: interest-vector similarity); "
        "pairs without ideal points use interests only",
        unit="0-1",
        lo=0,
        hi=1,
    )
    ideal_point_scale: float = param(
        1.0,
        doc="Ideal-point distance at which affinity falls to 1/e",
        unit="ideal-point units",
        lo=0.01,
        hi=100,
    )


@dataclass(frozen=True)
class InteroperabilityParams:
    """Initial interoperability and its fading without joint training."""

    initial_years_scale: float = param(
        20.0,
        doc="Initial Q of two members is 1 - exp(-years of shared membership / this scale)",
        unit="years",
        lo=0.1,
        hi=1000,
    )
    partner_initial: float = param(
        0.1,
        doc="Initial Q between a partner and each member (at least; see partner_years_weight)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    partner_years_weight: float = param(
        0.5,
        doc="Weight of a year of formal partnership, relative to a year of membership, in "
        "initial interoperability",
        unit="0-1",
        lo=0,
        hi=1,
    )
    founder_years: float = param(
        40.0,
        doc="Years of shared membership assumed for members without an accession_year",
        unit="years",
        lo=0,
        hi=500,
    )
    decay_per_year: float = param(
        0.05,
        doc="Share of interoperability lost per year without training",
        unit="1/year",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class MetricParams:
    """Definitions of the cohesion index (see :mod:`simulation.metrics`)."""

    trust_weight: float = param(
        1.0, doc="Weight of symmetric member trust in cohesion", lo=0, hi=100
    )
    alignment_weight: float = param(
        1.0, doc="Weight of interest alignment in cohesion", lo=0, hi=100
    )
    consensus_weight: float = param(
        1.0, doc="Weight of recent consensus success in cohesion", lo=0, hi=100
    )
    window_months: int = param(
        12,
        doc="Trailing window for consensus_rate and decision_latency",
        unit="months",
        lo=1,
        hi=240,
    )
    summary_window_months: int = param(
        12,
        doc="The summary reports each level metric as its mean over this final window (and the "
        "last value as <metric>_final); the CLI's --window overrides it",
        unit="months",
        lo=1,
        hi=1200,
    )


@dataclass(frozen=True)
class Scenario:
    """A whole scenario: nations, institutions, mechanism parameters, horizon."""

    name: str = param(doc="Scenario name")
    start_year: int = param(doc="Calendar year of step 0", lo=1800, hi=2200)
    issues: tuple[str, ...] = param(doc="Names of the issue dimensions of national interests")
    nations: tuple[NationSpec, ...] = param(doc="The nations")
    alliance: str = param("Alliance", doc="Name of the alliance")
    description: str = param("", doc="What the scenario represents and its sources")
    collective_defence: bool = param(
        True, doc="Members are bound to collective defence (false: a consultative forum)"
    )
    step_months: int = param(1, doc="Length of one step", unit="months", lo=1, hi=12)
    steps: int = param(120, doc="Horizon", unit="steps", lo=1, hi=MAX_STEPS)
    seed: int = param(
        0, doc="Default random seed (the CLI's --seed overrides it)", lo=0, hi=MAX_SEED
    )
    programmes: tuple[ProgrammeSpec, ...] = param(doc="Partnership programmes", default=())
    trust: TrustParams = param(doc="Trust dynamics", default_factory=TrustParams)
    alignment: AlignmentParams = param(doc="Interest alignment", default_factory=AlignmentParams)
    interoperability: InteroperabilityParams = param(
        doc="Interoperability", default_factory=InteroperabilityParams
    )
    capability: CapabilityParams = param(
        doc="Capability, readiness and influence", default_factory=CapabilityParams
    )
    adversary: AdversaryParams = param(doc="The adversary", default_factory=AdversaryParams)
    exercises: ExerciseParams = param(doc="Joint exercises", default_factory=ExerciseParams)
    consensus: ConsensusParams = param(doc="Consensus decisions", default_factory=ConsensusParams)
    burden: BurdenParams = param(doc="Burden sharing", default_factory=BurdenParams)
    crises: CrisisParams = param(doc="Crises and their aftermath", default_factory=CrisisParams)
    spiral: SpiralParams = param(doc="The security spiral", default_factory=SpiralParams)
    presence: PresenceParams = param(doc="Forward presence", default_factory=PresenceParams)
    information: InformationParams = param(
        doc="Information and hybrid threats", default_factory=InformationParams
    )
    operations: OperationsParams = param(
        doc="Out-of-area operations", default_factory=OperationsParams
    )
    enlargement: EnlargementParams = param(doc="Enlargement", default_factory=EnlargementParams)
    metrics: MetricParams = param(doc="Output metric definitions", default_factory=MetricParams)
    timeline: tuple[TimelineEntry, ...] = param(
        doc="Scheduled events: dated changes of parameters, shocks and accessions", default=()
    )

    # Filled in by the loader, never read from the file's fields: the validated variant overrides,
    # the variant this object was resolved for, where it came from (for provenance), and as plain
    # data with every default filled in: this scenario (raw) and the file as written (base).
    variants: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    variant: str = field(default="baseline", compare=False)
    source_file: str = field(default="<memory>", compare=False)
    source_sha256: str = field(default="", compare=False, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    base: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    timeline_schedule: tuple = field(default=(), compare=False, repr=False)
    """``(step, entry index, scenario after it)`` per timeline entry, built by the loader."""

    @property
    def member_count(self) -> int:
        """Number of nations whose role is ``member``."""
        return sum(n.role == "member" for n in self.nations)
