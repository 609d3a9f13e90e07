"""Answers → outcome: statuses, reasons, open questions, next steps and carer's leave.

The outcome holds message codes with their parameters and sources, never text: the caller
renders them in the reader's language (carers.outcome_texts does so with gettext).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from carers.engine.logic import Answers, Truth, all_of
from carers.engine.questions import flatten, order_questions
from carers.engine.rules import (
    ADULT_CRITERIA,
    ADULT_FROM_AGE,
    AGE,
    AUTOMATIC_RENEWAL_POINTS,
    CHILD_BELOW_AGE,
    CHILD_CRITERIA,
    GENERAL_RULES,
    LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR,
    LEAVE_FULL_TIME_MONTHS,
    LEAVE_NOTICE_DAYS,
    LEAVE_PART_TIME_MONTHS,
    MAX_RECOGNISED_CARERS,
    RESIDENTIAL_CARE_MAX_DAYS,
    RULES_VERSION,
    SOCIAL_RIGHTS_RULES,
    SWORN_STATEMENT_DAYS,
    Rule,
)
from carers.engine.sources import Source, guide, law

LIKELY = "likely"
UNLIKELY = "unlikely"
INCOMPLETE = "incomplete"

STATUS_OF: dict[Truth, str] = {True: LIKELY, False: UNLIKELY, None: INCOMPLETE}

EMPLOYMENT = "carer.employment"
# Those who ask their employer for the leave, in writing (seed 001, carer's leave).
WITH_EMPLOYER = frozenset({"employee", "civil_servant"})

GENERAL_CONDITION = all_of(*(rule.condition for rule in GENERAL_RULES))
SOCIAL_RIGHTS_CONDITION = all_of(
    GENERAL_CONDITION, *(rule.condition for rule in SOCIAL_RIGHTS_RULES)
)


@dataclass(frozen=True)
class Message:
    """A message code, the values it mentions and where it comes from."""

    code: str
    sources: tuple[Source, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": dict(self.params),
            "sources": [source.as_dict() for source in self.sources],
        }


@dataclass(frozen=True)
class Recognition:
    value: Truth
    reasons: tuple[Message, ...]

    @property
    def status(self) -> str:
        return STATUS_OF[self.value]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reasons": [reason.as_dict() for reason in self.reasons]}


@dataclass(frozen=True)
class Leave:
    eligible: bool | None
    reasons: tuple[Message, ...]
    caveats: tuple[Message, ...]
    missing: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        allowance = LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR
        return {
            "eligible": self.eligible,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "caveats": [caveat.as_dict() for caveat in self.caveats],
            "missing": list(self.missing),
            "per_cared_for_person": True,
            "full_time_max_months": LEAVE_FULL_TIME_MONTHS.value,
            "part_time_max_months": LEAVE_PART_TIME_MONTHS.value,
            "part_time_forms": ["half_time", "one_fifth"],
            "split_by_month": True,
            "written_notice_days": LEAVE_NOTICE_DAYS.value,
            "allowance": {
                "payer": "ONEM",
                "monthly_gross_eur": str(allowance.value),
                "for": "full_interruption",
                "valid_from": allowance.effective.isoformat(),
                "indexed": True,
                "sources": [source.as_dict() for source in allowance.sources],
            },
        }


@dataclass(frozen=True)
class Outcome:
    rules_version: str
    general: Recognition
    social_rights: Recognition
    missing: tuple[str, ...]
    next_steps: tuple[Message, ...]
    leave: Leave

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "general": self.general.as_dict(),
            "social_rights": self.social_rights.as_dict(),
            "missing": list(self.missing),
            "next_steps": [step.as_dict() for step in self.next_steps],
            "leave": self.leave.as_dict(),
        }


def evaluate(answers: Mapping[str, Any] | None) -> Outcome:
    """Evaluate answers of the contract's nested shape (unknown = absent or null)."""
    return evaluate_flat(flatten(answers))


def evaluate_flat(answers: Answers) -> Outcome:
    """Evaluate answers already keyed by dotted path."""
    general_value = GENERAL_CONDITION.evaluate(answers)
    social_value = SOCIAL_RIGHTS_CONDITION.evaluate(answers)
    general = Recognition(general_value, _general_reasons(answers, general_value))
    social_rights = Recognition(
        social_value, _social_rights_reasons(answers, general_value, social_value)
    )
    # Only what could still change a status: the social-rights condition contains the general
    # one, so its open questions are the general ones plus its own.
    missing = order_questions(
        GENERAL_CONDITION.open_questions(answers) + SOCIAL_RIGHTS_CONDITION.open_questions(answers)
    )
    leave = _leave(answers, social_value)
    return Outcome(
        rules_version=RULES_VERSION,
        general=general,
        social_rights=social_rights,
        missing=tuple(missing),
        next_steps=_next_steps(answers, general_value, social_value, leave),
        leave=leave,
    )


# --- Reasons ----------------------------------------------------------------------------------


def _rule_message(rule: Rule, value: Truth, answers: Answers) -> Message:
    suffix = {True: "met", False: "not_met", None: "unknown"}[value]
    params = dict(rule.params)
    if rule.code == "cared_for_residential_care" and value is False:
        params["given_days"] = answers["cared_for.permanent_residential_care_days"]
    if rule.code == "max_recognised_carers" and value is False:
        params["count"] = answers["cared_for.recognised_carers"]
    return Message(f"{rule.code}.{suffix}", rule.sources, params)


def _reasons_for(rules: tuple[Rule, ...], answers: Answers, value: Truth) -> list[Message]:
    """The rules that decide `value`: the failing ones, else the open ones, else all."""
    reasons = []
    for rule in rules:
        rule_value = rule.condition.evaluate(answers)
        if rule_value is not value:
            continue
        if rule.criteria:
            reasons.extend(_medical_messages(rule, rule_value, answers))
        else:
            reasons.append(_rule_message(rule, rule_value, answers))
    return reasons


def _general_reasons(answers: Answers, value: Truth) -> tuple[Message, ...]:
    return tuple(_reasons_for(GENERAL_RULES, answers, value))


def _social_rights_reasons(
    answers: Answers, general_value: Truth, value: Truth
) -> tuple[Message, ...]:
    reasons = []
    # Recognition with social rights comes "en plus des critères ... de la reconnaissance
    # générale" (seed 001).
    if general_value is False:
        reasons.append(Message("general_recognition.not_met", (guide("social_rights"),)))
    elif general_value is None and value is None:
        reasons.append(Message("general_recognition.unknown", (guide("social_rights"),)))
    reasons.extend(_reasons_for(SOCIAL_RIGHTS_RULES, answers, value))
    return tuple(reasons)


def _age_groups(age: int | None) -> tuple[bool, bool]:
    """Whether the adult criteria (art. 4/4) and the child criteria (art. 4/5) apply."""
    if age is None:
        return True, True
    return age >= ADULT_FROM_AGE.value, age < CHILD_BELOW_AGE.value


def _medical_messages(rule: Rule, value: Truth, answers: Answers) -> list[Message]:
    age = answers.get(AGE)
    adult, child = _age_groups(age)
    if value is True:
        applicable = (ADULT_CRITERIA if adult else ()) + (CHILD_CRITERIA if child else ())
        return [
            Message(f"{criterion.code}.met", criterion.sources, criterion.params)
            for criterion in applicable
            if criterion.condition.evaluate(answers) is True
        ]
    sources: tuple[Source, ...] = ()
    if adult:
        sources += (law("art. 4/4, 1st paragraph"),)
    if child:
        sources += (law("art. 4/5, 1st paragraph"),)
    sources += (guide("medical_criteria"),)
    if value is False:
        group = "adult_and_child" if adult and child else "adult" if adult else "child"
        params = {**rule.params, "age": age, "age_group": group}
        return [Message("medical_criterion.not_met", sources, params)]
    return [Message("medical_criterion.unknown", sources, dict(rule.params))]


# --- Next steps -------------------------------------------------------------------------------


def _next_steps(
    answers: Answers, general_value: Truth, social_value: Truth, leave: Leave
) -> tuple[Message, ...]:
    if general_value is False:
        # No recognition is possible on these answers: no procedure to point to.
        return ()
    steps = [
        Message(
            "apply_at_own_mutuality",
            (law("art. 4/3"), law("art. 3 § 4"), guide("procedure")),
        ),
        Message(
            "sworn_statement",
            SWORN_STATEMENT_DAYS.sources,
            {"days": SWORN_STATEMENT_DAYS.value},
        ),
        Message("recognised_from_signature", (guide("procedure"),)),
        Message(
            "max_recognised_carers",
            MAX_RECOGNISED_CARERS.sources,
            {"limit": MAX_RECOGNISED_CARERS.value},
        ),
    ]
    if social_value is not False:
        steps.append(
            Message(
                "yearly_renewal",
                (guide("end_of_recognition"), law("art. 4/4, 3rd paragraph")),
                {"points": AUTOMATIC_RENEWAL_POINTS.value},
            )
        )
    steps.append(
        Message(
            "report_changes",
            (guide("end_of_recognition"), law("art. 4")),
            {"days": RESIDENTIAL_CARE_MAX_DAYS.value},
        )
    )
    if leave.eligible is not False and answers.get(EMPLOYMENT) in WITH_EMPLOYER:
        steps.append(
            Message("request_leave", LEAVE_NOTICE_DAYS.sources, {"days": LEAVE_NOTICE_DAYS.value})
        )
    return tuple(steps)


# --- Carer's leave ----------------------------------------------------------------------------

LEAVE_SOURCES = (guide("carers_leave"),)


def _leave(answers: Answers, social_value: Truth) -> Leave:
    """Carer's leave: it needs recognition with social rights (seed 001, carer's leave)."""
    employment = answers.get(EMPLOYMENT)
    reasons: list[Message] = []
    caveats: list[Message] = []
    missing: list[str] = []

    if employment == "self_employed":
        # The leave is an interruption of work asked of an employer, paid by ONEM.
        return Leave(False, (Message("leave.self_employed", LEAVE_SOURCES),), (), ())

    if social_value is False:
        reasons.append(Message("leave.requires_social_rights", LEAVE_SOURCES))
        return Leave(False, tuple(reasons), (), ())

    if social_value is None:
        reasons.append(Message("leave.social_rights_unknown", LEAVE_SOURCES))

    durations = Message(
        "leave.durations",
        LEAVE_SOURCES,
        {
            "full_time_months": LEAVE_FULL_TIME_MONTHS.value,
            "part_time_months": LEAVE_PART_TIME_MONTHS.value,
        },
    )
    allowance = Message(
        "leave.allowance",
        LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR.sources,
        {
            "amount_eur": str(LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR.value),
            "valid_from": LEAVE_ALLOWANCE_MONTHLY_GROSS_EUR.effective.isoformat(),
        },
    )
    notice = Message("leave.written_notice", LEAVE_SOURCES, {"days": LEAVE_NOTICE_DAYS.value})
    medical_adviser = Message("leave.sickness_or_maternity_benefit", LEAVE_SOURCES)

    if employment in WITH_EMPLOYER:
        eligible = social_value
        reasons += [durations, notice, allowance]
    elif employment == "sickness_or_maternity_benefit":
        # The mutualité's medical adviser decides first whether the carer's health allows it.
        eligible = None
        reasons += [durations, allowance]
        caveats.append(medical_adviser)
    elif employment is None:
        eligible = None
        missing.append(EMPLOYMENT)
        reasons += [Message("leave.employment_unknown", LEAVE_SOURCES), durations, notice]
        reasons.append(allowance)
        caveats.append(medical_adviser)
    else:
        # Jobseekers, retired people, students, others: the guide describes the leave only
        # through an employer; it neither grants nor excludes it for them.
        eligible = None
        reasons += [Message("leave.no_employer", LEAVE_SOURCES), durations, allowance]
    return Leave(eligible, tuple(reasons), tuple(caveats), tuple(missing))
