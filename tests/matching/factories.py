"""Helper profiles, their availability and batch proposals, around Namur (5000) unless told
otherwise."""

from datetime import time

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from matching.models import (
    AvailabilitySlot,
    HelperProfile,
    IdDocumentType,
    VerificationState,
    VettingChange,
)
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


class VettingChangeFactory(DjangoModelFactory):
    """One change of a helper's vetting: by default the verification of a new helper, after an
    identity card was seen and an interview held today."""

    class Meta:
        model = VettingChange

    profile = factory.SubFactory(HelperProfileFactory)
    previous_state = VerificationState.UNVERIFIED
    state = VerificationState.VERIFIED
    changed_by = factory.SubFactory(CoordinatorFactory)
    reason = "Met at the office."
    id_document = IdDocumentType.IDENTITY_CARD
    interview_on = factory.LazyFunction(timezone.localdate)
    interviewed_by = factory.SelfAttribute("changed_by")


class SuspendedHelperFactory(VerifiedHelperFactory):
    """A helper who was verified, then suspended by a coordinator (their history says so)."""

    class Meta:
        skip_postgeneration_save = True

    verification_state = VerificationState.SUSPENDED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if not create:
            return
        verified = VettingChangeFactory(profile=self, changed_by=self.verified_by)
        VettingChangeFactory(
            profile=self,
            previous_state=VerificationState.VERIFIED,
            state=VerificationState.SUSPENDED,
            changed_by=self.verified_by,
            reason="A complaint is being looked into.",
            interviewed_by=verified.interviewed_by,
        )
