"""Matching test data: verified helpers, slots, coordinators, and places at a known distance.

Profiles and requests come from tests/seed/factories.py (around Namur unless told otherwise).
"""

from datetime import time

import factory
from django.contrib.gis.geos import Point
from factory.django import DjangoModelFactory
from geopy.distance import geodesic

from matching.models import AvailabilitySlot, VerificationState
from tests.accounts.factories import UserFactory
from tests.seed.factories import NAMUR, HelperProfileFactory, HelpRequestFactory

__all__ = [
    "NAMUR",
    "AvailabilitySlotFactory",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "VerifiedHelperFactory",
    "point_at",
]


def point_at(origin: Point, *, km: float, bearing: float = 90.0) -> Point:
    """The point `km` kilometres from `origin` (geodesic), towards `bearing` degrees."""
    moved = geodesic(kilometers=km).destination((origin.y, origin.x), bearing)
    return Point(moved.longitude, moved.latitude, srid=4326)


class CoordinatorFactory(UserFactory):
    coordinator = True


class VerifiedHelperFactory(HelperProfileFactory):
    """A helper who may be matched: verified by a coordinator, active."""

    verification_state = VerificationState.VERIFIED
    verified_by = factory.SubFactory(CoordinatorFactory)


class AvailabilitySlotFactory(DjangoModelFactory):
    class Meta:
        model = AvailabilitySlot

    profile = factory.SubFactory(VerifiedHelperFactory)
    weekday = 1  # Tuesday
    start = time(9, 0)
    end = time(12, 0)
