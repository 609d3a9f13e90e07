"""Request-flow test data: verified helpers, offers, visits, around Namur (tests/seed/factories)."""

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone
from factory.django import DjangoModelFactory
from geopy.distance import geodesic

from matching.models import VerificationState
from requests_app.models import Offer, Visit
from tests.accounts.factories import UserFactory
from tests.seed.factories import NAMUR, HelperProfileFactory, HelpRequestFactory

__all__ = [
    "NAMUR",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "OfferFactory",
    "VerifiedHelperFactory",
    "VisitFactory",
    "point_at",
]


def point_at(origin: Point, *, km: float, bearing: float = 90.0) -> Point:
    """The point `km` kilometres from `origin` (geodesic), towards `bearing` degrees."""
    moved = geodesic(kilometers=km).destination((origin.y, origin.x), bearing)
    return Point(moved.longitude, moved.latitude, srid=4326)


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


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.SelfAttribute("request.matched_helper")
    date = factory.LazyFunction(timezone.localdate)
    hours = "1.50"
