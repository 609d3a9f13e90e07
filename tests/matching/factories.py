"""Helper profiles, their availability and batch proposals, around Namur (5000) unless told
otherwise."""

from datetime import time

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from matching.models import AvailabilitySlot, HelperProfile, VerificationState
from matching.vocabulary import Category
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.geo.factories import NAMUR


class HelperProfileFactory(DjangoModelFactory):
    class Meta:
        model = HelperProfile

    user = factory.SubFactory(UserFactory, roles=[Role.HELPPER], postcode="5000")
    location = factory.LazyFunction(lambda: NAMUR.clone())
    postcode = "5000"
    radius_km = 5.0
    categories = factory.LazyFunction(lambda: [Category.SHOPPING, Category.COMPANY])
    weekly_hours = 4.0
    languages = factory.LazyFunction(lambda: ["fr"])


class VerifiedHelperFactory(HelperProfileFactory):
    """A helper who may be matched: verified by a coordinator, active (near Namur by default)."""

    verification_state = VerificationState.VERIFIED
    verified_by = factory.SubFactory(CoordinatorFactory)
    verified_at = factory.LazyFunction(timezone.now)


class AvailabilitySlotFactory(DjangoModelFactory):
    class Meta:
        model = AvailabilitySlot

    profile = factory.SubFactory(VerifiedHelperFactory)
    weekday = 1  # Tuesday
    start = time(9, 0)
    end = time(12, 0)
