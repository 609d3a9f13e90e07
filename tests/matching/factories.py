"""Helper profiles, their availability and batch proposals, around Namur (5000) unless told
otherwise."""

import uuid
from datetime import time

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from matching.models import AvailabilitySlot, HelperProfile, Proposal, VerificationState
from requests_app.models import Category
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


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    # Named by its path: a proposal is about a request, whose factory (tests/requests_app)
    # itself builds on the helper factories above, so importing it here would be circular.
    request = factory.SubFactory("tests.requests_app.factories.HelpRequestFactory")
    helper = factory.LazyAttribute(lambda proposal: VerifiedHelperFactory().user)
    score = 0.8
    batch_id = factory.LazyFunction(uuid.uuid4)
