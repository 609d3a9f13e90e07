"""Test data for helpers, requests, offers, visits and proposals, around Namur (5000) unless
told otherwise. The app test folders re-export what they use from here."""

import uuid
from datetime import time

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone
from factory.django import DjangoModelFactory
from geopy.distance import geodesic

from accounts.models import Role
from matching.models import AvailabilitySlot, HelperProfile, VerificationState
from matching.vocabulary import Category, Recurrence
from ranking.models import Proposal
from requests_app.models import HelpRequest, Offer, Visit
from tests.accounts.factories import UserFactory

NAMUR = Point(4.8675, 50.4669, srid=4326)


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


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = HelpRequest

    requester = factory.SubFactory(UserFactory, postcode="5000")
    created_by = factory.SelfAttribute("requester")
    category = Category.SHOPPING
    description = "Courses au supermarché du quartier."
    location = factory.LazyFunction(lambda: NAMUR.clone())
    postcode = "5000"
    duration_minutes = 60
    recurrence = Recurrence.ONCE


# --- Shared by the matching, request-flow and page tests --------------------------------------


def point_at(origin: Point, *, km: float, bearing: float = 90.0) -> Point:
    """The point `km` kilometres from `origin` (geodesic), towards `bearing` degrees."""
    moved = geodesic(kilometers=km).destination((origin.y, origin.x), bearing)
    return Point(moved.longitude, moved.latitude, srid=4326)


class CoordinatorFactory(UserFactory):
    coordinator = True


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


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.LazyAttribute(lambda offer: VerifiedHelperFactory().user)
    message = "Je peux passer mardi."


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.SelfAttribute("request.matched_helper")
    date = factory.LazyFunction(timezone.localdate)
    hours = "1.50"


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.LazyAttribute(lambda proposal: VerifiedHelperFactory().user)
    score = 0.8
    batch_id = factory.LazyFunction(uuid.uuid4)
