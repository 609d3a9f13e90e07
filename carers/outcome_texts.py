"""The engine's message codes in words, in the reader's language (gettext catalogues).

The engine (carers.engine) says *what* applies with codes, parameters and sources; this module
says it in French, Dutch, German or English. Numbers in the texts come from the parameters,
so a threshold lives in one place only (carers.engine.rules).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from carers.engine.sources import GUIDE_2024, LAW_2014

MESSAGES = {
    # General recognition: the carer (law art. 3 § 2 and § 3) and the person helped.
    "carer_trust_relationship.met": _(
        "You have a relationship of trust or closeness, emotional or geographical, with the "
        "person you help."
    ),
    "carer_trust_relationship.not_met": _(
        "Recognition requires a relationship of trust or closeness, emotional or geographical, "
        "with the person you help."
    ),
    "carer_trust_relationship.unknown": _(
        "Tell us whether you have a relationship of trust or closeness with the person you help."
    ),
    "carer_residence.met": _("You live permanently and effectively in Belgium."),
    "carer_residence.not_met": _(
        "Recognition requires the carer to live permanently and effectively in Belgium."
    ),
    "carer_residence.unknown": _("Tell us whether you live permanently in Belgium."),
    "carer_population_register.met": _(
        "You are registered in the population register or the foreigners' register."
    ),
    "carer_population_register.not_met": _(
        "Recognition requires the carer to be registered in the population register or the "
        "foreigners' register."
    ),
    "carer_population_register.unknown": _(
        "Tell us whether you are registered in the population register or the foreigners' register."
    ),
    "carer_unpaid_non_professional.met": _("You help for free, not as your profession."),
    "carer_unpaid_non_professional.not_met": _(
        "Recognition requires the help to be given for free and not as a profession."
    ),
    "carer_unpaid_non_professional.unknown": _(
        "Tell us whether you help for free and not as your profession."
    ),
    "carer_professional_involved.met": _(
        "At least one professional (the family doctor, for example) is also involved."
    ),
    "carer_professional_involved.not_met": _(
        "Recognition requires at least one professional (the family doctor, for example) to be "
        "involved as well."
    ),
    "carer_professional_involved.unknown": _(
        "Tell us whether at least one professional (the family doctor, for example) is also "
        "involved."
    ),
    "carer_life_project.met": _("You respect the free choices of the person you help."),
    "carer_life_project.not_met": _(
        "Recognition requires the carer to respect the free choices (life project) of the "
        "person helped."
    ),
    "carer_life_project.unknown": _(
        "Tell us whether you respect the free choices of the person you help."
    ),
    "cared_for_residence.met": _("The person you help has their main residence in Belgium."),
    "cared_for_residence.not_met": _(
        "The person helped must have their main residence in Belgium."
    ),
    "cared_for_residence.unknown": _(
        "Tell us whether the person you help has their main residence in Belgium."
    ),
    "cared_for_dependent.met": _(
        "The person you help is vulnerable and dependent because of old age, health or a "
        "disability."
    ),
    "cared_for_dependent.not_met": _(
        "The person helped must be vulnerable and dependent because of old age, health or a "
        "disability."
    ),
    "cared_for_dependent.unknown": _(
        "Tell us whether the person you help is dependent because of old age, health or a "
        "disability."
    ),
    "cared_for_residential_care.met": _(
        "The person you help has not been cared for permanently in a residential facility for "
        "more than %(days)s consecutive days."
    ),
    "cared_for_residential_care.not_met": _(
        "Recognition ends when the person helped is cared for permanently in a residential "
        "facility for more than %(days)s consecutive days (%(given_days)s days here)."
    ),
    "cared_for_residential_care.unknown": _(
        "Tell us whether the person you help lives permanently in a residential facility (a "
        "care home, for example), and for how many consecutive days."
    ),
    # Recognition with social rights.
    "general_recognition.not_met": _(
        "Recognition with social rights requires the conditions of general recognition first."
    ),
    "general_recognition.unknown": _(
        "Recognition with social rights also requires the conditions of general recognition."
    ),
    "care_hours.met": _(
        "You help at least %(monthly)s hours a month or %(yearly)s hours a year (time spent in "
        "care training and carer support groups counts)."
    ),
    "care_hours.not_met": _(
        "Recognition with social rights requires at least %(monthly)s hours of help a month or "
        "%(yearly)s hours a year; time spent in care training and carer support groups counts."
    ),
    "care_hours.unknown": _(
        "Tell us how many hours you help a month or a year, counting care training and carer "
        "support groups."
    ),
    "medical_criterion.not_met": _(
        "The answers given meet none of the medical criteria for the person helped (from "
        "%(adult_from)s years: the autonomy scale, allowances and assessments listed; under "
        "%(child_below)s years: the child-disability assessment or increased family allowance)."
    ),
    "medical_criterion.unknown": _(
        "Tell us the age of the person you help and what their assessments show (autonomy "
        "points, allowances, care packages): one medical criterion is enough."
    ),
    "medical_criterion.adult_autonomy.met": _(
        "The person helped has at least %(points)s points on the autonomy scale used for the "
        "integration allowance."
    ),
    "medical_criterion.adult_disability_allowance.met": _(
        "The person helped receives an allowance such as the income replacement, integration or "
        "assistance-to-the-elderly allowance, or the Flemish care budget for older people, with "
        "a dependency of at least %(points)s points."
    ),
    "medical_criterion.adult_third_party_help.met": _(
        "The person helped receives third-party help."
    ),
    "medical_criterion.adult_civil_servant_pension.met": _(
        "The person helped, a civil servant, has a pension for medical reasons and third-party "
        "help."
    ),
    "medical_criterion.adult_bel_scale.met": _(
        "The person helped has at least %(points)s points on the BEL scale of the Flemish care "
        "insurance."
    ),
    "medical_criterion.adult_belrai_screener.met": _(
        "The person helped has a BelRAI screener score of at least %(score)s."
    ),
    "medical_criterion.adult_belrai_adl_iadl.met": _(
        "The person helped has at least %(points)s points for the sum of the ADL and IADL "
        "modules of the BelRAI screener."
    ),
    "medical_criterion.adult_avq_cps.met": _(
        "The person helped has a score of at least %(score)s on the AVQ/CPS medico-social scale "
        "(Wallonia and Brussels)."
    ),
    "medical_criterion.adult_katz.met": _(
        "The person helped is entitled to a B or C package on the Katz scale."
    ),
    "medical_criterion.adult_chronic_illness.met": _(
        "The person helped meets one of the medical conditions of the care package for the "
        "chronically ill."
    ),
    "medical_criterion.child_scale.met": _(
        "The person helped has at least %(points)s points over the three pillars of the "
        "child-disability assessment."
    ),
    "medical_criterion.child_pillar3.met": _(
        "The person helped has at least %(points)s of %(out_of)s points in the third pillar "
        "(consequences for the family) of the child-disability assessment."
    ),
    "medical_criterion.child_increased_family_allowance.met": _(
        "The person helped is entitled to increased family allowance."
    ),
    "max_recognised_carers.met": _(
        "Fewer than %(limit)s carers are already recognised for the person you help."
    ),
    "max_recognised_carers.not_met": _(
        "The mutualité can recognise at most %(limit)s carers per person helped in the same "
        "period, and %(count)s already are."
    ),
    "max_recognised_carers.unknown": _(
        "Tell us how many carers are already recognised for the person you help."
    ),
    # Next steps.
    "apply_at_own_mutuality": _(
        "Apply for recognition at your own mutualité (health insurance fund), with the "
        "agreement of the person you help."
    ),
    "sworn_statement": _(
        "Fill in the form “Sworn statement for recognition as an informal carer” together with "
        "the person you help, both sign it, and send it to your mutualité within %(days)s days "
        "of signing."
    ),
    "recognised_from_signature": _(
        "If your mutualité accepts, you are recognised from the date the sworn statement was "
        "signed, and you receive a certificate."
    ),
    "max_recognised_carers": _(
        "In the same period the mutualité can recognise up to %(limit)s carers per person helped."
    ),
    "yearly_renewal": _(
        "Recognition with social rights lasts one year: ask for its renewal in time. It renews "
        "automatically when the person's permanent dependency is %(points)s points or more."
    ),
    "report_changes": _(
        "Tell your mutualité about any change that ends the recognition, such as permanent "
        "residential care for more than %(days)s consecutive days."
    ),
    "request_leave": _(
        "For carer's leave, ask your employer in writing at least %(days)s days ahead, and "
        "contact ONEM for the allowance."
    ),
    # Carer's leave.
    "leave.self_employed": _(
        "Carer's leave is an interruption of work asked of an employer, for employees and civil "
        "servants; it does not apply to self-employed work."
    ),
    "leave.requires_social_rights": _("Carer's leave requires recognition with social rights."),
    "leave.social_rights_unknown": _(
        "Carer's leave requires recognition with social rights, which is not settled yet."
    ),
    "leave.durations": _(
        "Per person helped, carer's leave lasts up to %(full_time_months)s months for a full "
        "interruption, or up to %(part_time_months)s months for a half-time or one-fifth "
        "interruption, and can be split by month."
    ),
    "leave.written_notice": _(
        "Employees and civil servants ask their employer in writing at least %(days)s days ahead."
    ),
    "leave.allowance": _(
        "ONEM pays an interruption allowance: %(amount_eur)s € gross a month for a full "
        "interruption (amount valid since %(valid_from)s, indexed)."
    ),
    "leave.employment_unknown": _(
        "Tell us about your work situation to know whether carer's leave applies to you."
    ),
    "leave.no_employer": _(
        "Carer's leave is described for employees and civil servants, who ask their employer; "
        "ask your mutualité whether it applies in your situation."
    ),
    "leave.sickness_or_maternity_benefit": _(
        "If you receive sickness or maternity benefits, first ask your mutualité's medical "
        "adviser for permission: they decide whether your health allows you to help a relative."
    ),
}

DOCUMENT_TITLES = {
    LAW_2014: _("Law of 12 May 2014 on the recognition of informal carers"),
    GUIDE_2024: _(
        "Mutualité chrétienne guide “Être reconnu comme aidant proche”, updated 19 September 2024"
    ),
}

# Law locators that contain words; bare article numbers ("art. 3 § 2, 1°") read the same in
# every language.
LAW_LOCATORS = {
    "art. 4, 4th indent": _("art. 4, 4th indent"),
    "art. 4/4, 1st paragraph": _("art. 4/4, 1st paragraph"),
    "art. 4/4, 3rd paragraph": _("art. 4/4, 3rd paragraph"),
    "art. 4/4, 4th to 7th paragraphs": _("art. 4/4, 4th to 7th paragraphs"),
    "art. 4/5, 1st paragraph": _("art. 4/5, 1st paragraph"),
    "art. 4/5, 2nd paragraph": _("art. 4/5, 2nd paragraph"),
}

GUIDE_SECTIONS = {
    "carer_conditions": _("conditions for the carer"),
    "cared_for_conditions": _("conditions for the person helped"),
    "social_rights": _("recognition with social rights"),
    "medical_criteria": _("medical criteria"),
    "procedure": _("steps to take"),
    "end_of_recognition": _("end of recognition"),
    "good_to_know": _("good to know"),
    "carers_leave": _("carer's leave"),
}

# Parameters that are amounts or dates, formatted the reader's way.
_AMOUNTS = {"amount_eur"}
_DATES = {"valid_from"}


def _format_param(name: str, value: Any) -> Any:
    if value is None:
        return "—"
    if name in _AMOUNTS:
        return formats.number_format(Decimal(value), decimal_pos=2, force_grouping=True)
    if name in _DATES:
        return formats.date_format(date.fromisoformat(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return formats.number_format(value)
    return value


def render_locator(source: dict[str, str]) -> str:
    """A law article or a guide section, in the active language."""
    locator = source["locator"]
    if source["document"] == GUIDE_2024:
        return str(GUIDE_SECTIONS[locator])
    return str(LAW_LOCATORS.get(locator, locator))


def render_sources(sources: list[dict[str, str]]) -> str:
    """ "<document> (<place>; <place>); <document> (<place>)", documents in citation order."""
    places: dict[str, list[str]] = {}
    for source in sources:
        places.setdefault(source["document"], []).append(render_locator(source))
    return "; ".join(
        f"{DOCUMENT_TITLES[document]} ({'; '.join(locators)})"
        for document, locators in places.items()
    )


def render_message(message: dict[str, Any]) -> dict[str, Any]:
    """An engine message → {code, text, source} in the active language."""
    params = {name: _format_param(name, value) for name, value in message["params"].items()}
    text = str(MESSAGES[message["code"]]) % params if params else str(MESSAGES[message["code"]])
    return {
        "code": message["code"],
        "text": text,
        "source": render_sources(message["sources"]),
        "params": message["params"],
    }


def _render_all(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [render_message(message) for message in messages]


def render_outcome(outcome: dict[str, Any], *, language: str) -> dict[str, Any]:
    """A stored outcome (codes) → the API's outcome (texts) in `language`."""
    with translation.override(language):
        leave = dict(outcome["leave"])
        leave["reasons"] = _render_all(leave["reasons"])
        leave["caveats"] = _render_all(leave["caveats"])
        leave["allowance"] = {
            **leave["allowance"],
            "source": render_sources(leave["allowance"]["sources"]),
        }
        return {
            "rules_version": outcome["rules_version"],
            "language": language,
            "general": {
                "status": outcome["general"]["status"],
                "reasons": _render_all(outcome["general"]["reasons"]),
            },
            "social_rights": {
                "status": outcome["social_rights"]["status"],
                "reasons": _render_all(outcome["social_rights"]["reasons"]),
            },
            "missing": list(outcome["missing"]),
            "next_steps": _render_all(outcome["next_steps"]),
            "leave": leave,
        }
