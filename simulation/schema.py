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
DECISION_RULES = (
    "unanimity",
    "silence_procedure",
    "qualified_majority",
    "coalition_of_the_willing",
)


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
        "inventory at the initial spending (about annual spending / depreciation rate)",
        unit="billion USD",
        lo=0,
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
class TrustParams:
    """Trust dynamics (mechanism 8): reciprocity and decay toward an alignment baseline."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    reciprocity_per_month: float = param(
        0.05,
        doc="Share of the gap to the reverse trust closed per month",
        unit="1/month",
        lo=0,
        hi=1,
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
    )
    decay_per_year: float = param(
        0.05,
        doc="Share of interoperability lost per year without training",
        unit="1/year",
        lo=0,
        hi=1,
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
    """The adversary bloc: perceived aggression, its learning about the alliance, challenges."""

    aggression: float = param(
        0.5,
        doc="Initial aggression of the adversary (drives its challenges)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    threat_decay_per_year: float = param(
        0.3,
        doc="Share of the adversary's threat perception of the alliance that fades per year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    prior_response: float = param(
        0.7,
        doc="Adversary's prior probability that the alliance responds to a challenge",
        unit="0-1",
        lo=0.001,
        hi=0.999,
    )
    prior_response_partners: float = param(
        0.3,
        doc="Adversary's prior probability that the alliance responds to a challenge of a "
        "partner (no treaty obligation; beliefs about members and partners are learned apart)",
        unit="0-1",
        lo=0.001,
        hi=0.999,
    )
    prior_strength: float = param(
        10.0,
        doc="Weight of that prior, in pseudo-observations",
        unit="pseudo-observations",
        lo=0.01,
    )
    memory_per_year: float = param(
        0.8,
        doc="Share of the adversary's evidence about the alliance kept after a year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    challenge_rate_per_year: float = param(
        3.0,
        doc="Challenges per year when a challenge's expected utility is 1 (Poisson hazard)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    failure_cost: float = param(
        0.2, doc="Cost to the adversary of a challenge that fails, in stake units", lo=0, hi=100
    )
    contest_exponent: float = param(
        1.0, doc="Exponent of the contest success function (1 = ratio form)", lo=0.01, hi=10
    )
    allied_projection: float = param(
        0.25,
        doc="Share of allies' ready capability that can be brought to bear at a target in a "
        "crisis (reinforcement at a distance); the target's own forces count in full",
        unit="0-1",
        lo=0,
        hi=1,
    )
    partner_support: float = param(
        0.3,
        doc="Weight of allies' capability counted in a partner's defence",
        unit="0-1",
        lo=0,
        hi=1,
    )
    exercise_signal: float = param(
        0.05,
        doc="Pseudo-observations of alliance resolve the adversary takes from one exercise, "
        "scaled by the share of members taking part",
        unit="pseudo-observations",
        lo=0,
        hi=10,
    )
    aggression_recovery_per_year: float = param(
        0.2,
        doc="Share of the gap between aggression and its initial value closed per year (crisis "
        "outcomes shift aggression; it relaxes back without new ones)",
        unit="1/year",
        lo=0,
        hi=1,
    )
    aggression_gain: float = param(
        0.1,
        doc="Share of its gap to 1 that aggression closes after a concession",
        unit="0-1",
        lo=0,
        hi=1,
    )
    aggression_loss: float = param(
        0.05, doc="Share of aggression lost after a deterred challenge", unit="0-1", lo=0, hi=1
    )
    enlargement_threat_gain: float = param(
        0.1,
        doc="Share of the gap to 1 the adversary's threat perception closes on an accession",
        unit="0-1",
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
    resolve_relevance: float = param(
        0.0, doc="How much domestic resolve drives support", unit="0-1", lo=0, hi=1
    )


def _default_kinds() -> dict[str, ProposalKind]:
    return {
        "crisis_response": ProposalKind(1.0, 0.9, 0.4, 1.0),
        "common_funding": ProposalKind(1.0, 0.3, 0.5),
        "exercise_plan": ProposalKind(1.5, 0.6, 0.2),
        "sanctions": ProposalKind(0.5, 0.7, 0.3),
        "out_of_area": ProposalKind(0.5, 0.2, 0.4),
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
        1.0, doc="Utility a member needs to support a proposal", lo=-5, hi=5
    )
    alignment_weight: float = param(1.0, doc="Weight of proposal-interest alignment", lo=0)
    threat_weight: float = param(0.5, doc="Weight of threat perception", lo=0)
    trust_weight: float = param(0.5, doc="Weight of trust in the proposer", lo=0)
    sovereignty_weight: float = param(0.6, doc="Weight of sovereignty cost", lo=0)
    resolve_weight: float = param(0.3, doc="Weight of domestic resolve", lo=0)
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
class BurdenParams:
    """Burden sharing (mechanism 4): yearly defence budgets as a public-good game."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    private_benefit_share: float = param(
        0.6,
        doc="Share of defence benefits that are private to the spender (0 = pure public good, "
        "Olson and Zeckhauser 1966; > 0 = joint products, Sandler 1977)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    demand_pct: float = param(
        2.0,
        doc="Defence services a nation with no threat wants, as a share of its GDP",
        unit="% of GDP",
        lo=0,
        hi=50,
    )
    threat_sensitivity: float = param(
        1.5, doc="Rise in demand per unit of threat perception (demand x (1 + this x threat))", lo=0
    )
    adjustment_per_year: float = param(
        0.2,
        doc="Share of the gap to the target share closed by one yearly budget (inertia)",
        unit="1/year",
        lo=0,
        hi=1,
    )
    pledge_pct: float = param(
        2.0, doc="Spending pledge (NATO Wales 2014: 2%)", unit="% of GDP", lo=0, hi=50
    )
    pledge_pressure: float = param(
        0.3,
        doc="Share of the gap between the target and the pledge closed by pledge pressure",
        unit="0-1",
        lo=0,
        hi=1,
    )
    min_share_pct: float = param(0.5, doc="Floor on defence spending", unit="% of GDP", lo=0, hi=50)
    max_share_pct: float = param(
        10.0, doc="Ceiling on defence spending (budget constraint)", unit="% of GDP", lo=0, hi=60
    )
    free_riding_trust_cost: float = param(
        0.05,
        doc="Share of others' trust in a member lost per year, times its relative shortfall "
        "from the pledge",
        unit="1/year",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class CrisisParams:
    """Crises (mechanism 5): the alliance's decision under time pressure and its aftermath."""

    enabled: bool = param(True, doc="Switch crises (adversary challenges) on or off")
    max_rounds: int = param(
        2, doc="Negotiation rounds available in a crisis", unit="rounds", lo=1, hi=100
    )
    round_days: float = param(2.0, doc="Duration of a crisis negotiation round", unit="days", lo=0)
    intel_bonus_rounds: int = param(
        1,
        doc="Extra rounds when the target is in the intelligence-sharing group (earlier warning)",
        unit="rounds",
        lo=0,
        hi=100,
    )
    support_partners: bool = param(
        True, doc="Challenges to partners open an alliance crisis decision"
    )
    support_threshold: float = param(
        1.3,
        doc="Utility a member needs to support committing forces (replaces the routine "
        "consensus.support_threshold in crises: a higher bar than routine decisions)",
        lo=-5,
        hi=5,
    )
    treaty_obligation: float = param(
        0.3,
        doc="Utility of honouring a treaty commitment: added to every member's support for "
        "responding when the target is a member (Article 5), not when it is a partner",
        lo=0,
        hi=5,
    )
    threat_relevance: float = param(
        1.0, doc="How much threat perception drives support for a response", unit="0-1", lo=0, hi=1
    )
    sovereignty_cost: float = param(
        0.3, doc="Sovereignty cost of committing forces", unit="0-1", lo=0, hi=1
    )
    resolve_relevance: float = param(
        1.0, doc="How much domestic resolve drives support for a response", unit="0-1", lo=0, hi=1
    )
    abandonment_trust_cost: float = param(
        0.2,
        doc="Share of the target's trust lost in each ally that did not support it",
        unit="0-1",
        lo=0,
        hi=1,
    )
    support_trust_gain: float = param(
        0.1,
        doc="Share of the target's trust gap closed toward each ally that supported it",
        unit="0-1",
        lo=0,
        hi=1,
    )
    entrapment_exposure: float = param(
        0.3,
        doc="Responders (members committing forces) less exposed than this pay entrapment costs",
        unit="0-1",
        lo=0,
        hi=1,
    )
    entrapment_resolve_cost: float = param(
        0.05, doc="Share of resolve an entrapped supporter loses", unit="0-1", lo=0, hi=1
    )
    resolve_recovery_per_year: float = param(
        0.2,
        doc="Share of the gap to initial resolve recovered per year",
        unit="1/year",
        lo=0,
        hi=1,
    )
    defend_readiness_cost: float = param(
        0.1, doc="Share of readiness responders lose when they must defend", unit="0-1", lo=0, hi=1
    )
    defend_capability_loss: float = param(
        0.01,
        doc="Share of capability responders lose when they must defend",
        unit="0-1",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class BattlegroupSpec:
    """A multinational unit stationed in a host member."""

    host: str = param(doc="ISO3 of the host member")
    contributors: tuple[str, ...] = param(doc="ISO3 of contributing members (framework first)")
    strength_busd: float | None = param(
        None,
        doc="Capability this unit adds to its host (default: presence.strength_busd)",
        unit="billion USD",
        lo=0,
    )


@dataclass(frozen=True)
class PresenceParams:
    """Forward presence (mechanism 6): multinational units in exposed members."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    battlegroups: tuple[BattlegroupSpec, ...] = param(doc="The stationed units", default=())
    strength_busd: float = param(
        3.0,
        doc="Capability a battlegroup adds to its host's local defence",
        unit="billion USD",
        lo=0,
    )
    cost_busd_per_year: float = param(
        0.6,
        doc="Yearly cost of a battlegroup, split equally among its contributors",
        unit="billion USD per year",
        lo=0,
    )
    tripwire_weight: float = param(
        0.5,
        doc="How much a battlegroup raises the adversary's estimate that the alliance responds "
        "(share of the gap to 1)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    host_trust_gain_per_year: float = param(
        0.1,
        doc="Share of the host's trust gap toward each contributor closed per year",
        unit="1/year",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True)
class InformationParams:
    """Information and hybrid threats (mechanism 7)."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    campaigns_per_year: float = param(
        4.0,
        doc="Adversary disinformation campaigns per year (Poisson)",
        unit="1/year",
        lo=0,
        hi=1000,
    )
    strength: float = param(
        0.25,
        doc="Share of trust lost between the target and a fully misaligned ally by a campaign "
        "left undetected for reference_days",
        unit="0-1",
        lo=0,
        hi=1,
    )
    detection_days: float = param(
        60.0, doc="Mean days before a campaign is detected and countered", unit="days", lo=0
    )
    reference_days: float = param(
        90.0, doc="Days undetected at which a campaign does full damage", unit="days", lo=1e-6
    )
    intelligence_group: tuple[str, ...] = param(
        doc="ISO3 of the intelligence-sharing group (Five Eyes style)", default=()
    )
    intel_detection_factor: float = param(
        0.3,
        doc="Detection time inside the group, as a share of detection_days",
        unit="0-1",
        lo=0,
        hi=1,
    )
    stratcom_level: float = param(
        0.0, doc="Strategic communication effort (policy lever)", unit="0-1", lo=0, hi=1
    )
    stratcom_effectiveness: float = param(
        0.6, doc="Share of campaign damage removed at stratcom_level 1", unit="0-1", lo=0, hi=1
    )
    stratcom_cost_busd_per_year: float = param(
        0.05,
        doc="Yearly cost per member at stratcom_level 1",
        unit="billion USD per year",
        lo=0,
    )


@dataclass(frozen=True)
class MissionSpec:
    """An out-of-area operation with given national contributions (e.g. KFOR)."""

    name: str = param(doc="Mission name")
    contributions: dict[str, float] = param(
        doc="Contribution of each nation (ISO3 -> troops or any common unit)", lo=0
    )
    start_step: int = param(0, doc="Step at which the mission starts", unit="steps", lo=0)
    duration_months: int = param(120, doc="Length of the mission", unit="months", lo=1)


@dataclass(frozen=True)
class OperationsParams:
    """Out-of-area operations: peacekeeping and crisis management with national contributions."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    missions: tuple[MissionSpec, ...] = param(doc="Missions given in the scenario", default=())
    launch_from_decisions: bool = param(
        True, doc="An adopted out_of_area proposal launches a mission of its supporters"
    )
    duration_months: int = param(
        24, doc="Length of a mission launched by decision", unit="months", lo=1
    )
    interop_gain_per_year: float = param(
        0.1,
        doc="Share of the interoperability gap closed per year between contributors",
        unit="1/year",
        lo=0,
        hi=1,
    )
    trust_gain_per_year: float = param(
        0.05,
        doc="Share of the trust gap closed per year between contributors",
        unit="1/year",
        lo=0,
        hi=1,
    )
    fairness_trust_cost: float = param(
        0.05,
        doc="Share of trust an under-contributor loses per year from over-contributors, times "
        "its shortfall from its GDP-proportional share",
        unit="1/year",
        lo=0,
        hi=1,
    )
    cost_busd_per_year: float = param(
        1.0,
        doc="Yearly cost of a mission, split by contribution",
        unit="billion USD per year",
        lo=0,
    )


@dataclass(frozen=True)
class EnlargementParams:
    """Enlargement: invitation by consensus, ratification member by member."""

    enabled: bool = param(True, doc="Switch the mechanism on or off")
    ratification_mean_months: float = param(
        10.0,
        doc="Mean ratification delay per member (exponential); Finland took 11 months",
        unit="months",
        lo=0,
    )
    holdout_probability: float = param(
        0.3,
        doc="Probability that a member with zero alignment to the aspirant holds out "
        "(scaled by 1 - alignment)",
        unit="0-1",
        lo=0,
        hi=1,
    )
    holdout_extra_months: float = param(
        12.0,
        doc="Mean extra delay of a holdout (exponential); Sweden waited 20 months in all",
        unit="months",
        lo=0,
    )
    threat_relevance: float = param(
        0.5,
        doc="How much threat perception drives support for an invitation",
        unit="0-1",
        lo=0,
        hi=1,
    )
    sovereignty_cost: float = param(
        0.2, doc="Sovereignty cost of an invitation", unit="0-1", lo=0, hi=1
    )
    support_threshold: float | None = param(
        None,
        doc="Utility a member needs to support an invitation (default: "
        "consensus.support_threshold)",
        lo=-5,
        hi=5,
    )
    reapply_months: int = param(
        24,
        doc="Wait before an aspirant whose invitation was blocked asks again",
        unit="months",
        lo=0,
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
    collective_defence: bool = param(
        True, doc="Members are bound to collective defence (false: a consultative forum)"
    )
    step_months: int = param(1, doc="Length of one step", unit="months", lo=1, hi=12)
    steps: int = param(120, doc="Horizon", unit="steps", lo=1, hi=100_000)
    seed: int = param(
        0, doc="Default random seed (the CLI's --seed overrides it)", lo=0, hi=2**63 - 1
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
    presence: PresenceParams = param(doc="Forward presence", default_factory=PresenceParams)
    information: InformationParams = param(
        doc="Information and hybrid threats", default_factory=InformationParams
    )
    operations: OperationsParams = param(
        doc="Out-of-area operations", default_factory=OperationsParams
    )
    enlargement: EnlargementParams = param(doc="Enlargement", default_factory=EnlargementParams)
    metrics: MetricParams = param(doc="Output metric definitions", default_factory=MetricParams)

    # Filled in by the loader, never read from the file's fields: the validated variant overrides,
    # the variant this object was resolved for, where it came from (for provenance), and as plain
    # data with every default filled in: this scenario (raw) and the file as written (base).
    variants: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    variant: str = field(default="baseline", compare=False)
    source_file: str = field(default="<memory>", compare=False)
    source_sha256: str = field(default="", compare=False, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    base: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def member_count(self) -> int:
        """Number of nations whose role is ``member``."""
        return sum(n.role == "member" for n in self.nations)
