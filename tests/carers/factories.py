"""Carers test data: answers to the carer-recognition check, stored assessments, referrals,
care-diary entries and entries of the service directory (the loaded directory:
tests/directory/fixtures.py).

`AnswersFactory()` builds answers of the contract's shape that meet every condition of both
recognitions: an employee helping an 80-year-old with 12 autonomy points, 60 hours a month.
Override any answer with factory_boy's double underscores, e.g.
`AnswersFactory(carer__hours_per_month=49)`; `None` means "not answered".
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from carers.consent import CURRENT_SERVICE_CONSENT_VERSION
from carers.models import Assessment, CareDiaryEntry, Referral, ReferralSource
from carers.services.loop import referral_consent_record, referral_send
from tests.accounts.factories import UserFactory


class IndicatorsAnswersFactory(factory.DictFactory):
    autonomy_points = 12


class CarerAnswersFactory(factory.DictFactory):
    trust_relationship = True
    resides_in_belgium = True
    in_population_register = True
    unpaid_non_professional = True
    professional_involved = True
    respects_life_project = True
    hours_per_month = 60
    employment = "employee"


class CaredForAnswersFactory(factory.DictFactory):
    age = 80
    resides_in_belgium = True
    dependent = True
    permanent_residential_care_days = 0
    recognised_carers = 0
    indicators = factory.SubFactory(IndicatorsAnswersFactory)


class AnswersFactory(factory.DictFactory):
    carer = factory.SubFactory(CarerAnswersFactory)
    cared_for = factory.SubFactory(CaredForAnswersFactory)


# Every adult medical criterion answered and failing (override one to test it alone).
NO_ADULT_CRITERION = {
    "autonomy_points": 0,
    "disability_allowance_12_points": False,
    "third_party_help": False,
    "civil_servant_medical_pension_third_party": False,
    "bel_scale_points": 0,
    "belrai_screener_score": 0,
    "belrai_adl_iadl_points": 0,
    "avq_cps_score": 0,
    "katz_package": "A",
    "chronic_illness_package": False,
}
# Every child medical criterion answered and failing.
NO_CHILD_CRITERION = {
    "child_scale_points": 0,
    "child_pillar3_points": 0,
    "increased_family_allowance": False,
}


def answers_with_indicators(*, age: int, **indicators) -> dict:
    """Answers meeting every other condition, for a person of `age` with these indicators."""
    answers = AnswersFactory(cared_for__age=age)
    answers["cared_for"]["indicators"] = dict(indicators)
    return answers


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    answers = factory.LazyFunction(lambda: AnswersFactory())
    outcome = factory.LazyFunction(dict)
    rules_version = "2024-09-19"
    language = "fr"
    postcode = "5000"


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    class Params:
        with_consent = factory.Trait(
            consent="given",
            consent_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
            consent_wording_version="2025-01",
        )

    person = factory.SubFactory(UserFactory, postcode="5000")
    source = ReferralSource.REQUEST
    reasons = factory.LazyFunction(lambda: [{"code": "signal.condition", "params": {}}])
    postcode = "5000"
    municipality_id = "92094"  # Namur


def referral_sent(*, person, service, coordinator) -> Referral:
    """A new referral about `person`, sent to `service` by `coordinator` with the person's
    consent given online: through the services, so its consent, steps and audit are real."""
    referral = ReferralFactory(person=person)
    referral_consent_record(
        referral=referral,
        actor=person,
        service=service,
        wording_version=CURRENT_SERVICE_CONSENT_VERSION,
        given_by="person",
    )
    return referral_send(referral=referral, coordinator=coordinator, service=service)


class DiaryEntryFactory(DjangoModelFactory):
    class Meta:
        model = CareDiaryEntry

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(datetime.date.today)
    hours = Decimal("2")
    kind = "care"
