"""The scenario schema: typed, frozen dataclasses that mirror the YAML file one to one.

Every field is declared with :func:`param`, which records its unit, its valid range and a short
description (with the source of the default where there is one). The loader in
:mod:`simulation.scenario` validates a YAML mapping against these classes, and
``scenarios/README.md`` is generated from the same metadata, so the documentation cannot drift
from the code. Units are in field names where they are not obvious (``gdp_busd``: billions of
current US dollars; ``*_per_year``, ``*_per_month``: rates per time unit).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field
from typing import Any, Literal

ROLES = ("member", "partner", "adversary", "neutral")
DECISION_RULES = ("unanimity", "silence_procedure", "qualified_majority", "coalition_of_the_willing")


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


@dataclass(frozen=True)
class NationSpec:
    """One nation: identity, role, economy, military and political attributes."""

    iso3: str = param(doc="ISO 3166-1 alpha-3 code (unique; used to reference the nation)")
    name: str = param(doc="Display name")
    role: Literal["member", "partner", "adversary", "neutral"] = param(
        doc="Role in the alliance: member, partner (of a partnership programme), adversary "
        "(nations with this role act as one bloc), or neutral"
    )
    gdp_busd: float = param(doc="Gross domestic product", unit="billion current USD", lo=1e-6)
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
        "inventory (annual spending / depreciation rate)",
        unit="billion USD",
        lo=0,
    )
    readiness: float = param(0.5, doc="Initial readiness of forces", unit="0-1", lo=0, hi=1)
    ideal_point: float | None = param(
        None,
        doc="UN General Assembly ideal point (Bailey, Strezhnev and Voeten 2017); "
        "feeds initial alignment",
        unit="ideal-point scale",
        lo=-5,
        hi=5,
    )
    resolve: float = param(0.7, doc="Domestic political will to act", unit="0-1", lo=0, hi=1)
    sovereignty_sensitivity: float = param(
        0.3, doc="Weight a nation gives to sovereignty costs of decisions", unit="0-1", lo=0, hi=1
    )
    accession_year: int | None = param(None, doc="Year the nation joined the alliance")
    aspirant: bool = param(False, doc="Partner that seeks membership (may request accession)")


@dataclass(frozen=True)
class TrustParams:
    """Trust dynamics (mechanism 8): reciprocity and decay toward an alignment baseline."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    reciprocity_per_month: float = param(
        0.05, doc="Share of the gap to the reverse trust closed per month", unit="1/month", lo=0, hi=1
    )
    decay_per_month: float = param(
        0.02, doc="Share of the gap to the baseline closed per month", unit="1/month", lo=0, hi=1
    )
    baseline_min: float = param(
        0.1, doc="Baseline trust of a pair with alignment 0", unit="0-1", lo=0, hi=1
    )
    baseline_max: float = param(
        0.7, doc="Baseline trust of a pair with alignment 1", unit="0-1", lo=0, hi=1
    )
    member_bonus: float = param(
        0.15,
        doc="Baseline trust added between two members of the alliance (institutional assets)",
        unit="0-1",
        lo=0,
        hi=1,
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
        lo=1e-6,
    )


@dataclass(frozen=True)
class InteroperabilityParams:
    """Initial interoperability and its fading without joint training."""

    initial_years_scale: float = param(
        20.0,
        doc="Initial Q of two members is 1 - exp(-years of shared membership / this scale)",
        unit="years",
        lo=1e-6,
    )
    partner_initial: float = param(
        0.1, doc="Initial Q between a partner and each member", unit="0-1", lo=0, hi=1
    )
    founder_years: float = param(
        40.0,
        doc="Years of shared membership assumed for members without an accession_year",
        unit="years",
        lo=0,
    )
    decay_per_year: float = param(
        0.05, doc="Share of interoperability lost per year without training", unit="1/year",
        lo=0, hi=1,
    )


@dataclass(frozen=True)
class CapabilityParams:
    """Capability stock (perpetual inventory), readiness decay and negotiating influence."""

    depreciation_per_year: float = param(
        0.1, doc="Depreciation of the capability stock", unit="1/year", lo=1e-6, hi=1
    )
    readiness_decay_per_month: float = param(
        0.03,
        doc="Share of the gap to the readiness floor lost per month",
        unit="1/month",
        lo=0,
        hi=1,
    )
    readiness_floor: float = param(
        0.3, doc="Readiness reached with no training", unit="0-1", lo=0, hi=1
    )
    influence_capability_exponent: float = param(
        0.5, doc="Exponent of capability share in negotiating influence", lo=0, hi=5
    )
    influence_trust_exponent: float = param(
        1.0, doc="Exponent of mean trust received in negotiating influence", lo=0, hi=5
    )


@dataclass(frozen=True)
class AdversaryParams:
    """The adversary bloc as seen by the alliance's members (threat perception)."""

    aggression: float = param(
        0.5, doc="Recent aggression of the adversary, as perceived", unit="0-1", lo=0, hi=1
    )
    threat_decay_per_year: float = param(
        0.3,
        doc="Share of the adversary's threat perception of the alliance that fades per year",
        unit="1/year",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class ExerciseParams:
    """Joint exercises (mechanism 1)."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    tempo_per_year: float = param(
        12.0, doc="Mean number of joint exercises (Poisson)", unit="1/year", lo=0, hi=1000
    )
    size: int = param(6, doc="Participants per exercise, host included", unit="nations", lo=2)
    partner_inclusiveness: float = param(
        0.2,
        doc="Probability that a participant slot goes to a partner rather than a member",
        unit="0-1",
        lo=0,
        hi=1,
    )
    host_exposure_bias: float = param(
        1.0,
        doc="Hosts are drawn with probability proportional to (exposure + 0.05) ** bias",
        lo=0,
        hi=10,
    )
    interop_gain: float = param(
        0.04,
        doc="Share of the gap 1 - Q closed between each participant pair per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    trust_gain: float = param(
        0.01,
        doc="Share of the gap 1 - T closed between each participant pair per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    readiness_gain: float = param(
        0.05,
        doc="Share of the gap 1 - readiness closed for each participant per exercise",
        unit="0-1",
        lo=0,
        hi=1,
    )
    cost_busd_per_participant: float = param(
        0.05,
        doc="Cost to each participant, deducted from capability investment",
        unit="billion USD",
        lo=0,
    )
    spiral_gain: float = param(
        0.02,
        doc="Rise in the adversary's threat perception per exercise, scaled by the exercise's "
        "share of alliance members (security spiral)",
        unit="0-1",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class ProposalKind:
    """A kind of proposal put to the council."""

    weight: float = param(1.0, doc="Relative frequency of this kind", lo=0)
    threat_relevance: float = param(
        0.5, doc="How much threat perception drives support", unit="0-1", lo=0, hi=1
    )
    sovereignty_cost: float = param(
        0.3, doc="Sovereignty cost of full adoption", unit="0-1", lo=0, hi=1
    )


def _default_kinds() -> dict[str, ProposalKind]:
    return {
        "crisis_response": ProposalKind(1.0, 0.9, 0.4),
        "common_funding": ProposalKind(1.0, 0.3, 0.5),
        "exercise_plan": ProposalKind(1.5, 0.6, 0.2),
        "sanctions": ProposalKind(0.5, 0.7, 0.3),
        "enlargement": ProposalKind(0.3, 0.5, 0.3),
    }


@dataclass(frozen=True)
class ConsensusParams:
    """Consensus decisions (mechanism 2): proposals, decision rule, negotiation rounds."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    rule: Literal[
        "unanimity", "silence_procedure", "qualified_majority", "coalition_of_the_willing"
    ] = param("unanimity", doc="Decision rule")
    proposals_per_year: float = param(
        12.0, doc="Mean number of proposals put to members (Poisson)", unit="1/year", lo=0, hi=1000
    )
    max_rounds: int = param(
        6, doc="Negotiation rounds before a proposal is abandoned", unit="rounds", lo=1, hi=100
    )
    round_days: float = param(7.0, doc="Duration of one negotiation round", unit="days", lo=0)
    dilution_per_round: float = param(
        0.15,
        doc="Share of the distance to the holdouts' position conceded per round; ambition "
        "falls by the same share",
        unit="0-1",
        lo=0,
        hi=0.99,
    )
    proposal_spread: float = param(
        0.15,
        doc="Standard deviation of a proposal's position around its proposer's interests",
        unit="0-1",
        lo=0,
        hi=1,
    )
    support_noise_sd: float = param(
        0.1, doc="Standard deviation of a member's idiosyncratic support shock", lo=0, hi=5
    )
    support_threshold: float = param(
        0.75, doc="Utility a member needs to support a proposal", lo=-5, hi=5
    )
    alignment_weight: float = param(1.0, doc="Weight of proposal-interest alignment", lo=0)
    threat_weight: float = param(0.5, doc="Weight of threat perception", lo=0)
    trust_weight: float = param(0.5, doc="Weight of trust in the proposer", lo=0)
    sovereignty_weight: float = param(0.6, doc="Weight of sovereignty cost", lo=0)
    qmv_threshold: float = param(
        0.65,
        doc="Influence-weighted share of support needed under qualified_majority",
        unit="0-1",
        lo=0,
        hi=1,
    )
    silence_break_margin: float = param(
        0.2,
        doc="How far below the threshold a member's utility must be before it breaks silence",
        lo=0,
        hi=5,
    )
    silence_break_trust_cost: float = param(
        0.02,
        doc="Share of others' trust in a member lost when it breaks silence",
        unit="0-1",
        lo=0,
        hi=1,
    )
    coalition_min_share: float = param(
        0.25,
        doc="Influence share of supporters a coalition of the willing needs to act",
        unit="0-1",
        lo=0,
        hi=1,
    )
    block_trust_cost: float = param(
        0.03,
        doc="Share of supporters' trust in each blocker lost when a proposal is blocked",
        unit="0-1",
        lo=0,
        hi=1,
    )
    success_trust_gain: float = param(
        0.01,
        doc="Share of the gap 1 - T closed among supporters when a proposal is adopted",
        unit="0-1",
        lo=0,
        hi=1,
    )
    proposal_kinds: dict[str, ProposalKind] = param(
        doc="Kinds of proposal and their parameters", default_factory=_default_kinds
    )


@dataclass(frozen=True)
class ProgrammeSpec:
    """A partnership programme (mechanism 3) such as Partnership for Peace."""

    name: str = param(doc="Programme name (e.g. Partnership for Peace)")
    partners: tuple[str, ...] = param(doc="ISO3 codes of the partner nations", default=())
    activities_per_year: float = param(
        6.0,
        doc="Mean number of activities per partner (Poisson)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    exchange_share: float = param(
        0.5,
        doc="Share of activities that are personnel exchanges (the rest is training)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    trust_gain: float = param(
        0.02,
        doc="Share of the trust gap 1 - T closed by a personnel exchange (both directions)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    interop_gain: float = param(
        0.03,
        doc="Share of the interoperability gap 1 - Q closed by a training activity",
        unit="0-1",
        lo=0,
        hi=1,
    )
    engagement_gain: float = param(
        0.05,
        doc="Share of the engagement gap closed by each activity",
        unit="0-1",
        lo=0,
        hi=1,
    )
    engagement_decay_per_year: float = param(
        0.1, doc="Decay of engagement without activity", unit="1/year", lo=0, hi=1
    )
    accession_engagement: float = param(
        0.6,
        doc="Engagement an aspirant needs before it requests accession",
        unit="0-1",
        lo=0,
        hi=1,
    )
    accession_interoperability: float = param(
        0.5,
        doc="Mean interoperability with members an aspirant needs before it requests accession",
        unit="0-1",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class MetricParams:
    """Definitions of the cohesion index (see :mod:`simulation.metrics`)."""

    trust_weight: float = param(1.0, doc="Weight of symmetric member trust in cohesion", lo=0)
    alignment_weight: float = param(1.0, doc="Weight of interest alignment in cohesion", lo=0)
    consensus_weight: float = param(1.0, doc="Weight of recent consensus success in cohesion", lo=0)
    window_months: int = param(
        12,
        doc="Trailing window for consensus_rate and decision_latency",
        unit="months",
        lo=1,
        hi=240,
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
    step_months: int = param(1, doc="Length of one step", unit="months", lo=1, hi=12)
    steps: int = param(120, doc="Horizon", unit="steps", lo=1, hi=100_000)
    seed: int = param(0, doc="Default random seed (the CLI's --seed overrides it)", lo=0)
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
    metrics: MetricParams = param(doc="Output metric definitions", default_factory=MetricParams)

    # Filled in by the loader, never read from the file's fields: the validated variant overrides,
    # the variant this object was resolved for, and where it came from (for provenance).
    variants: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    variant: str = field(default="baseline", compare=False)
    source_file: str = field(default="<memory>", compare=False)
    source_sha256: str = field(default="", compare=False, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def member_count(self) -> int:
        """Number of nations whose role is ``member``."""
        return sum(n.role == "member" for n in self.nations)
