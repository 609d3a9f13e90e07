"""The recognition rules, as data.

Each rule has a code (which also names its messages: `<code>.met`, `<code>.not_met`,
`<code>.unknown`), the recognition it belongs to, a condition on the answers, the places in
the seed documents it comes from, and the date from which the cited wording applies:

- for law articles, the entry into force of the amendment that gave the article its current
  wording, as the consolidated text (seed 004) notes it ("En vigueur : 01-10-2019");
- for the guide (seed 001), the date it was last updated, 19 September 2024: the guide lists
  the royal-decree criteria without their own dates, so that is the date we can vouch for.

Where the law and the guide differ, the law sets the age thresholds (18 in art. 4/4, 21 in
art. 4/5; the guide says "plus de 21 ans" for adults) and the guide adds the later criteria.
Numbers used in messages (thresholds, days, months) come from here, never from the texts.
docs/CARERS.md lists every rule with the passage it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from carers.engine.logic import (
    AtLeast,
    AtMost,
    Below,
    Condition,
    IsTrue,
    OneOf,
    all_of,
    any_of,
)
from carers.engine.sources import Source, guide, law

GENERAL = "general"
SOCIAL_RIGHTS = "social_rights"

# "En vigueur : 01-10-2019": L 2019-05-17/36, which rewrote art. 2, 3 and 4 and inserted
# art. 4/1 to 4/5 (seed 004).
LAW_2019_IN_FORCE = date(2019, 10, 1)
# "L 2022-02-28/04, art. 28, 004; En vigueur : 01-08-2020": art. 4/4 from 18 years (seed 004).
ART_4_4_AGE_18_IN_FORCE = date(2020, 8, 1)
# "Mis à jour le: 19 septembre 2024" (seed 001).
GUIDE_UPDATED = date(2024, 9, 19)
# "montant valable depuis le 1er mai 2024, indexable" (seed 001, carer's leave).
LEAVE_ALLOWANCE_VALID_FROM = date(2024, 5, 1)


def _frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Fact:
    """A number or date stated by a seed document, with where it is stated."""

    value: Any
    sources: tuple[Source, ...]
    effective: date


# --- Facts ------------------------------------------------------------------------------------

MONTHLY_HOURS = Fact(50, (guide("social_rights"),), GUIDE_UPDATED)
YEARLY_HOURS = Fact(600, (guide("social_rights"),), GUIDE_UPDATED)
RESIDENTIAL_CARE_MAX_DAYS = Fact(
    90, (law("art. 4, 4th indent"), guide("end_of_recognition")), LAW_2019_IN_FORCE
)
MAX_RECOGNISED_CARERS = Fact(3, (guide("good_to_know"),), GUIDE_UPDATED)
SWORN_STATEMENT_DAYS = Fact(30, (guide("procedure"),), GUIDE_UPDATED)
AUTOMATIC_RENEWAL_POINTS = Fact(12, (law("art. 4/4, 3rd paragraph"),), ART_4_4_AGE_18_IN_FORCE)
ADULT_FROM_AGE = Fact(18, (law("art. 4/4, 1st paragraph"),), ART_4_4_AGE_18_IN_FORCE)
CHILD_BELOW_AGE = Fact(21, (law("art. 4/5, 1st paragraph"),), LAW_2019_IN_FORCE)
LEAVE_FULL_TIME_MONTHS = Fact(3, (guide("carers_leave"),), GUIDE_UPDATED)
LEAVE_PART_TIME_MONTHS = Fact(6, (guide("carers_leave"),), GUIDE_UPDATED)
LEAVE_NOTICE_DAYS = Fact(7, (guide("carers_leave"),), GUIDE_UPDATED)
# Stated as "1.017,77 € bruts par mois", for a full interruption.
LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR = Fact(
    Decimal("1017.77"), (guide("carers_leave"),), LEAVE_ALLOWANCE_VALID_FROM
)


# --- Rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One medical criterion: enough on its own for the person helped."""

    code: str
    condition: Condition
    sources: tuple[Source, ...]
    effective: date
    params: Mapping[str, Any] = field(default_factory=_frozen)


@dataclass(frozen=True)
class Rule:
    code: str
    recognition: str
    condition: Condition
    sources: tuple[Source, ...]
    effective: date
    params: Mapping[str, Any] = field(default_factory=_frozen)
    # For a rule met by any one of several criteria: they are reported one by one.
    criteria: tuple[Criterion, ...] = ()


def _indicator(name: str) -> str:
    return f"cared_for.indicators.{name}"


ADULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "medical_criterion.adult_autonomy",
        AtLeast(_indicator("autonomy_points"), threshold=12),
        (law("art. 4/4, 1st paragraph"), guide("medical_criteria")),
        ART_4_4_AGE_18_IN_FORCE,
        _frozen({"points": 12}),
    ),
    Criterion(
        "medical_criterion.adult_disability_allowance",
        IsTrue(_indicator("disability_allowance_12_points")),
        (law("art. 4/4, 4th to 7th paragraphs"), guide("medical_criteria")),
        ART_4_4_AGE_18_IN_FORCE,
        _frozen({"points": 12}),
    ),
    Criterion(
        "medical_criterion.adult_third_party_help",
        IsTrue(_indicator("third_party_help")),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
    ),
    Criterion(
        "medical_criterion.adult_civil_servant_pension",
        IsTrue(_indicator("civil_servant_medical_pension_third_party")),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
    ),
    Criterion(
        "medical_criterion.adult_bel_scale",
        AtLeast(_indicator("bel_scale_points"), threshold=35),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
        _frozen({"points": 35}),
    ),
    Criterion(
        # The guide says "un score de 13 au BelRAI screener"; read, like every other scale
        # in its list, as a minimum.
        "medical_criterion.adult_belrai_screener",
        AtLeast(_indicator("belrai_screener_score"), threshold=13),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
        _frozen({"score": 13}),
    ),
    Criterion(
        "medical_criterion.adult_belrai_adl_iadl",
        AtLeast(_indicator("belrai_adl_iadl_points"), threshold=6),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
        _frozen({"points": 6}),
    ),
    Criterion(
        "medical_criterion.adult_avq_cps",
        AtLeast(_indicator("avq_cps_score"), threshold=15),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
        _frozen({"score": 15}),
    ),
    Criterion(
        # "un forfait B ou C suivant l'évaluation de l'échelle de Katz". Cd is the C package
        # with disorientation, so it is read as a C package (see docs/CARERS.md).
        "medical_criterion.adult_katz",
        OneOf(_indicator("katz_package"), values=frozenset({"B", "C", "Cd"})),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
    ),
    Criterion(
        "medical_criterion.adult_chronic_illness",
        IsTrue(_indicator("chronic_illness_package")),
        (guide("medical_criteria"),),
        GUIDE_UPDATED,
    ),
)

CHILD_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "medical_criterion.child_scale",
        AtLeast(_indicator("child_scale_points"), threshold=12),
        (law("art. 4/5, 1st paragraph"), guide("medical_criteria")),
        LAW_2019_IN_FORCE,
        _frozen({"points": 12}),
    ),
    Criterion(
        "medical_criterion.child_pillar3",
        AtLeast(_indicator("child_pillar3_points"), threshold=6),
        (law("art. 4/5, 1st paragraph"), guide("medical_criteria")),
        LAW_2019_IN_FORCE,
        _frozen({"points": 6, "out_of": 18}),
    ),
    Criterion(
        # The law grants it automatically to a child with increased family allowance *and*
        # the points above (art. 4/5, 2nd paragraph); the guide, stating the later criteria,
        # names the increased family allowance on its own.
        "medical_criterion.child_increased_family_allowance",
        IsTrue(_indicator("increased_family_allowance")),
        (guide("medical_criteria"), law("art. 4/5, 2nd paragraph")),
        GUIDE_UPDATED,
    ),
)

AGE = "cared_for.age"

ANY_ADULT_CRITERION = any_of(*(criterion.condition for criterion in ADULT_CRITERIA))
ANY_CHILD_CRITERION = any_of(*(criterion.condition for criterion in CHILD_CRITERIA))

# From 18 the adult criteria apply (art. 4/4), under 21 the child criteria (art. 4/5): between
# 18 and 20 both do, and either is enough.
MEDICAL_CONDITION = any_of(
    all_of(AtLeast(AGE, threshold=ADULT_FROM_AGE.value), ANY_ADULT_CRITERION),
    all_of(Below(AGE, threshold=CHILD_BELOW_AGE.value), ANY_CHILD_CRITERION),
    # Every age is 18 or more, or under 21: when an adult and a child criterion are both met,
    # the age cannot change the result. Three-valued logic cannot see that on its own (it
    # would keep asking for the age), so it is said explicitly; the value is the same.
    all_of(ANY_ADULT_CRITERION, ANY_CHILD_CRITERION),
)


GENERAL_RULES: tuple[Rule, ...] = (
    Rule(
        "carer_trust_relationship",
        GENERAL,
        IsTrue("carer.trust_relationship"),
        (law("art. 3 § 2, 1°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "carer_residence",
        GENERAL,
        IsTrue("carer.resides_in_belgium"),
        (law("art. 3 § 2, 2°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "carer_population_register",
        GENERAL,
        IsTrue("carer.in_population_register"),
        (law("art. 3 § 2, 3°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "carer_unpaid_non_professional",
        GENERAL,
        IsTrue("carer.unpaid_non_professional"),
        (law("art. 3 § 3, 1°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "carer_professional_involved",
        GENERAL,
        IsTrue("carer.professional_involved"),
        (law("art. 3 § 3, 1°"), law("art. 2, 2°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "carer_life_project",
        GENERAL,
        IsTrue("carer.respects_life_project"),
        (law("art. 3 § 3, 2°"), law("art. 2, 6°"), guide("carer_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "cared_for_residence",
        GENERAL,
        IsTrue("cared_for.resides_in_belgium"),
        (law("art. 4/2"), guide("cared_for_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "cared_for_dependent",
        GENERAL,
        IsTrue("cared_for.dependent"),
        (law("art. 2, 1°"), guide("cared_for_conditions")),
        LAW_2019_IN_FORCE,
    ),
    Rule(
        "cared_for_residential_care",
        GENERAL,
        AtMost(
            "cared_for.permanent_residential_care_days",
            threshold=RESIDENTIAL_CARE_MAX_DAYS.value,
        ),
        RESIDENTIAL_CARE_MAX_DAYS.sources,
        RESIDENTIAL_CARE_MAX_DAYS.effective,
        _frozen({"days": RESIDENTIAL_CARE_MAX_DAYS.value}),
    ),
)

SOCIAL_RIGHTS_RULES: tuple[Rule, ...] = (
    Rule(
        "care_hours",
        SOCIAL_RIGHTS,
        any_of(
            AtLeast("carer.hours_per_month", threshold=MONTHLY_HOURS.value),
            AtLeast("carer.hours_per_year", threshold=YEARLY_HOURS.value),
        ),
        (guide("social_rights"),),
        GUIDE_UPDATED,
        _frozen({"monthly": MONTHLY_HOURS.value, "yearly": YEARLY_HOURS.value}),
    ),
    Rule(
        "medical_criterion",
        SOCIAL_RIGHTS,
        MEDICAL_CONDITION,
        (
            law("art. 4/4, 1st paragraph"),
            law("art. 4/5, 1st paragraph"),
            guide("medical_criteria"),
        ),
        GUIDE_UPDATED,
        _frozen({"adult_from": ADULT_FROM_AGE.value, "child_below": CHILD_BELOW_AGE.value}),
        criteria=ADULT_CRITERIA + CHILD_CRITERIA,
    ),
    Rule(
        # "la mutualité peut reconnaître jusqu'à trois aidants proches par personne aidée".
        # `recognised_carers` counts the carers already recognised, not the person asking.
        # Applied to the recognition with social rights: see docs/CARERS.md for this reading.
        "max_recognised_carers",
        SOCIAL_RIGHTS,
        Below("cared_for.recognised_carers", threshold=MAX_RECOGNISED_CARERS.value),
        MAX_RECOGNISED_CARERS.sources + (law("art. 3bis § 1"),),
        MAX_RECOGNISED_CARERS.effective,
        _frozen({"limit": MAX_RECOGNISED_CARERS.value}),
    ),
)

RULES: tuple[Rule, ...] = GENERAL_RULES + SOCIAL_RIGHTS_RULES

FACTS: tuple[Fact, ...] = (
    MONTHLY_HOURS,
    YEARLY_HOURS,
    RESIDENTIAL_CARE_MAX_DAYS,
    MAX_RECOGNISED_CARERS,
    SWORN_STATEMENT_DAYS,
    AUTOMATIC_RENEWAL_POINTS,
    ADULT_FROM_AGE,
    CHILD_BELOW_AGE,
    LEAVE_FULL_TIME_MONTHS,
    LEAVE_PART_TIME_MONTHS,
    LEAVE_NOTICE_DAYS,
    LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR,
)


def _all_dates() -> list[date]:
    dates = [rule.effective for rule in RULES]
    dates += [criterion.effective for rule in RULES for criterion in rule.criteria]
    dates += [fact.effective for fact in FACTS]
    return dates


# The rules are as current as their most recent source: a stored outcome says which rules
# produced it, and changes whenever a rule or fact with a later date is added.
RULES_VERSION: str = max(_all_dates()).isoformat()
