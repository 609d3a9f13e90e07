"""The recognition rules, scenario by scenario (issue 5, acceptance).

Each scenario names the rule it exercises (a rule or criterion code of carers.engine.rules, or
the carer's-leave section of the guide) and the reason code the outcome must give for it.
Sources: seed 004 (law of 12 May 2014) and seed 001 (guide, 19 September 2024).
"""

from dataclasses import dataclass, field

import pytest

from carers.engine import RULES, evaluate
from tests.carers.factories import (
    NO_ADULT_CRITERION,
    NO_CHILD_CRITERION,
    AnswersFactory,
    answers_with_indicators,
)

LIKELY, UNLIKELY, INCOMPLETE = "likely", "unlikely", "incomplete"
LEAVE = "carers_leave"

KNOWN_RULES = (
    {rule.code for rule in RULES}
    | {criterion.code for rule in RULES for criterion in rule.criteria}
    | {LEAVE}
)


@dataclass
class Scenario:
    name: str
    rule: str
    answers: dict
    general: str
    social_rights: str
    reason: str | None = None  # a reason code expected in general or social_rights reasons
    missing: list | None = None  # the exact `missing` list, when the scenario is about it
    leave_eligible: object = "unchecked"
    leave_reason: str | None = None
    extra: dict = field(default_factory=dict)


def adult(age=80, **indicators):
    return answers_with_indicators(age=age, **{**NO_ADULT_CRITERION, **indicators})


def child(age=10, **indicators):
    return answers_with_indicators(age=age, **{**NO_CHILD_CRITERION, **indicators})


def both_groups_failing(age, **indicators):
    return answers_with_indicators(
        age=age, **{**NO_ADULT_CRITERION, **NO_CHILD_CRITERION, **indicators}
    )


GENERAL_CONDITIONS = [
    ("carer_trust_relationship", {"carer__trust_relationship": False}),
    ("carer_residence", {"carer__resides_in_belgium": False}),
    ("carer_population_register", {"carer__in_population_register": False}),
    ("carer_unpaid_non_professional", {"carer__unpaid_non_professional": False}),
    ("carer_professional_involved", {"carer__professional_involved": False}),
    ("carer_life_project", {"carer__respects_life_project": False}),
    ("cared_for_residence", {"cared_for__resides_in_belgium": False}),
    ("cared_for_dependent", {"cared_for__dependent": False}),
    ("cared_for_residential_care", {"cared_for__permanent_residential_care_days": 91}),
]

SCENARIOS = [
    Scenario(
        "every condition met",
        "medical_criterion",
        AnswersFactory(),
        LIKELY,
        LIKELY,
        reason="medical_criterion.adult_autonomy.met",
        missing=[],
        leave_eligible=True,
    ),
    # Each general condition failing alone (law art. 3 § 2, § 3, 2 1°, 4/2, 4).
    *[
        Scenario(
            f"general condition fails alone: {code}",
            code,
            AnswersFactory(**override),
            UNLIKELY,
            UNLIKELY,
            reason=f"{code}.not_met",
            missing=[],
            leave_eligible=False,
        )
        for code, override in GENERAL_CONDITIONS
    ],
    # Permanent residential care: recognition ends beyond 90 consecutive days (art. 4).
    Scenario(
        "residential care for exactly 90 days",
        "cared_for_residential_care",
        AnswersFactory(cared_for__permanent_residential_care_days=90),
        LIKELY,
        LIKELY,
        reason="cared_for_residential_care.met",
    ),
    Scenario(
        "residential care for 91 days",
        "cared_for_residential_care",
        AnswersFactory(cared_for__permanent_residential_care_days=91),
        UNLIKELY,
        UNLIKELY,
        reason="cared_for_residential_care.not_met",
    ),
    # Hours: at least 50 a month or 600 a year (guide, social rights).
    Scenario(
        "50 hours a month",
        "care_hours",
        AnswersFactory(carer__hours_per_month=50),
        LIKELY,
        LIKELY,
        reason="care_hours.met",
        missing=[],
    ),
    Scenario(
        "49.5 hours a month, yearly hours not given",
        "care_hours",
        AnswersFactory(carer__hours_per_month=49.5),
        LIKELY,
        INCOMPLETE,
        reason="care_hours.unknown",
        missing=["carer.hours_per_year"],
    ),
    Scenario(
        "49 hours a month and 599 a year",
        "care_hours",
        AnswersFactory(carer__hours_per_month=49, carer__hours_per_year=599),
        LIKELY,
        UNLIKELY,
        reason="care_hours.not_met",
        missing=[],
        leave_eligible=False,
    ),
    Scenario(
        "600 hours a year",
        "care_hours",
        AnswersFactory(carer__hours_per_month=None, carer__hours_per_year=600),
        LIKELY,
        LIKELY,
        reason="care_hours.met",
        missing=[],
    ),
    Scenario(
        "599 hours a year, monthly hours not given",
        "care_hours",
        AnswersFactory(carer__hours_per_month=None, carer__hours_per_year=599),
        LIKELY,
        INCOMPLETE,
        reason="care_hours.unknown",
        missing=["carer.hours_per_month"],
    ),
    Scenario(
        "49 hours a month but 600 a year: either is enough",
        "care_hours",
        AnswersFactory(carer__hours_per_month=49, carer__hours_per_year=600),
        LIKELY,
        LIKELY,
        reason="care_hours.met",
    ),
    # Adult medical criteria at their threshold and one below, every other one failing.
    *[
        Scenario(
            f"adult criterion {name} = {value!r}",
            code,
            adult(**{name: value}),
            LIKELY,
            expected,
            reason=f"{code}.met" if expected == LIKELY else "medical_criterion.not_met",
            missing=[],
        )
        for code, name, value, expected in [
            ("medical_criterion.adult_autonomy", "autonomy_points", 12, LIKELY),
            ("medical_criterion.adult_autonomy", "autonomy_points", 11, UNLIKELY),
            (
                "medical_criterion.adult_disability_allowance",
                "disability_allowance_12_points",
                True,
                LIKELY,
            ),
            (
                "medical_criterion.adult_disability_allowance",
                "disability_allowance_12_points",
                False,
                UNLIKELY,
            ),
            ("medical_criterion.adult_third_party_help", "third_party_help", True, LIKELY),
            ("medical_criterion.adult_third_party_help", "third_party_help", False, UNLIKELY),
            (
                "medical_criterion.adult_civil_servant_pension",
                "civil_servant_medical_pension_third_party",
                True,
                LIKELY,
            ),
            (
                "medical_criterion.adult_civil_servant_pension",
                "civil_servant_medical_pension_third_party",
                False,
                UNLIKELY,
            ),
            ("medical_criterion.adult_bel_scale", "bel_scale_points", 35, LIKELY),
            ("medical_criterion.adult_bel_scale", "bel_scale_points", 34, UNLIKELY),
            ("medical_criterion.adult_belrai_screener", "belrai_screener_score", 13, LIKELY),
            ("medical_criterion.adult_belrai_screener", "belrai_screener_score", 12, UNLIKELY),
            ("medical_criterion.adult_belrai_adl_iadl", "belrai_adl_iadl_points", 6, LIKELY),
            ("medical_criterion.adult_belrai_adl_iadl", "belrai_adl_iadl_points", 5, UNLIKELY),
            ("medical_criterion.adult_avq_cps", "avq_cps_score", 15, LIKELY),
            ("medical_criterion.adult_avq_cps", "avq_cps_score", 14, UNLIKELY),
            ("medical_criterion.adult_katz", "katz_package", "B", LIKELY),
            ("medical_criterion.adult_katz", "katz_package", "C", LIKELY),
            ("medical_criterion.adult_katz", "katz_package", "Cd", LIKELY),
            ("medical_criterion.adult_katz", "katz_package", "A", UNLIKELY),
            ("medical_criterion.adult_chronic_illness", "chronic_illness_package", True, LIKELY),
            ("medical_criterion.adult_chronic_illness", "chronic_illness_package", False, UNLIKELY),
        ]
    ],
    # Under 21 (law art. 4/5; guide): child scale, third pillar, increased family allowance.
    *[
        Scenario(
            f"child criterion {name} = {value!r} at 10",
            code,
            child(**{name: value}),
            LIKELY,
            expected,
            reason=f"{code}.met" if expected == LIKELY else "medical_criterion.not_met",
            missing=[],
        )
        for code, name, value, expected in [
            ("medical_criterion.child_scale", "child_scale_points", 12, LIKELY),
            ("medical_criterion.child_scale", "child_scale_points", 11, UNLIKELY),
            ("medical_criterion.child_pillar3", "child_pillar3_points", 6, LIKELY),
            ("medical_criterion.child_pillar3", "child_pillar3_points", 5, UNLIKELY),
            (
                "medical_criterion.child_increased_family_allowance",
                "increased_family_allowance",
                True,
                LIKELY,
            ),
            (
                "medical_criterion.child_increased_family_allowance",
                "increased_family_allowance",
                False,
                UNLIKELY,
            ),
        ]
    ],
    Scenario(
        "at 17 an adult criterion does not count (art. 4/4 starts at 18)",
        "medical_criterion.adult_autonomy",
        both_groups_failing(17, autonomy_points=12),
        LIKELY,
        UNLIKELY,
        reason="medical_criterion.not_met",
        missing=[],
    ),
    # Ages 18 to 20: law art. 4/4 (from 18) and art. 4/5 (under 21) both apply.
    Scenario(
        "at 18 the child scale still counts (art. 4/5)",
        "medical_criterion.child_scale",
        both_groups_failing(18, child_scale_points=12),
        LIKELY,
        LIKELY,
        reason="medical_criterion.child_scale.met",
    ),
    Scenario(
        "at 18 the autonomy scale counts (art. 4/4)",
        "medical_criterion.adult_autonomy",
        both_groups_failing(18, autonomy_points=12),
        LIKELY,
        LIKELY,
        reason="medical_criterion.adult_autonomy.met",
    ),
    Scenario(
        "at 20 the third pillar still counts (art. 4/5)",
        "medical_criterion.child_pillar3",
        both_groups_failing(20, child_pillar3_points=6),
        LIKELY,
        LIKELY,
        reason="medical_criterion.child_pillar3.met",
    ),
    Scenario(
        "at 20 a guide criterion counts",
        "medical_criterion.adult_bel_scale",
        both_groups_failing(20, bel_scale_points=35),
        LIKELY,
        LIKELY,
        reason="medical_criterion.adult_bel_scale.met",
    ),
    Scenario(
        "at 19 with neither group met",
        "medical_criterion",
        both_groups_failing(19),
        LIKELY,
        UNLIKELY,
        reason="medical_criterion.not_met",
        missing=[],
    ),
    Scenario(
        "at 19 the child criteria are still open",
        "medical_criterion",
        answers_with_indicators(age=19, **NO_ADULT_CRITERION),
        LIKELY,
        INCOMPLETE,
        reason="medical_criterion.unknown",
        missing=[
            "cared_for.indicators.child_scale_points",
            "cared_for.indicators.child_pillar3_points",
            "cared_for.indicators.increased_family_allowance",
        ],
    ),
    Scenario(
        "at 21 the child scale no longer counts (art. 4/5 stops before 21)",
        "medical_criterion.child_scale",
        both_groups_failing(21, child_scale_points=12),
        LIKELY,
        UNLIKELY,
        reason="medical_criterion.not_met",
        missing=[],
    ),
    Scenario(
        "at 21 unanswered child criteria cannot matter",
        "medical_criterion",
        answers_with_indicators(age=21, **NO_ADULT_CRITERION),
        LIKELY,
        UNLIKELY,
        reason="medical_criterion.not_met",
        missing=[],
    ),
    Scenario(
        "age unknown but an adult and a child criterion are both met",
        "medical_criterion",
        answers_with_indicators(age=None, autonomy_points=12, child_scale_points=12),
        LIKELY,
        LIKELY,
        missing=[],
    ),
    # At most three recognised carers per person helped (guide, "bon à savoir").
    Scenario(
        "two carers already recognised",
        "max_recognised_carers",
        AnswersFactory(cared_for__recognised_carers=2),
        LIKELY,
        LIKELY,
        reason="max_recognised_carers.met",
    ),
    Scenario(
        "three carers already recognised",
        "max_recognised_carers",
        AnswersFactory(cared_for__recognised_carers=3),
        LIKELY,
        UNLIKELY,
        reason="max_recognised_carers.not_met",
        missing=[],
        leave_eligible=False,
    ),
    Scenario(
        "number of recognised carers not given",
        "max_recognised_carers",
        AnswersFactory(cared_for__recognised_carers=None),
        LIKELY,
        INCOMPLETE,
        reason="max_recognised_carers.unknown",
        missing=["cared_for.recognised_carers"],
    ),
    # Missing answers → incomplete.
    Scenario(
        "nothing answered",
        "carer_trust_relationship",
        {},
        INCOMPLETE,
        INCOMPLETE,
        reason="carer_trust_relationship.unknown",
        leave_eligible=None,
    ),
    Scenario(
        "one general condition not answered",
        "carer_professional_involved",
        AnswersFactory(carer__professional_involved=None),
        INCOMPLETE,
        INCOMPLETE,
        reason="carer_professional_involved.unknown",
        missing=["carer.professional_involved"],
        leave_eligible=None,
    ),
    Scenario(
        "residential care days not answered",
        "cared_for_residential_care",
        AnswersFactory(cared_for__permanent_residential_care_days=None),
        INCOMPLETE,
        INCOMPLETE,
        reason="cared_for_residential_care.unknown",
        missing=["cared_for.permanent_residential_care_days"],
    ),
    Scenario(
        # An under-21 criterion would also settle it whatever the age, so those stay open too.
        "age not given with only an adult criterion",
        "medical_criterion",
        AnswersFactory(cared_for__age=None),
        LIKELY,
        INCOMPLETE,
        reason="medical_criterion.unknown",
        missing=[
            "cared_for.age",
            "cared_for.indicators.child_scale_points",
            "cared_for.indicators.child_pillar3_points",
            "cared_for.indicators.increased_family_allowance",
        ],
    ),
    Scenario(
        "age not given, every child criterion failing",
        "medical_criterion",
        AnswersFactory(
            cared_for__age=None,
            cared_for__indicators={
                "autonomy_points": 12,
                **NO_CHILD_CRITERION,
            },
        ),
        LIKELY,
        INCOMPLETE,
        reason="medical_criterion.unknown",
        missing=["cared_for.age"],
    ),
    Scenario(
        "a failing condition settles both, whatever is unanswered",
        "carer_residence",
        {"carer": {"resides_in_belgium": False}},
        UNLIKELY,
        UNLIKELY,
        reason="carer_residence.not_met",
        missing=[],
        leave_eligible=False,
    ),
    Scenario(
        "general met, social rights unanswered",
        "care_hours",
        AnswersFactory(carer__hours_per_month=None, cared_for__indicators={}),
        LIKELY,
        INCOMPLETE,
        reason="care_hours.unknown",
    ),
    # Carer's leave (guide, "Le congé pour aidants proches").
    Scenario(
        "leave for an employee",
        LEAVE,
        AnswersFactory(carer__employment="employee"),
        LIKELY,
        LIKELY,
        leave_eligible=True,
        leave_reason="leave.written_notice",
    ),
    Scenario(
        "leave for a civil servant",
        LEAVE,
        AnswersFactory(carer__employment="civil_servant"),
        LIKELY,
        LIKELY,
        leave_eligible=True,
        leave_reason="leave.written_notice",
    ),
    Scenario(
        "leave for a self-employed person",
        LEAVE,
        AnswersFactory(carer__employment="self_employed"),
        LIKELY,
        LIKELY,
        leave_eligible=False,
        leave_reason="leave.self_employed",
    ),
    Scenario(
        "leave for someone on sickness or maternity benefits",
        LEAVE,
        AnswersFactory(carer__employment="sickness_or_maternity_benefit"),
        LIKELY,
        LIKELY,
        leave_eligible=None,
        leave_reason="leave.sickness_or_maternity_benefit",
    ),
    Scenario(
        "leave for an employee without social rights",
        LEAVE,
        AnswersFactory(carer__hours_per_month=10, carer__hours_per_year=120),
        LIKELY,
        UNLIKELY,
        leave_eligible=False,
        leave_reason="leave.requires_social_rights",
    ),
    Scenario(
        "leave for an employee while social rights are open",
        LEAVE,
        AnswersFactory(cared_for__recognised_carers=None),
        LIKELY,
        INCOMPLETE,
        leave_eligible=None,
        leave_reason="leave.social_rights_unknown",
    ),
    Scenario(
        "leave when the work situation is not given",
        LEAVE,
        AnswersFactory(carer__employment=None),
        LIKELY,
        LIKELY,
        missing=[],
        leave_eligible=None,
        leave_reason="leave.employment_unknown",
    ),
    Scenario(
        "leave for a jobseeker",
        LEAVE,
        AnswersFactory(carer__employment="jobseeker"),
        LIKELY,
        LIKELY,
        leave_eligible=None,
        leave_reason="leave.no_employer",
    ),
]


def test_there_are_at_least_40_scenarios_with_distinct_names():
    assert len(SCENARIOS) >= 40
    assert len({scenario.name for scenario in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario.name for scenario in SCENARIOS])
def test_scenario(scenario: Scenario):
    assert scenario.rule in KNOWN_RULES, f"unknown rule {scenario.rule}"
    outcome = evaluate(scenario.answers)

    assert outcome.general.status == scenario.general
    assert outcome.social_rights.status == scenario.social_rights
    if scenario.reason is not None:
        codes = [r.code for r in outcome.general.reasons + outcome.social_rights.reasons]
        assert scenario.reason in codes
    if scenario.missing is not None:
        assert list(outcome.missing) == scenario.missing
    if scenario.leave_eligible != "unchecked":
        assert outcome.leave.eligible is scenario.leave_eligible
    if scenario.leave_reason is not None:
        codes = [m.code for m in outcome.leave.reasons + outcome.leave.caveats]
        assert scenario.leave_reason in codes
