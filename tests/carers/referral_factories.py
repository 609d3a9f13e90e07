"""Referrals, notes and diary entries for tests (assessments: tests/carers/factories.py)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from carers.models import CareDiaryEntry, Referral, ReferralSource
from tests.accounts.factories import UserFactory


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


class DiaryEntryFactory(DjangoModelFactory):
    class Meta:
        model = CareDiaryEntry

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(datetime.date.today)
    hours = Decimal("2")
    kind = "care"
