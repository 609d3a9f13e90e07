"""Test data of the web pages: verified helpers, coordinators, offers, proposals around Namur.

Profiles and requests come from tests/seed/factories.py (Namur, 5000, unless told otherwise).
"""

import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from matching.models import Proposal, VerificationState
from requests_app.models import Offer
from tests.accounts.factories import UserFactory
from tests.seed.factories import NAMUR, HelperProfileFactory, HelpRequestFactory

__all__ = [
    "NAMUR",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "OfferFactory",
    "ProposalFactory",
    "VerifiedHelperFactory",
]


class CoordinatorFactory(UserFactory):
    coordinator = True


class VerifiedHelperFactory(HelperProfileFactory):
    """A helper near Namur who may be matched: verified, active, 4 hours a week."""

    verification_state = VerificationState.VERIFIED
    verified_by = factory.SubFactory(CoordinatorFactory)
    verified_at = factory.LazyFunction(timezone.now)


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.LazyAttribute(lambda offer: VerifiedHelperFactory().user)
    message = "Je peux passer mardi."


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.LazyAttribute(lambda proposal: VerifiedHelperFactory().user)
    score = 0.8
    batch_id = factory.LazyFunction(uuid.uuid4)
