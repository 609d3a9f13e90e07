"""The questions of the assessment (CONTRACT.md, "Assessment shape"), as dotted paths.

The order is the questionnaire's: `missing` lists open questions in this order, so a client can
ask them as they come.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EMPLOYMENT_CHOICES = (
    "employee",
    "civil_servant",
    "self_employed",
    "jobseeker",
    "sickness_or_maternity_benefit",
    "retired",
    "student",
    "other",
)
KATZ_PACKAGES = ("A", "B", "C", "Cd")

BOOLEAN = "boolean"
NUMBER = "number"
INTEGER = "integer"
CHOICE = "choice"

# (path, kind) in questionnaire order.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("carer.trust_relationship", BOOLEAN),
    ("carer.resides_in_belgium", BOOLEAN),
    ("carer.in_population_register", BOOLEAN),
    ("carer.unpaid_non_professional", BOOLEAN),
    ("carer.professional_involved", BOOLEAN),
    ("carer.respects_life_project", BOOLEAN),
    ("cared_for.resides_in_belgium", BOOLEAN),
    ("cared_for.dependent", BOOLEAN),
    ("cared_for.permanent_residential_care_days", INTEGER),
    ("carer.hours_per_month", NUMBER),
    ("carer.hours_per_year", NUMBER),
    ("cared_for.recognised_carers", INTEGER),
    ("cared_for.age", INTEGER),
    ("cared_for.indicators.autonomy_points", INTEGER),
    ("cared_for.indicators.disability_allowance_12_points", BOOLEAN),
    ("cared_for.indicators.third_party_help", BOOLEAN),
    ("cared_for.indicators.civil_servant_medical_pension_third_party", BOOLEAN),
    ("cared_for.indicators.bel_scale_points", INTEGER),
    ("cared_for.indicators.belrai_screener_score", INTEGER),
    ("cared_for.indicators.belrai_adl_iadl_points", INTEGER),
    ("cared_for.indicators.avq_cps_score", INTEGER),
    ("cared_for.indicators.katz_package", CHOICE),
    ("cared_for.indicators.chronic_illness_package", BOOLEAN),
    ("cared_for.indicators.child_scale_points", INTEGER),
    ("cared_for.indicators.child_pillar3_points", INTEGER),
    ("cared_for.indicators.increased_family_allowance", BOOLEAN),
    ("carer.employment", CHOICE),
)
QUESTION_PATHS: tuple[str, ...] = tuple(path for path, _kind in QUESTIONS)
QUESTION_KINDS: dict[str, str] = dict(QUESTIONS)


def flatten(answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Nested answers of the contract's shape → {dotted path: value}, leaving out unknowns.

    Only the questions above are kept (postcode and contact details are not answers), and
    `None` means "not answered", exactly like an absent key.
    """
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif value is not None and prefix in QUESTION_KINDS:
            flat[prefix] = value

    walk("", answers or {})
    return flat


def order_questions(paths) -> list[str]:
    """The given paths in questionnaire order."""
    wanted = set(paths)
    return [path for path in QUESTION_PATHS if path in wanted]
